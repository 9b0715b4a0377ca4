import type { Scan } from './coverage';
import type { AudienceSummary, CampaignSpec, Recipient } from './model';

export interface Audience extends AudienceSummary {
  recipients: Recipient[];
}

/** The people a campaign would message: a pure function of a directory scan and the admin's choices. */
export function selectAudience(
  scan: Scan,
  spec: Pick<CampaignSpec, 'audience' | 'groups' | 'exclude' | 'only'>,
): Audience {
  const wanted = new Set(spec.groups);
  const only = spec.only ? new Set(spec.only.map((id) => id.toLowerCase())) : undefined;
  const exclude = new Set(spec.exclude.map((u) => u.toLowerCase()));
  const matchedExcludes = new Set<string>();
  const recipients: Recipient[] = [];
  for (const e of scan.entries) {
    if (e.standing === 'authenticator') continue;
    if (spec.audience === 'no-mfa' && e.standing !== 'none') continue;
    if (wanted.size && !e.groups.some((g) => wanted.has(g))) continue;
    if (only && !only.has(e.id.toLowerCase())) continue;
    const upn = e.upn.toLowerCase();
    if (exclude.has(upn)) {
      matchedExcludes.add(upn);
      continue;
    }
    recipients.push({ id: e.id, upn: e.upn, name: e.name, groups: e.groups });
  }
  recipients.sort((a, b) => a.name.localeCompare(b.name) || a.upn.localeCompare(b.upn));
  return {
    recipients,
    leftOut: matchedExcludes.size,
    unmatched: [...exclude].filter((u) => !matchedExcludes.has(u)),
    guests: scan.guests,
    excluded: scan.excluded,
    reportUpdatedAt: scan.reportUpdatedAt,
  };
}

/** UPNs from free text: commas, semicolons, spaces or new lines between them. */
export function parseUpnList(text: string): { upns: string[]; invalid: string[] } {
  const parts = text
    .split(/[\s,;]+/)
    .map((p) => p.trim().toLowerCase())
    .filter(Boolean);
  const upns: string[] = [];
  const invalid: string[] = [];
  for (const p of new Set(parts)) (/^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(p) ? upns : invalid).push(p);
  return { upns, invalid };
}
