import { screenText } from '../guard/guard';
import { parseUpnList } from './audience';
import type { AudienceKind, CampaignSpec, MessageKind } from './model';

/**
 * The nudge form's rules, as data: who, which message, the deadline, the note and the repeats.
 * The bot's nudge card and the dashboard tab both send their choices through here, so a note
 * with patient data or a code, a link, or a deadline in the past is refused the same way.
 */

/** The form's fields as text, as a card sends them (the tab fills in the same fields). */
export interface NudgeFormValues {
  audience: string;
  groups: string;
  exclude: string;
  kind: string;
  deadline: string;
  note: string;
  everyDays: string;
  maxTimes: string;
}

export type CheckedForm = { spec: CampaignSpec } | { problems: string[]; values: NudgeFormValues };

const NOTE_MAX = 200;
const AUDIENCES: readonly AudienceKind[] = ['no-authenticator', 'no-mfa'];
const KINDS: readonly MessageKind[] = ['friendly', 'deadline', 'final'];

function whole(value: string, min: number, max: number): number | undefined {
  if (!/^\d+$/.test(value)) return undefined;
  const n = Number(value);
  return n >= min && n <= max ? n : undefined;
}

/**
 * Turns the form into a campaign spec, or says plainly what to fix. A note that looks like
 * patient data, a code or a password is rejected with the reason and is not echoed back.
 * `today` is YYYY-MM-DD.
 */
export function checkForm(
  values: NudgeFormValues,
  roleNames: readonly string[],
  today: string,
): CheckedForm {
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
