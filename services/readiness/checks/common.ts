import type { RegistrationDetail } from '../../directory/types';
import type { Gap, ReadinessInputs } from '../gather';
import type { CheckResult } from '../report';

/** Helpers the checks share: the "can't see this" result, names for ids, short lists. */

export type CheckBase = Pick<CheckResult, 'id' | 'title' | 'risk' | 'fixUrl'>;

export function cannotSee(base: CheckBase, what: string, gap: Gap): CheckResult {
  return {
    ...base,
    status: 'unknown',
    reason: `Can't see ${what}: this needs ${gap.needs}.`,
    needs: gap.needs,
  };
}

/** "a, b and 3 more" */
export function shortList(items: readonly string[], max = 3): string {
  if (items.length <= max)
    return items.length > 1
      ? `${items.slice(0, -1).join(', ')} and ${items.at(-1)}`
      : (items[0] ?? '');
  return `${items.slice(0, max).join(', ')} and ${items.length - max} more`;
}

export const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

export const lower = (s: string) => s.toLowerCase();

export const capital = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);

export function groupName(inputs: ReadinessInputs, id: string): string {
  const name = inputs.groupNames.get(lower(id));
  return name ? `"${name}"` : `group ${id}`;
}

export function personName(inputs: ReadinessInputs, id: string): string {
  const rows = inputs.registrations.ok ? inputs.registrations.value : [];
  const row = rows.find((r: RegistrationDetail) => lower(r.id) === lower(id));
  return row?.userPrincipalName ?? id;
}
