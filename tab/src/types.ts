/** What the tab's API answers (the shapes services/dashboard returns). */

type Role = 'admin' | 'it';

export interface Me {
  name: string;
  upn: string;
  role: Role;
  canNudge: boolean;
  demo: boolean;
  confirmThreshold: number;
}

export interface CoverageRow {
  name: string;
  total: number;
  authenticator: number;
  other: number;
  none: number;
}

export interface CoverageSummary {
  computedAt: string;
  stale: boolean;
  overall: CoverageRow;
  byRole: CoverageRow[];
  guests: number;
  excluded: number;
  groups: string[];
}

export interface Person {
  id: string;
  upn: string;
  name: string;
  groups: string[];
  standing: 'other' | 'none';
}

export interface PeoplePage {
  computedAt: string;
  total: number;
  page: number;
  pageSize: number;
  pages: number;
  people: Person[];
}

export interface Trend {
  from: string;
  points: Array<{
    date: string;
    total: number;
    authenticator: number;
    other: number;
    none: number;
  }>;
  markers: Array<{ date: string; label: string; campaignId?: string }>;
}

export interface CampaignSummary {
  id: string;
  startedAt: string;
  startedBy: string;
  status: 'preparing' | 'running' | 'waiting' | 'done' | 'cancelled';
  what: string;
  recipients: number;
  sent: number;
  skipped: number;
  failed: number;
  pending: number;
  cancelled: number;
  registeredIn7Days?: number;
  countedOn: string;
}

export interface TicketSummary {
  open: number;
  oldestMinutes?: number;
  byAge: Array<{ label: string; count: number }>;
  byKind: Array<{ kind: string; label: string; count: number }>;
}

export type NudgePreview =
  | { kind: 'problems'; problems: string[] }
  | { kind: 'nobody'; notNeeded: number }
  | {
      kind: 'preview';
      draftId: string;
      recipients: number;
      names: string[];
      notNeeded: number;
      message: { title: string; lines: string[] };
      summary: string[];
      confirmTwice: boolean;
    };

export type NudgeConfirmation =
  | { kind: 'launched' | 'already'; campaignId: string; recipients: number }
  | { kind: 'confirm-again'; recipients: number }
  | { kind: 'expired' | 'not-yours' | 'no-chat' };

export type ReadinessStatus = 'pass' | 'attention' | 'fail' | 'unknown';

export interface ReadinessCheck {
  id: string;
  title: string;
  status: ReadinessStatus;
  reason: string;
  risk: string;
  fixUrl: string;
  needs?: string;
}

export interface ReadinessPanel {
  generatedAt: string;
  ready: boolean;
  headline: string;
  /** Check ids, in the order to clear them. */
  blocking: string[];
  coverage: { total: number; authenticator: number; other: number; none: number } | null;
  checks: ReadinessCheck[];
}
