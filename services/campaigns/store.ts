import type { Clock } from '../clock';
import { ConflictError, type DocumentStore, type StoredDoc } from '../storage/types';
import {
  ROW_STATES,
  type Campaign,
  type Draft,
  type OutboxRow,
  type Recipient,
  type RowState,
} from './model';

const CAMPAIGNS = 'campaigns';
const DRAFTS = 'campaign-drafts';
const OUTBOX = 'campaign-outbox';
const COUNTERS = 'counters';
/** Outbox rows written in one call when a campaign starts. */
const ADD_SLICE = 1000;

/**
 * Campaigns, drafts and outbox rows in the document store. A row's index says what the sender
 * needs: `{id}|1|{due}` while queued, `{id}|2|{lease end}` while being sent, `{id}|3|{state}` once
 * final. Claims and updates are eTag-guarded, so two senders never finish the same row.
 */
export class CampaignStore {
  constructor(
    private readonly store: DocumentStore,
    private readonly clock: Clock,
  ) {}

  // --- drafts ---

  async saveDraft(draft: Draft, etag?: string): Promise<string> {
    return this.store.put(
      DRAFTS,
      draft.id,
      draft,
      etag ? { etag, index: draft.createdAt } : { ifAbsent: true, index: draft.createdAt },
    );
  }

  async draft(id: string): Promise<StoredDoc<Draft> | undefined> {
    return this.store.get<Draft>(DRAFTS, id);
  }

  /** Drafts older than this are dropped, unless launched and still waiting for their outbox. */
  async pruneDrafts(olderThan: Date): Promise<void> {
    const old = await this.store.query<Draft>(DRAFTS, { indexBefore: olderThan.toISOString() });
    for (const d of old) {
      if (d.value.campaignId && d.value.recipients.length) continue;
      await this.store.delete(DRAFTS, d.key).catch(() => undefined);
    }
  }

  /** Once the outbox holds the recipients, the launched draft keeps only what its cards need. */
  async shrinkDraft(id: string): Promise<void> {
    const doc = await this.store.get<Draft>(DRAFTS, id);
    if (!doc?.value.recipients.length) return;
    await this.store
      .put(DRAFTS, id, { ...doc.value, recipients: [] }, { etag: doc.etag })
      .catch((err: unknown) => {
        if (!(err instanceof ConflictError)) throw err;
      });
  }

  // --- campaigns ---

  async nextId(): Promise<string> {
    for (let attempt = 0; attempt < 50; attempt += 1) {
      const current = await this.store.get<{ n: number }>(COUNTERS, CAMPAIGNS);
      const n = (current?.value.n ?? 0) + 1;
      try {
        await this.store.put(
          COUNTERS,
          CAMPAIGNS,
          { n },
          current ? { etag: current.etag } : { ifAbsent: true },
        );
        return `NUDGE-${String(n).padStart(4, '0')}`;
      } catch (err) {
        if (!(err instanceof ConflictError)) throw err;
      }
    }
    throw new Error('could not allocate a campaign number: too much contention');
  }

  async createCampaign(campaign: Campaign): Promise<void> {
    await this.store.put(CAMPAIGNS, campaign.id, campaign, {
      ifAbsent: true,
      index: campaignIndex(campaign),
    });
  }

  async campaign(id: string): Promise<Campaign | undefined> {
    return (await this.store.get<Campaign>(CAMPAIGNS, id))?.value;
  }

  /** Applies a change with an eTag check, retrying on conflicts. `change` may return undefined to skip. */
  async updateCampaign(
    id: string,
    change: (c: Campaign) => Campaign | undefined,
  ): Promise<Campaign | undefined> {
    for (let attempt = 0; attempt < 20; attempt += 1) {
      const doc = await this.store.get<Campaign>(CAMPAIGNS, id);
      if (!doc) return undefined;
      const next = change(doc.value);
      if (!next) return doc.value;
      try {
        await this.store.put(CAMPAIGNS, id, next, { etag: doc.etag, index: campaignIndex(next) });
        return next;
      } catch (err) {
        if (!(err instanceof ConflictError)) throw err;
      }
    }
    throw new Error(`could not update campaign ${id}: too much contention`);
  }

