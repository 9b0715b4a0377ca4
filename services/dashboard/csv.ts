import type { Coverage } from '../campaigns/coverage';
import { csvDocument } from '../csv';

const PEOPLE_CSV_COLUMNS = ['name', 'upn', 'role_groups', 'standing', 'as_of'] as const;

const STANDING_LABELS = { other: 'Another method only', none: 'No second method' } as const;

/** The people not on Authenticator, one line each in name order, as evidence of the rollout. */
export function peopleCsv(coverage: Pick<Coverage, 'computedAt' | 'notRegistered'>): string {
  return csvDocument(
    PEOPLE_CSV_COLUMNS,
    coverage.notRegistered.map((p) => [
      p.name,
      p.upn,
      p.groups.join('; '),
      STANDING_LABELS[p.standing],
      coverage.computedAt,
    ]),
  );
}
