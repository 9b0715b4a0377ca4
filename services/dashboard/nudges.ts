import { formatDeadline } from '../campaigns/model';
import type { CampaignViews } from '../campaigns/views';
import type { Audience } from '../campaigns/audience';
import { checkForm } from '../campaigns/form';
import {
  KIND_LABELS,
  type CampaignSpec,
  type Draft,
  type MessageKind,
  type Origin,
  type Person,
} from '../campaigns/model';

/**
 * Starting a nudge from the tab for exactly the people an admin ticked, with the bot's rules: the
 * same form checks (the note screened for patient data, codes and links; a deadline in the future),
 * a stored draft only the admin who made it may confirm, a second confirmation above the
 * threshold, and the campaign service's audit record at launch.
 */

/** What the admin chose in the tab (the message fields as the bot's form has them). */
export interface NudgeRequest {
  /** Entra object ids of the people ticked in the list. */
  people: string[];
  kind: MessageKind;
  deadline?: string;
  note?: string;
  everyDays?: number;
  maxTimes?: number;
}

export type NudgePreview =
  | { kind: 'problems'; problems: string[] }
  | { kind: 'nobody'; notNeeded: number }
  | {
      kind: 'preview';
      draftId: string;
      recipients: number;
      /** Up to ten of their names. */
      names: string[];
      /** Ticked people who need no nudge any more (on Authenticator now, or gone). */
      notNeeded: number;
      /** The nudge as the first of them will read it. */
      message: { title: string; lines: string[] };
      summary: string[];
      /** More people than the threshold: the admin confirms twice. */
      confirmTwice: boolean;
    };

export type NudgeConfirmation =
  | { kind: 'launched' | 'already'; campaignId: string; recipients: number }
  | { kind: 'confirm-again'; recipients: number }
  | { kind: 'expired' | 'not-yours' | 'no-chat' };

export interface NudgeStarter {
  preview(request: NudgeRequest, by: Person): Promise<NudgePreview>;
  confirm(draftId: string, by: Person, final: boolean): Promise<NudgeConfirmation>;
}

/** What the starter needs of the campaign service (CampaignService in services/campaigns). */
interface CampaignLauncher {
  preview(spec: CampaignSpec, by: Person): Promise<{ audience: Audience; draft?: Draft }>;
  confirm(
    draftId: string,
    by: Person,
    final: boolean,
    origin: Origin,
  ): Promise<
    | { kind: 'expired' | 'not-yours' }
    | { kind: 'confirm-again'; draft: Draft }
    | { kind: 'launched' | 'already'; campaign: { id: string; recipients: number } }
  >;
}

export interface CampaignNudgeDeps {
  campaigns: CampaignLauncher;
  roleNames: readonly string[];
  confirmThreshold: number;
  /** Where the bot sends from for this admin (their chat with it); undefined when it cannot tell. */
  origin(adminId: string): Promise<Origin | undefined>;
  today(): string;
  /** How the nudge looks (the bot's card), so the preview shows its words. */
  views: Pick<CampaignViews<object>, 'nudge'>;
}

/** A selection larger than this goes through the bot's own "nudge" form (by group). */
export const MAX_SELECTION = 1000;

export class CampaignNudgeStarter implements NudgeStarter {
  constructor(private readonly d: CampaignNudgeDeps) {}

  async preview(request: NudgeRequest, by: Person): Promise<NudgePreview> {
    const wanted = new Set(request.people);
    if (wanted.size === 0)
      return { kind: 'problems', problems: ['Please tick at least one person.'] };
    if (wanted.size > MAX_SELECTION) {
      return {
        kind: 'problems',
        problems: [
          `Please tick at most ${MAX_SELECTION} people, or nudge whole groups with "nudge" in the chat with the bot.`,
        ],
      };
    }
    const checked = checkForm(
      {
        audience: 'no-authenticator',
        groups: '',
        exclude: '',
        kind: request.kind,
        deadline: request.deadline ?? '',
        note: request.note ?? '',
        everyDays: request.everyDays === undefined ? '' : String(request.everyDays),
        maxTimes: request.maxTimes === undefined ? '' : String(request.maxTimes),
      },
      this.d.roleNames,
      this.d.today(),
    );
    if ('problems' in checked) return { kind: 'problems', problems: checked.problems };
    // The service reads the registrations again: anyone ticked who registered meanwhile is left out.
    const spec: CampaignSpec = { ...checked.spec, only: [...wanted] };
    const { draft } = await this.d.campaigns.preview(spec, by);
    if (!draft) return { kind: 'nobody', notNeeded: wanted.size };
    return this.previewOf(draft, wanted.size);
  }

  async confirm(draftId: string, by: Person, final: boolean): Promise<NudgeConfirmation> {
    const origin = await this.d.origin(by.id);
    if (!origin) return { kind: 'no-chat' };
    const result = await this.d.campaigns.confirm(draftId, by, final, origin);
    switch (result.kind) {
      case 'expired':
      case 'not-yours':
        return { kind: result.kind };
      case 'confirm-again':
        return { kind: 'confirm-again', recipients: result.draft.recipients.length };
      default:
        return {
          kind: result.kind,
          campaignId: result.campaign.id,
          recipients: result.campaign.recipients,
        };
    }
  }

  private previewOf(draft: Draft, ticked: number): NudgePreview {
    const n = draft.recipients.length;
    const first = draft.recipients[0]!;
    const card = this.d.views.nudge(
      { id: 'preview', spec: draft.spec, createdBy: draft.createdBy },
      first,
      1,
    );
    const texts = textsOf(card);
    const { spec } = draft;
    const summary = [
      `Message: ${KIND_LABELS[spec.kind]}${spec.deadline ? `, set up by ${formatDeadline(spec.deadline)}` : ''}.`,
      spec.repeat
        ? `Reminders: every ${spec.repeat.everyDays} day${spec.repeat.everyDays === 1 ? '' : 's'}, up to ${spec.repeat.maxTimes} more time${spec.repeat.maxTimes === 1 ? '' : 's'}, until they register.`
        : 'No reminders after this one.',
    ];
    return {
      kind: 'preview',
      draftId: draft.id,
      recipients: n,
      names: draft.recipients.slice(0, 10).map((r) => r.name),
      notNeeded: ticked - n,
      message: { title: texts[0] ?? '', lines: texts.slice(1) },
      summary,
      confirmTwice: n > this.d.confirmThreshold,
    };
  }
}

/** The text of a card's TextBlocks, in order (the nudge as plain lines for the tab). */
function textsOf(card: unknown): string[] {
  const out: string[] = [];
  const walk = (node: unknown): void => {
    if (Array.isArray(node)) return node.forEach(walk);
    if (!node || typeof node !== 'object') return;
    const o = node as Record<string, unknown>;
    if (o.type === 'TextBlock' && typeof o.text === 'string' && o.text.trim()) out.push(o.text);
    for (const key of ['body', 'items', 'columns']) if (key in o) walk(o[key]);
  };
  walk(card);
  return out;
}
