import { randomUUID } from 'node:crypto';
import type { AuditLog } from '../audit/log';
import { DAY, HOUR, MINUTE, type Clock } from '../clock';
import type { Directory } from '../directory/types';
import type { Logger } from '../logger';
import type { Scheduler } from '../scheduler';
import type { SendBudget } from '../send-budget';
import { ConflictError, type DocumentStore } from '../storage/types';
import { WindowLimiter } from '../window-limiter';
import { AppCatalog } from './app-catalog';
import { selectAudience, type Audience } from './audience';
import { CoverageCache, type CampaignGroups, type ScanSource } from './coverage';
import { Delivery, type NudgeMessenger } from './delivery';
import type { Campaign, CampaignSpec, CardRef, Draft, Origin, Person } from './model';
import { ProgressCards } from './progress';
import { RegistrationChecks } from './registration';
import { CampaignSender, DEFAULT_TUNING, type SenderTuning } from './sender';
import type { SenderLease } from './sender-lease';
import { CampaignStore } from './store';
import { OUTCOME_JOB, outcomeJobId, remindersPending, REPEAT_JOB, repeatJobId } from './job-names';
import type { CampaignViews } from './views';
import { UTC, type TimeZone } from '../time';

export interface CampaignSettings {
  groups: CampaignGroups;
  /** The id in the app's manifest (TEAMS_APP_ID), to find its id in the Teams app catalog. */
  teamsAppId?: string;
  /** The app's id in the Teams app catalog, when set by hand (TEAMS_APP_CATALOG_ID). */
  teamsAppCatalogId?: string;
  /** Audiences larger than this need a second confirmation. */
  confirmThreshold: number;
  /** The practice's time zone, for times on the campaign card (kept current without a turn). */
  timeZone?: TimeZone;
}

/**
 * Graph's identity and access reports limit is 5 requests per 10 seconds per app per tenant, and
 * it counts the registration report and each person's method list alike, which IT's recovery
 * actions (device lists, removing an Authenticator, passes) use too. Campaigns and coverage
 * reports keep to 2 of them, leaving 3 for IT and staff.
 */
export const CAMPAIGN_GRAPH_READS = { requests: 2, perMs: 10_000 };
/**
 * Teams allows 30 requests per second per app per tenant on installedApps; installing for one
 * person takes three (install, find it, find its chat). Campaigns install for 5 people a second.
 */
export const CAMPAIGN_INSTALLS = { requests: 5, perMs: 1000 };
/** How often the admin's card is updated while sending, when the store is remote. */
const REMOTE_PROGRESS_EVERY_MS = 15_000;
const LOOK_FOR_CAMPAIGNS_MS = 1000;
/** A registration report read for a campaign is used this long; the report itself lags by hours. */
const REPORT_MAX_AGE_MS = 15 * MINUTE;

/**
 * Overrides for tests and benchmarks: a faster send rate than Teams allows a real tenant (the
 * bot's send budget is built with it), shorter leases, a larger share of a stand-in's Graph.
 */
export type CampaignTuning = Partial<SenderTuning> & {
  maxRps?: number;
  graphReads?: { requests: number; perMs: number };
  installs?: { requests: number; perMs: number };
  reportMaxAgeMs?: number;
};

export interface CampaignDeps<Card> {
  store: DocumentStore;
  directory: Directory;
  scheduler: Scheduler;
  clock: Clock;
  logger: Logger;
  audit: AuditLog;
  messenger: NudgeMessenger<Card>;
  /** How nudges and the admin's card look (cards/campaigns.ts). */
  views: CampaignViews<Card>;
  /** The bot's one send budget: nudges use its bulk lane. */
  budget: SendBudget;
  settings: CampaignSettings;
  tuning?: CampaignTuning;
  /**
   * Several instances on one store: only the holder of this lease sends. Without it this is the
   * only instance (one SQLite file), and anything claimed before a restart is released at start.
   */
  senderLease?: SenderLease;
}

