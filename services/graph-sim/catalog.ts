import { z } from 'zod';
import { FilterError } from './filters';

/**
 * The tenant's Teams app catalog (appCatalogs/teamsApps). An app published to the organization
 * gets a catalog id of its own; the id in its manifest is kept as externalId. Installing the app
 * for someone names the catalog id, never the manifest id.
 */

export const SimTeamsAppSchema = z
  .object({
    id: z.string().min(1),
    externalId: z.string().nullable(),
    displayName: z.string().min(1),
    distributionMethod: z.enum(['store', 'organization', 'sideloaded']),
  })
  .strict();
export type SimTeamsApp = z.infer<typeof SimTeamsAppSchema>;

/** The demo bot as published to the demo practice's catalog: manifest id and catalog id differ. */
export const DEMO_TEAMS_APP: SimTeamsApp = {
  id: '00000000-0000-4000-8000-00000000b07a',
  externalId: '5b0c2d7e-9f3a-4e61-8d24-7a1e6c3b9f05',
  displayName: 'MFA Helper',
  distributionMethod: 'organization',
};

const CLAUSE = /^\s*(id|externalId|distributionMethod|displayName)\s+eq\s+'((?:[^']|'')*)'\s*$/i;

/** `id`, `externalId`, `distributionMethod` or `displayName` eq '…', joined with `and`. */
export function parseCatalogFilter(filter: string): (app: SimTeamsApp) => boolean {
  const clauses = filter.split(/\s+and\s+/i).map((text) => {
    const match = CLAUSE.exec(text);
    if (!match) throw new FilterError(`unsupported clause '${text.trim()}'`);
    const field = (['id', 'externalId', 'distributionMethod', 'displayName'] as const).find(
      (f) => f.toLowerCase() === match[1]!.toLowerCase(),
    )!;
    const value = match[2]!.replace(/''/g, "'").toLowerCase();
    return (app: SimTeamsApp) => String(app[field] ?? '').toLowerCase() === value;
  });
  return (app) => clauses.every((c) => c(app));
}

/** How installations behave right after they are made (off by default: at once, like a slow tenant never). */
export const InstallBehaviourSchema = z
  .object({
    /** A new installation is missing from this many of the user's installedApps lists. */
    unlistedReads: z.number().int().min(0).max(100).default(0),
    /** Reading a new installation's chat answers 403 this many times. */
    forbiddenChatReads: z.number().int().min(0).max(100).default(0),
  })
  .strict();
export type InstallBehaviour = z.infer<typeof InstallBehaviourSchema>;