  /** Campaigns the sender still has work for (after a restart, these resume). */
  async unfinished(): Promise<Campaign[]> {
    const docs = await this.store.query<Campaign>(CAMPAIGNS, { indexPrefix: 'active|' });
    return docs.map((d) => d.value);
  }

  async recent(limit = 5): Promise<Campaign[]> {
    const docs = await this.store.query<Campaign>(CAMPAIGNS, { keyPrefix: 'NUDGE-' });
    return docs
      .map((d) => d.value)
      .sort((a, b) => b.createdAt.localeCompare(a.createdAt))
      .slice(0, limit);
  }

  // --- outbox ---

  /** Writes a queued row per recipient; rows that already exist (a resumed write) are kept. */
  async addRows(campaignId: string, recipients: readonly Recipient[]): Promise<void> {
    const dueAt = this.clock.now().toISOString();
    // A slice at a time: a campaign may have tens of thousands, and each slice is a few round
    // trips on a remote store.
    for (let at = 0; at < recipients.length; at += ADD_SLICE) {
      await this.store.addAll(
        OUTBOX,
        recipients.slice(at, at + ADD_SLICE).map((recipient) => {
          const row: OutboxRow = {
            campaignId,
            recipient,
            round: 1,
            state: 'queued',
            attempts: 0,
            totalAttempts: 0,
            dueAt,
            history: [],
            clicks: { setup: 0, snooze: 0, help: 0 },
          };
          return { key: rowKey(campaignId, recipient.id), value: row, index: rowIndex(row) };
        }),
      );
    }
  }

  async row(campaignId: string, userId: string): Promise<StoredDoc<OutboxRow> | undefined> {
    return this.store.get<OutboxRow>(OUTBOX, rowKey(campaignId, userId));
  }

  /** A campaign's rows a page at a time: a campaign may have tens of thousands. */
  async *eachRow(campaignId: string): AsyncIterable<OutboxRow> {
    for await (const page of this.store.scan<OutboxRow>(OUTBOX, { keyPrefix: `${campaignId}/` }))
      for (const doc of page) yield doc.value;
  }

  /** Every row at once, for the export (which sorts them) and small campaigns. */
  async rows(campaignId: string): Promise<OutboxRow[]> {
    const rows: OutboxRow[] = [];
    for await (const row of this.eachRow(campaignId)) rows.push(row);
    return rows;
  }

  /** Rows ready to send now: queued and due, or claimed by a sender whose lease ran out. */
  async dueRows(campaignId: string, now: Date, limit: number): Promise<StoredDoc<OutboxRow>[]> {
    const until = `${now.toISOString()}\u0000`;
    const queued = await this.store.query<OutboxRow>(OUTBOX, {
      indexFrom: `${campaignId}|1|`,
      indexBefore: `${campaignId}|1|${until}`,
      limit,
    });
    if (queued.length >= limit) return queued;
    const stale = await this.store.query<OutboxRow>(OUTBOX, {
      indexFrom: `${campaignId}|2|`,
      indexBefore: `${campaignId}|2|${until}`,
      limit: limit - queued.length,
    });
    return [...stale, ...queued];
  }

  /** When the next row becomes due (queued later, or a lease running out); undefined when all are final. */
  async nextWake(campaignId: string): Promise<Date | undefined> {
    const times: number[] = [];
    for (const stage of ['1', '2']) {
      const [first] = await this.store.query<OutboxRow>(OUTBOX, {
        indexPrefix: `${campaignId}|${stage}|`,
        limit: 1,
      });
      if (first?.index) times.push(Date.parse(first.index.slice(`${campaignId}|${stage}|`.length)));
    }
    return times.length ? new Date(Math.min(...times)) : undefined;
  }

  /** Claims a row for sending until `leaseUntil`; undefined when another sender got it first. */
  async claim(
    doc: StoredDoc<OutboxRow>,
    leaseUntil: Date,
  ): Promise<StoredDoc<OutboxRow> | undefined> {
    const now = this.clock.now().toISOString();
    const row: OutboxRow = {
      ...doc.value,
      state: 'sending',
      leaseUntil: leaseUntil.toISOString(),
      attempts: doc.value.attempts + 1,
      totalAttempts: doc.value.totalAttempts + 1,
      lastAttemptAt: now,
    };
    try {
      const etag = await this.store.put(OUTBOX, doc.key, row, {
        etag: doc.etag,
        index: rowIndex(row),
      });
      return { ...doc, value: row, etag, index: rowIndex(row) };
    } catch (err) {
      if (err instanceof ConflictError) return undefined;
      throw err;
    }
  }