export type ConfirmResult =
  | { kind: 'expired' }
  | { kind: 'not-yours' }
  | { kind: 'confirm-again'; draft: Draft }
  | { kind: 'launched' | 'already'; campaign: Campaign };

/** Drafts live this long; after that the admin previews again. */
const DRAFT_TTL_MS = 2 * HOUR;

/**
 * Registration campaigns end to end: preview an audience, store the campaign and its outbox,
 * send at Teams' pace, keep the admin's card up to date, resume after a restart. `Card` is how
 * the bot shows things; this service passes it along without looking inside.
 */
export class CampaignService<Card = unknown> {
  readonly store: CampaignStore;
  readonly coverage: CoverageCache;
  readonly sender: CampaignSender;
  /** Registration checks before each nudge: the report, and live checks within the campaigns' share. */
  readonly checks: RegistrationChecks;
  /** The report and group members, read within the campaigns' share of Graph's limit. */
  readonly reports: ScanSource;
  /** Which app to install for people who never opened the bot. */
  readonly catalog: AppCatalog;
  private readonly progress: ProgressCards<Card>;
  private readonly preparing = new Map<string, Promise<void>>();
  private leaseTimer: NodeJS.Timeout | undefined;
  private lookTimer: NodeJS.Timeout | undefined;
  private leaseTurn: Promise<void> | undefined;

  constructor(private readonly deps: CampaignDeps<Card>) {
    const { maxRps: _rate, graphReads, installs, reportMaxAgeMs, ...overrides } = deps.tuning ?? {};
    const rate = deps.budget.options.ratePerSecond;
    const tuning: SenderTuning = {
      ...DEFAULT_TUNING,
      concurrency: Math.max(DEFAULT_TUNING.concurrency, Math.ceil(rate / 2)),
      // On shared Azure storage, counting a campaign for the admin's card reads every row.
      ...(deps.senderLease ? { progressEveryMs: REMOTE_PROGRESS_EVERY_MS } : {}),
      ...overrides,
    };
    this.store = new CampaignStore(deps.store, deps.clock);
    const reads = new WindowLimiter(graphReads ?? CAMPAIGN_GRAPH_READS);
    this.checks = new RegistrationChecks({
      directory: deps.directory,
      reads,
      clock: deps.clock,
      logger: deps.logger,
      reportMaxAgeMs: reportMaxAgeMs ?? REPORT_MAX_AGE_MS,
    });
    this.reports = {
      registrationPages: (filter) => this.checks.registrationPages(filter),
      groupMemberPages: (groupId) => deps.directory.groupMemberPages(groupId),
    };
    this.coverage = new CoverageCache(deps.store, this.reports, deps.settings.groups, deps.clock);
    this.catalog = new AppCatalog(
      deps.directory,
      { manifestId: deps.settings.teamsAppId, catalogId: deps.settings.teamsAppCatalogId },
      deps.clock,
      deps.logger,
    );
    const delivery = new Delivery({
      checks: this.checks,
      directory: deps.directory,
      installs: new WindowLimiter(installs ?? CAMPAIGN_INSTALLS),
      messenger: deps.messenger,
      views: deps.views,
      budget: deps.budget,
      catalog: this.catalog,
      logger: deps.logger,
      gate: deps.senderLease,
    });
    this.progress = new ProgressCards({
      store: this.store,
      views: deps.views,
      scheduler: deps.scheduler,
      budget: deps.budget,
      messenger: deps.messenger,
      logger: deps.logger,
      rate: (id) => this.sender.rate(id),
      timeZone: deps.settings.timeZone ?? UTC,
    });
    this.sender = new CampaignSender(
      this.store,
      delivery,
      deps.clock,
      deps.logger,
      tuning,
      {
        progress: (id) => void this.updateCard(id, false),
        finished: (id) => this.finished(id),
      },
      deps.senderLease,
    );
  }

  get settings(): CampaignSettings {
    return this.deps.settings;
  }

