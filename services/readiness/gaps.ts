import { isDirectoryError } from '../directory/types';

/**
 * A read that failed, kept as what is missing (a permission, a licence, a setting, Graph itself),
 * so a check can say "can't see this, it needs …" instead of guessing.
 */

type GapKind =
  'permission' | 'licence' | 'permission-or-licence' | 'setting' | 'unavailable' | 'unexpected';

export interface Gap {
  kind: GapKind;
  /** What would let the bot see this, for the admin: "the Policy.Read.All permission". */
  needs: string;
}

export type Outcome<T> = { ok: true; value: T } | { ok: false; gap: Gap };

export interface Area {
  permission: string;
  licence?: string;
}

export const AREAS = {
  policies: { permission: 'Policy.Read.All' },
  conditionalAccess: {
    permission: 'Policy.Read.All',
    licence: 'Microsoft Entra ID P1 (Conditional Access needs it)',
  },
  report: {
    permission: 'AuditLog.Read.All',
    licence: 'Microsoft Entra ID P1 (the registration report needs it)',
  },
  groups: { permission: 'GroupMember.Read.All' },
} satisfies Record<string, Area>;

const permission = (p: string) => `the ${p} application permission, with admin consent`;

/** Turns a failed read into what is missing. Anything that is not a DirectoryError is a bug. */
function gapFor(err: unknown, area: Area): Gap {
  if (!isDirectoryError(err)) throw err;
  const code = err.details.code ?? '';
  if (err.kind === 'forbidden') {
    if (code === 'Authorization_RequestDenied')
      return { kind: 'permission', needs: permission(area.permission) };
    if (area.licence && /premium|licen[cs]e/i.test(`${code} ${err.message}`))
      return { kind: 'licence', needs: area.licence };
    if (!err.details.statusCode)
      return { kind: 'permission', needs: 'the bot to be able to sign in to Microsoft Graph' };
    const needs = area.licence
      ? `${permission(area.permission)}, and ${area.licence}`
      : permission(area.permission);
    return { kind: area.licence ? 'permission-or-licence' : 'permission', needs };
  }
  if (err.kind === 'throttled' || err.kind === 'unavailable') {
    return { kind: 'unavailable', needs: 'Microsoft Graph to answer (try again in a few minutes)' };
  }
  return { kind: 'unexpected', needs: `an answer from Graph the bot understands (${err.message})` };
}

/**
 * Runs one read and keeps a failure as a gap. With `outage: 'throw'`, Graph being down or
 * throttling the bot is thrown instead: the caller cannot check anything now.
 */
export async function attempt<T>(
  area: Area,
  run: () => Promise<T>,
  options: { outage?: 'gap' | 'throw' } = {},
): Promise<Outcome<T>> {
  try {
    return { ok: true, value: await run() };
  } catch (err) {
    const outage = isDirectoryError(err, 'unavailable') || isDirectoryError(err, 'throttled');
    if (outage && options.outage === 'throw') throw err;
    return { ok: false, gap: gapFor(err, area) };
  }
}
