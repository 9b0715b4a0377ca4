import { z } from 'zod';

/**
 * The Application ID URI the tab's tokens may name (v1 tokens carry it as their audience; v2
 * tokens carry the app id). It is the manifest's TAB_SSO_RESOURCE, so one value serves the
 * package and the server; unset, only v2 tokens (the app registration's default here) pass.
 */
const TabEnv = z.object({
  TAB_SSO_RESOURCE: z
    .string()
    .trim()
    .optional()
    .transform((v) => (v ? v : undefined))
    .pipe(
      z
        .string()
        .max(2048)
        .refine(
          (v) => v.startsWith('api://'),
          "must start with api:// (the Entra app's Application ID URI)",
        )
        .optional(),
    ),
});

class TabSettingsError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'TabSettingsError';
  }
}

/** The audiences a Teams SSO token for this app may carry: the app id, and the URI when set. */
export function tabAudiences(
  appId: string,
  env: Readonly<Record<string, string | undefined>>,
): string[] {
  const parsed = TabEnv.safeParse(env);
  if (!parsed.success) {
    throw new TabSettingsError(
      `TAB_SSO_RESOURCE: ${parsed.error.issues.map((i) => i.message).join('; ')}`,
    );
  }
  const uri = parsed.data.TAB_SSO_RESOURCE;
  return [appId, ...(uri ? [uri] : [])].filter(Boolean);
}