  /** Works out the audience now; stores a draft only when there is someone to nudge. */
  async preview(spec: CampaignSpec, by: Person): Promise<{ audience: Audience; draft?: Draft }> {
    const { scan } = await this.coverage.refresh();
    // The sends that follow go by this same report, rather than reading it again at once.
    const registered = new Set(
      scan.entries.filter((e) => e.standing === 'authenticator').map((e) => e.id),
    );
    this.checks.remember({ registered, updatedAt: scan.reportUpdatedAt, readAt: scan.scannedAt });
    const audience = selectAudience(scan, spec);
    if (audience.recipients.length === 0) return { audience };
    const now = this.deps.clock.now();
    await this.store.pruneDrafts(new Date(now.getTime() - DRAFT_TTL_MS));
    const { recipients, ...summary } = audience;
    const draft: Draft = {
      id: randomUUID(),
      spec,
      recipients,
      summary,
      createdBy: by,
      createdAt: now.toISOString(),
      confirmations: 0,
    };
    await this.store.saveDraft(draft);
    return { audience, draft };
  }

  async draft(id: string, by: Person): Promise<Draft | 'expired' | 'not-yours'> {
    const doc = await this.store.draft(id);
    if (!doc || this.deps.clock.now().getTime() - Date.parse(doc.value.createdAt) > DRAFT_TTL_MS)
      return 'expired';
    return doc.value.createdBy.id === by.id ? doc.value : 'not-yours';
  }

  /**
   * A confirmation click. Launches when the audience is small, or on the second confirmation of a
   * large one; the count of confirmations is kept server-side, so a forged "final" click can't
   * skip the first. A second click on a launched draft shows the campaign instead.
   */
  async confirm(
    draftId: string,
    by: Person,
    final: boolean,
    origin: Origin,
  ): Promise<ConfirmResult> {
    for (let attempt = 0; attempt < 5; attempt += 1) {
      const doc = await this.store.draft(draftId);
      if (doc?.value.campaignId) {
        const campaign = await this.store.campaign(doc.value.campaignId);
        if (campaign) return { kind: 'already', campaign };
      }
      const checked = await this.draft(draftId, by);
      if (checked === 'expired' || checked === 'not-yours') return { kind: checked };
      const draft = doc!.value;
      const large = draft.recipients.length > this.deps.settings.confirmThreshold;
      try {
        if (large && !(final && draft.confirmations >= 1)) {
          const next = { ...draft, confirmations: Math.max(1, draft.confirmations) };
          if (next.confirmations !== draft.confirmations)
            await this.store.saveDraft(next, doc!.etag);
          return { kind: 'confirm-again', draft: next };
        }
        const id = await this.store.nextId();
        await this.store.saveDraft(
          { ...draft, campaignId: id, confirmations: draft.confirmations + 1 },
          doc!.etag,
        );
        return { kind: 'launched', campaign: await this.launch(id, draft, origin) };
      } catch (err) {
        if (!(err instanceof ConflictError)) throw err;
      }
    }
    throw new Error('could not confirm the campaign: the draft keeps changing');
  }

  private async launch(id: string, draft: Draft, origin: Origin): Promise<Campaign> {
    const now = this.deps.clock.now();
    const campaign: Campaign = {
      id,
      draftId: draft.id,
      spec: draft.spec,
      createdBy: draft.createdBy,
      createdAt: now.toISOString(),
      status: 'preparing',
      recipients: draft.recipients.length,
      round: 1,
      origin,
    };
    await this.store.createCampaign(campaign);
    await this.deps.audit.append({
      actor: draft.createdBy.id,
      action: 'campaign.launch',
      target: id,
      outcome: 'success',
      details: {
        recipients: campaign.recipients,
        kind: draft.spec.kind,
        audience: draft.spec.audience,
        groups: draft.spec.groups.length,
        picked: draft.spec.only?.length ?? 0,
        repeats: draft.spec.repeat?.maxTimes ?? 0,
      },
    });
    this.prepare(id);
    return campaign;
  }

