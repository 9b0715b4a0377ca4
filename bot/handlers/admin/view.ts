import { expandCard, type CardJson } from '../../../cards/render';
import { nudgeCard } from '../../../cards/campaigns';
import { formatDeadline } from '../../../services/campaigns/model';
import type { Coverage, CoverageRow } from '../../../services/campaigns/coverage';
import { AUDIENCE_LABELS, KIND_LABELS, type Draft } from '../../../services/campaigns/model';
import { formatTime } from '../../../services/campaigns/report';
import type { NudgeFormValues } from '../../../services/campaigns/form';

const PAGE_SIZE = 10;

function pct(n: number, of: number): string {
  return `${n} (${of ? Math.round((n / of) * 100) : 0}%)`;
}

function ago(iso: string, now: Date): string {
  const minutes = Math.round((now.getTime() - Date.parse(iso)) / 60_000);
  if (minutes < 1) return 'just now';
  if (minutes < 90) return `${minutes} minute${minutes === 1 ? '' : 's'} ago`;
  const hours = Math.round(minutes / 60);
  return hours < 36 ? `${hours} hours ago` : `${Math.round(hours / 24)} days ago`;
}

function row(r: CoverageRow) {
  return {
    name: r.name,
    total: r.total,
    auth: pct(r.authenticator, r.total),
    other: pct(r.other, r.total),
    none: pct(r.none, r.total),
  };
}

/** When the figures were worked out, and how far behind Microsoft's report may be. */
function freshness(c: Coverage, now: Date): string {
  const asOf = `As of ${formatTime(c.computedAt)} (${ago(c.computedAt, now)}).`;
  const report = "From Microsoft's registration report, which can be a few hours behind";
  return c.reportUpdatedAt
    ? `${asOf} ${report}: the newest change it shows is from ${formatTime(c.reportUpdatedAt)} (${ago(c.reportUpdatedAt, now)}).`
    : `${asOf} ${report}.`;
}

/** Coverage overall and per role group, then one page of the people not on Authenticator yet. */
export function statusCard(c: Coverage, page: number, now: Date, notice = ''): CardJson {
  const pages = Math.max(1, Math.ceil(c.notRegistered.length / PAGE_SIZE));
  const p = Math.min(Math.max(0, page), pages - 1);
  const people = c.notRegistered.slice(p * PAGE_SIZE, (p + 1) * PAGE_SIZE).map((x) => ({
    name: x.name,
    detail: `${x.groups.join(', ') || 'No role group'} · ${x.standing === 'other' ? 'another method only' : 'nothing yet'}`,
  }));
  const o = c.overall;
  const leftOut = [
    c.guests ? `${c.guests} guest${c.guests === 1 ? '' : 's'}` : '',
    c.excluded ? `${c.excluded} in the never-nudge group` : '',
  ]
    .filter(Boolean)
    .join(' and ');
  const n = c.notRegistered.length;
  return expandCard('admin-status', {
    notice,
    asOf: freshness(c, now),
    headline: `${o.authenticator} of ${o.total} people (${o.total ? Math.round((o.authenticator / o.total) * 100) : 0}%) use Microsoft Authenticator.`,
    rows: [row(o), ...c.byRole.map(row)],
    leftOut: `${leftOut ? `Not counted: ${leftOut}. ` : ''}Disabled accounts are not in Microsoft's registration report.`,
    listTitle: n
      ? `Not on Authenticator yet: ${n} ${n === 1 ? 'person' : 'people'}${pages > 1 ? ` (page ${p + 1} of ${pages})` : ''}`
      : 'Everyone counted is on Authenticator. Nice work.',
    people,
    hasPrev: p > 0,
    hasNext: p < pages - 1,
    prevPage: p - 1,
    nextPage: p + 1,
    page: p,
  });
}

export const EMPTY_FORM: NudgeFormValues = {
  audience: 'no-authenticator',
  groups: '',
  exclude: '',
  kind: 'friendly',
  deadline: '',
  note: '',
  everyDays: '',
  maxTimes: '',
};

export function nudgeFormCard(
  values: NudgeFormValues,
  roleNames: readonly string[],
  today: string,
  notice = '',
): CardJson {
  return expandCard('admin-nudge', {
    ...values,
    notice,
    today,
    groupChoices: roleNames.map((name) => ({ name })),
  });
}

export function formFromDraft(d: Draft): NudgeFormValues {
  return {
    audience: d.spec.audience,
    groups: d.spec.groups.join(','),
    exclude: d.spec.exclude.join('\n'),
    kind: d.spec.kind,
    deadline: d.spec.deadline ?? '',
    note: d.spec.note ?? '',
    everyDays: d.spec.repeat ? String(d.spec.repeat.everyDays) : '',
    maxTimes: d.spec.repeat ? String(d.spec.repeat.maxTimes) : '',
  };
}

function names(list: readonly string[], max: number): string {
  const shown = list.slice(0, max).join(', ');
  return list.length > max ? `${shown} and ${list.length - max} more` : shown;
}

/** Who it goes to and the nudge as they'll see it, with Confirm (or the second confirmation). */
export function previewCard(d: Draft, threshold: number, second: boolean): CardJson {
  const audience = d.summary;
  const n = d.recipients.length;
  const people = `${n} ${n === 1 ? 'person' : 'people'}`;
  const { spec } = d;
  const lines = [
    `Goes to ${people}: ${AUDIENCE_LABELS[spec.audience].toLowerCase()}${spec.groups.length ? ` in ${spec.groups.join(', ')}` : ''}.`,
    `Including ${names(
      d.recipients.map((r) => r.name),
      5,
    )}.`,
    `Message: ${KIND_LABELS[spec.kind]}${spec.deadline ? `, set up by ${formatDeadline(spec.deadline)}` : ''}.`,
    spec.repeat
      ? `Reminders: every ${spec.repeat.everyDays} day${spec.repeat.everyDays === 1 ? '' : 's'}, up to ${spec.repeat.maxTimes} more time${spec.repeat.maxTimes === 1 ? '' : 's'}, until they register.`
      : 'No reminders after this one.',
  ];
  if (audience.leftOut) lines.push(`Left out from your list: ${audience.leftOut}.`);
  if (audience.unmatched.length)
    lines.push(
      `Not in this audience (a typo, or already on Authenticator): ${names(audience.unmatched, 5)}.`,
    );
  if (audience.guests || audience.excluded) {
    lines.push(
      `Never nudged: ${audience.guests} guest${audience.guests === 1 ? '' : 's'} and ${audience.excluded} in the never-nudge group.`,
    );
  }
  if (audience.reportUpdatedAt) {
    lines.push(
      `Chosen from Microsoft's registration report (newest change ${formatTime(audience.reportUpdatedAt)}); each person is checked live again just before their nudge, as often as Microsoft's limits allow.`,
    );
  }
  const first = d.recipients[0]!;
  const sample = nudgeCard({ id: 'preview', spec, createdBy: d.createdBy }, first, 1);
  return expandCard('admin-nudge-preview', {
    notice: second
      ? `This goes to ${people}, more than ${threshold}. Please check and confirm once more.`
      : '',
    title: second ? 'Confirm a large send' : 'Check before sending',
    lines,
    firstName: first.name.split(/\s+/)[0] || first.name,
    preview: sample.body,
    buttons: 'Set up now · Remind me in 3 days · I need help',
    confirmTitle: second ? `Yes, send to ${people}` : `Send to ${people}`,
    draftId: d.id,
    final: second,
  });
}
