import { z } from 'zod';
import { parseUpnList } from '../../../services/campaigns/audience';
import type { AudienceKind, CampaignSpec, MessageKind } from '../../../services/campaigns/model';
import { screenText } from '../../../services/guard/guard';
import type { FormValues } from './view';

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

const NOTE_MAX = 200;
const AUDIENCES: readonly AudienceKind[] = ['no-authenticator', 'no-mfa'];
const KINDS: readonly MessageKind[] = ['friendly', 'deadline', 'final'];

export function formValues(data: z.infer<typeof NudgeForm>): FormValues {
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

export type Checked = { spec: CampaignSpec } | { problems: string[]; values: FormValues };

function whole(value: string, min: number, max: number): number | undefined {
  if (!/^\d+$/.test(value)) return undefined;
  const n = Number(value);
  return n >= min && n <= max ? n : undefined;
}

/**
 * Turns the form into a campaign spec, or says plainly what to fix. A note that looks like
 * patient data, a code or a password is rejected with the reason and is not echoed back.
 */
export function checkForm(
  values: FormValues,
  roleNames: readonly string[],
  today: string,
): Checked {
  const problems: string[] = [];
  const v = { ...values };
  const audience = AUDIENCES.find((a) => a === v.audience);
  if (!audience) problems.push('Please choose who should get the nudge.');
  const groups = v.groups
    ? v.groups
        .split(',')
        .map((g) => g.trim())
        .filter(Boolean)
    : [];
  const unknown = groups.filter((g) => !roleNames.includes(g));
  if (unknown.length) problems.push(`I don't know the group ${unknown.join(', ')}.`);
  const { upns, invalid } = parseUpnList(v.exclude);
  if (invalid.length)
    problems.push(`These don't look like sign-in names: ${invalid.slice(0, 5).join(', ')}.`);
  const kind = KINDS.find((k) => k === v.kind);
  if (!kind) problems.push('Please choose a message.');
  let deadline: string | undefined;
  if (v.deadline) {
    if (!/^\d{4}-\d{2}-\d{2}$/.test(v.deadline) || Number.isNaN(Date.parse(v.deadline)))
      problems.push('Please pick the deadline from the calendar.');
    else if (v.deadline < today)
      problems.push('The deadline is in the past. Please pick a later date.');
    else if (kind !== 'friendly') deadline = v.deadline;
  } else if (kind === 'deadline') {
    problems.push('A deadline reminder needs a date.');
  }
  let note: string | undefined = v.note || undefined;
  if (note) {
    const screened = screenText(note);
    if (screened.verdict === 'sensitive') {
      problems.push(
        `${screened.reason} I took the note out of the form; please write it again without that.`,
      );
      v.note = '';
      note = undefined;
    } else if (/https?:|www\.|\]\(/i.test(note)) {
      problems.push(
        'Please leave links out of the note: people should only follow links they can check. The buttons take them where they need to go.',
      );
    } else if (note.length > NOTE_MAX) {
      problems.push(`Please keep the note under ${NOTE_MAX} characters.`);
    }
  }
  let repeat: CampaignSpec['repeat'];
  if (v.everyDays || v.maxTimes) {
    const everyDays = whole(v.everyDays, 1, 30);
    const maxTimes = whole(v.maxTimes, 1, 10);
    if (everyDays === undefined || maxTimes === undefined)
      problems.push(
        'For reminders, fill in both boxes: every 1 to 30 days, at most 1 to 10 times.',
      );
    else repeat = { everyDays, maxTimes };
  }
  if (problems.length || !audience || !kind) return { problems, values: v };
  return { spec: { audience, groups, exclude: upns, kind, deadline, note, repeat } };
}