  /** Writes the outbox (resumable: rows already written are kept), then starts sending. */
  prepare(id: string): void {
    if (this.preparing.has(id)) return;
    const work = (async () => {
      const campaign = await this.store.campaign(id);
      if (!campaign || campaign.status !== 'preparing') return;
      const draft = await this.store.draft(campaign.draftId);
      if (!draft) {
        await this.store.updateCampaign(id, (c) => ({
          ...c,
          status: 'cancelled',
          cancelledAt: this.deps.clock.now().toISOString(),
        }));
        this.deps.logger.error(
          { campaign: id },
          'campaign draft missing before its outbox was written; cancelled',
        );
        return;
      }
      await this.store.addRows(id, draft.value.recipients);
      await this.scheduleFollowUps(campaign);
      const now = this.deps.clock.now().toISOString();
      await this.store.updateCampaign(id, (c) =>
        c.status === 'preparing' ? { ...c, status: 'running', roundStartedAt: now } : undefined,
      );
      await this.store.shrinkDraft(campaign.draftId);
      this.sender.kick(id);
    })()
      .catch((err: unknown) =>
        this.deps.logger.error(
          { err, campaign: id },
          'could not prepare the campaign; it resumes at the next start',
        ),
      )
      .finally(() => this.preparing.delete(id));
    this.preparing.set(id, work);
  }

  /** The reminder rounds and the seven-day count, timed from the launch (kept if already there). */
  private async scheduleFollowUps(c: Campaign): Promise<void> {
    const launched = Date.parse(c.createdAt);
    const repeat = c.spec.repeat;
    if (repeat && !(await this.deps.scheduler.get(repeatJobId(c.id)))) {
      await this.deps.scheduler.schedule(
        REPEAT_JOB,
        new Date(launched + repeat.everyDays * DAY),
        { campaignId: c.id, round: 2 },
        repeatJobId(c.id),
      );
    }
    if (!(await this.deps.scheduler.get(outcomeJobId(c.id)))) {
      await this.deps.scheduler.schedule(
        OUTCOME_JOB,
        new Date(launched + 7 * DAY),
        { campaignId: c.id },
        outcomeJobId(c.id),
      );
    }
  }

  /** Remembers which card shows the admin this campaign's progress. */
  async attachCard(id: string, card: CardRef): Promise<void> {
    await this.store.updateCampaign(id, (c) => ({ ...c, card }));
  }

  async cancel(id: string, by: Person): Promise<Campaign | undefined> {
    const now = this.deps.clock.now().toISOString();
    const campaign = await this.store.updateCampaign(id, (c) =>
      c.status === 'done' || c.status === 'cancelled'
        ? undefined
        : { ...c, status: 'cancelled', cancelledBy: by, cancelledAt: now },
    );
    if (!campaign) return undefined;
    await this.deps.scheduler.cancel(repeatJobId(id));
    if (!this.sender.isSending(id)) await this.store.cancelQueued(id, 'campaign cancelled');
    await this.deps.audit.append({
      actor: by.id,
      action: 'campaign.cancel',
      target: id,
      outcome: 'success',
    });
    return campaign;
  }

  /**
   * Picks up campaigns a previous run left unfinished. Messages that were in flight when it
   * stopped are sent again at once (at most those can reach someone twice). With several
   * instances, this instance asks for the sender lease now and every third of its life; holding
   * it, it sends every unfinished campaign, those launched on other instances too.
   */
  resume(): void {
    const lease = this.deps.senderLease;
    if (!lease) {
      this.resumeAll(true).catch((err: unknown) =>
        this.deps.logger.error({ err }, 'could not resume campaigns'),
      );
      return;
    }
    // One turn at a time: renewing the lease, or looking for campaigns to send.
    const turn = (work: () => Promise<void>) => {
      this.leaseTurn ??= work()
        .catch((err: unknown) => this.deps.logger.error({ err }, 'could not resume campaigns'))
        .finally(() => (this.leaseTurn = undefined));
    };
    const renew = () => turn(() => this.leaseTurnOnce(lease));
    renew();
    this.leaseTimer = setInterval(renew, lease.options.renewMs);
    this.leaseTimer.unref();
    // Between renewals the holder looks for campaigns confirmed on another instance, so one
    // starts within a second wherever the admin clicked (one small read of the active ones).
    this.lookTimer = setInterval(() => {
      if (lease.holds()) turn(() => this.resumeAll(false));
    }, LOOK_FOR_CAMPAIGNS_MS);
    this.lookTimer.unref();
  }