  /**
   * Ends the leases of rows that were being sent when the process stopped, so they are sent
   * again now rather than when the lease would have run out. Only safe when no other process
   * can be sending them: one bot instance per database file.
   */
  async releaseLeases(campaignId: string): Promise<number> {
    const now = this.clock.now().toISOString();
    const leased = await this.store.query<OutboxRow>(OUTBOX, { indexPrefix: `${campaignId}|2|` });
    let released = 0;
    for (const doc of leased) {
      const row: OutboxRow = { ...doc.value, leaseUntil: now };
      try {
        await this.store.put(OUTBOX, doc.key, row, { etag: doc.etag, index: rowIndex(row) });
        released += 1;
      } catch (err) {
        if (!(err instanceof ConflictError)) throw err;
      }
    }
    return released;
  }

  /** Saves a changed row if nobody changed it since `etag`; throws ConflictError otherwise. */
  async saveRow(row: OutboxRow, etag: string): Promise<string> {
    return this.store.put(OUTBOX, rowKey(row.campaignId, row.recipient.id), row, {
      etag,
      index: rowIndex(row),
    });
  }

  /** Changes one row with eTag retries. `change` may return undefined to leave it. */
  async updateRow(
    campaignId: string,
    userId: string,
    change: (r: OutboxRow) => OutboxRow | undefined,
  ): Promise<OutboxRow | undefined> {
    for (let attempt = 0; attempt < 20; attempt += 1) {
      const doc = await this.row(campaignId, userId);
      if (!doc) return undefined;
      const next = change(doc.value);
      if (!next) return doc.value;
      try {
        await this.saveRow(next, doc.etag);
        return next;
      } catch (err) {
        if (!(err instanceof ConflictError)) throw err;
      }
    }
    throw new Error(`could not update ${campaignId}/${userId}: too much contention`);
  }

  /** Marks every queued row cancelled; returns how many. Rows being sent finish on their own. */
  async cancelQueued(campaignId: string, reason: string): Promise<number> {
    let cancelled = 0;
    for (;;) {
      const batch = await this.store.query<OutboxRow>(OUTBOX, {
        indexPrefix: `${campaignId}|1|`,
        limit: 500,
      });
      if (batch.length === 0) return cancelled;
      for (const doc of batch) {
        const at = this.clock.now().toISOString();
        const row: OutboxRow = { ...doc.value, state: 'cancelled', reason, leaseUntil: undefined };
        row.history = [
          ...row.history,
          { round: row.round, state: 'cancelled', reason, attempts: row.attempts, at },
        ];
        try {
          await this.saveRow(row, doc.etag);
          cancelled += 1;
        } catch (err) {
          if (!(err instanceof ConflictError)) throw err;
        }
      }
    }
  }

  async counts(campaignId: string): Promise<Record<RowState, number>> {
    const entries = await Promise.all(
      ROW_STATES.map(
        async (state) =>
          [
            state,
            await this.store.count(OUTBOX, { indexPrefix: stagePrefix(campaignId, state) }),
          ] as const,
      ),
    );
    return Object.fromEntries(entries) as Record<RowState, number>;
  }
}

function rowKey(campaignId: string, userId: string): string {
  return `${campaignId}/${userId}`;
}

function stagePrefix(campaignId: string, state: RowState): string {
  if (state === 'queued') return `${campaignId}|1|`;
  if (state === 'sending') return `${campaignId}|2|`;
  return `${campaignId}|3|${state}|`;
}

function rowIndex(r: OutboxRow): string {
  if (r.state === 'queued') return `${r.campaignId}|1|${r.dueAt}`;
  if (r.state === 'sending') return `${r.campaignId}|2|${r.leaseUntil ?? ''}`;
  return `${r.campaignId}|3|${r.state}|`;
}

function campaignIndex(c: Campaign): string {
  const active = c.status === 'preparing' || c.status === 'running';
  return `${active ? 'active' : c.status}|${c.createdAt}`;
}
