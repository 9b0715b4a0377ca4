import { z } from 'zod';
import type { NudgeFormValues } from '../../../services/campaigns/form';

const text = (max: number) => z.union([z.string().max(max), z.number()]).optional();

/** The nudge form as the card sends it: every field optional text, sizes bounded. */
export const NudgeForm = z
  .object({
    audience: text(40),
    groups: text(2000),
    exclude: text(5000),
    kind: text(20),
    deadline: text(20),
    note: text(400),
    everyDays: text(10),
    maxTimes: text(10),
  })
  .loose();

/** The card's values as trimmed text (services/campaigns/form.ts checks them). */
export function formValues(data: z.infer<typeof NudgeForm>): NudgeFormValues {
  const s = (v: string | number | undefined) => (v === undefined ? '' : String(v).trim());
  return {
    audience: s(data.audience),
    groups: s(data.groups),
    exclude: s(data.exclude),
    kind: s(data.kind),
    deadline: s(data.deadline),
    note: s(data.note).replace(/\s+/g, ' '),
    everyDays: s(data.everyDays),
    maxTimes: s(data.maxTimes),
  };
}