  private async leaseTurnOnce(lease: SenderLease): Promise<void> {
    const state = await lease.refresh();
    if (state === 'gained') this.deps.logger.info('this instance now sends campaign nudges');
    // Kept: a campaign launched on another instance since the last look starts here. The
    // previous holder's claims are left to run out: it may still be finishing a send.
    if (state !== 'none') await this.resumeAll(state === 'gained');
  }

  /** `afterStop`: at start, or on taking the sender lease over from an instance that stopped. */
  private async resumeAll(afterStop: boolean): Promise<void> {
    for (const c of await this.store.unfinished()) {
      if (c.status === 'preparing') {
        // Only after a stop: otherwise the instance it was launched on is writing its outbox.
        if (afterStop && !this.preparing.has(c.id)) this.prepare(c.id);
        continue;
      }
      if (this.sender.isSending(c.id)) continue;
      // One instance per SQLite file: nothing claimed before this start is still being sent.
      if (afterStop && !this.deps.senderLease) {
        const released = await this.store.releaseLeases(c.id);
        if (released)
          this.deps.logger.warn(
            { campaign: c.id, released },
            'resending nudges that were in flight at the last stop',
          );
      }
      this.sender.kick(c.id);
    }
  }

  /**
   * Opens the campaign for another send (a reminder round, or one person's snoozed nudge). Called
   * before rows are queued again, so a crash in between leaves nothing stranded.
   */
  async reopen(id: string, round?: number): Promise<Campaign | undefined> {
    const now = this.deps.clock.now().toISOString();
    return this.store.updateCampaign(id, (c) =>
      c.status === 'cancelled'
        ? undefined
        : {
            ...c,
            status: 'running',
            round: round ?? c.round,
            finishedAt: undefined,
            roundStartedAt: round ? now : c.roundStartedAt,
          },
    );
  }

  async stop(): Promise<void> {
    clearInterval(this.leaseTimer);
    clearInterval(this.lookTimer);
    await this.leaseTurn;
    await Promise.allSettled(this.preparing.values());
    await this.sender.stop();
    await this.progress.settle();
    // Handed over at once: another instance need not wait for the lease to run out.
    await this.deps.senderLease?.release();
  }

  /** The admin's card for a campaign; with details, scans its rows for clicks and reasons. */
  card(id: string, details: boolean, notice = ''): Promise<Card | undefined> {
    return this.progress.card(id, details, notice);
  }

  /** Updates the admin's card in place. */
  updateCard(id: string, details: boolean): Promise<void> {
    return this.progress.update(id, details);
  }

  private async finished(id: string): Promise<void> {
    const counts = await this.store.counts(id);
    if (counts.queued + counts.sending > 0) return;
    const campaign = await this.store.campaign(id);
    const waiting = campaign
      ? await remindersPending(this.deps.scheduler, campaign, this.deps.clock.now())
      : false;
    const now = this.deps.clock.now().toISOString();
    await this.store.updateCampaign(id, (c) => {
      if (c.status === 'cancelled') return c.finishedAt ? undefined : { ...c, finishedAt: now };
      return { ...c, status: waiting ? 'waiting' : 'done', finishedAt: now };
    });
    this.deps.logger.info({ campaign: id, counts }, 'campaign round finished');
    await this.updateCard(id, true);
  }
}
