/**
 * The one send budget of the bot: every proactive message (campaign nudges, ticket posts and
 * updates, notices to staff, reminders) takes its slot here, so together they stay under
 * Teams' per-app limit. A global token bucket (GCRA: each request reserves the next free slot,
 * so concurrent workers queue fairly without polling), Teams' per-conversation windows, one
 * shared "throttled until", and a per-conversation "not before" after a 429 for that
 * conversation.
 *
 * Two lanes. Bulk (nudges, the campaign's progress card) queues for slots and may use the whole
 * rate. Priority (IT tickets, notices to a requester, anything a person is waiting for) never
 * queues behind bulk: it takes the next slot at once. While priority traffic is about (a
 * priority send in the last half minute), bulk also keeps `priorityReserve` requests of every
 * second free for it, so a campaign at full speed cannot hold IT up even for a moment.
 *
 * A 429 alone is read as one conversation being throttled. When many recent requests are
 * refused, the whole bot is being throttled: everyone pauses until the Retry-After and the rate
 * drops, then climbs back to the configured rate while requests succeed.
 */

export type Lane = 'priority' | 'bulk';

export interface Window {
  limit: number;
  ms: number;
}

/** Per bot, per conversation: 7 per second, 8 per 2 seconds, 60 per 30 seconds, 1800 per hour. */
const TEAMS_CONVERSATION_WINDOWS: readonly Window[] = [
  { limit: 7, ms: 1000 },
  { limit: 8, ms: 2000 },
  { limit: 60, ms: 30_000 },
  { limit: 1800, ms: 3_600_000 },
];

export interface SendBudgetOptions {
  ratePerSecond: number;
  /**
   * Share of the rate the bucket leaves unused (default 0.5%), for clock drift between the bot and
   * the service; the per-second cap's margin covers bunching.
   */
  headroom?: number;
  /** Requests per second bulk leaves free while the priority lane is in use (default 1). */
  priorityReserve?: number;
  /** Requests that may go back to back after a quiet spell. */
  burst?: number;
  windows?: readonly Window[];
  now?: () => number;
  sleep?: (ms: number) => Promise<void>;
  /** Told when this budget finds the whole app throttled (several instances share it). */
  onAppWidePause?: (pause: AppWidePause) => void;
}

/**
 * The whole app is being throttled: nobody sends before `until` (ms, on the budget's clock), and
 * then at most `rateFactor` of the configured rate, climbing back while requests succeed.
 */
export interface AppWidePause {
  until: number;
  rateFactor: number;
}

interface ConversationState {
  sent: number[];
  notBefore: number;
}

const DETECT_WINDOW_MS = 2000;
const WINDOW_SLACK_MS = 50;
/**
 * The per-second cap counts each request for a second and this long: requests that left at an
 * even pace can arrive bunched by network and scheduling jitter, and this much bunching still
 * keeps Teams' count of any one second within the limit. A margin in time, not in requests: one
 * request short of the limit would be 5 ms of margin at 200 a second but cost 5% of the rate
 * at 20.
 */
const JITTER_MS = 9;
const COUNTED_MS = 1000 + JITTER_MS;
/** Within a second, at most a tenth of the cap (and two) go out in any 100 ms. */
const BURST_WINDOW_MS = 100;
/**
 * A refused request keeps its place in the per-second count this long before its slot is given
 * back. If the service's count ran a little ahead of ours (arrival jitter), a replacement sent at
 * once would meet the same full second, and so would its replacement: one refusal would become a
 * run of them. If only that chat was throttled, the slot comes back a moment later.
 */
const REFUSED_HOLD_MS = 25;
const MIN_REFUSALS_FOR_GLOBAL = 5;
const GLOBAL_SHARE = 0.25;
/** Bulk keeps the priority reserve free this long after a priority send. */
const PRIORITY_ACTIVE_MS = 30_000;

/** Requests per counted second: the limit (scaled down while throttled), at least one. */
function capFor(limit: number): number {
  return Math.max(1, Math.floor(limit));
}

export class SendBudget {
  private tat = 0;
  private throttledUntil = 0;
  private rate: number;
  private lastRaise = 0;
  private readonly maxRate: number;
  private readonly reserve: number;
  private lastPriority = Number.NEGATIVE_INFINITY;
  private readonly burst: number;
  private readonly windows: readonly Window[];
  private readonly longest: number;
  private readonly conversations = new Map<string, ConversationState>();
  private pruneAtSize = 20_000;
  private readonly sends: number[] = [];
  private sendsHead = 0;
  /** When the slots of refused requests come back (ascending). */
  private readonly held: number[] = [];
  private readonly recent: Array<{ at: number; refused: boolean }> = [];
  private readonly now: () => number;
  private readonly sleep: (ms: number) => Promise<void>;

  constructor(readonly options: SendBudgetOptions) {
    if (!(options.ratePerSecond > 0)) throw new RangeError('ratePerSecond must be positive');
    // No faster than the per-second cap lets an even pace go, so only bunching ever meets it.
    this.maxRate = Math.min(
      options.ratePerSecond * (1 - Math.min(0.5, Math.max(0, options.headroom ?? 0.005))),
      (capFor(options.ratePerSecond) * 1000) / COUNTED_MS,
    );
    this.reserve = Math.max(0, Math.floor(options.priorityReserve ?? 1));
    this.rate = this.maxRate;
    this.burst = Math.max(1, Math.floor(options.burst ?? 1));
    this.windows = options.windows ?? TEAMS_CONVERSATION_WINDOWS;
    this.longest = Math.max(0, ...this.windows.map((w) => w.ms));
    this.now = options.now ?? Date.now;
    this.sleep = options.sleep ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms)));
  }

  /** The rate the budget allows now (lower than configured while the bot is being throttled). */
  get currentRate(): number {
    return this.rate;
  }

  get pausedUntil(): number {
    return this.throttledUntil;
  }

  /** Waits until one request to this conversation may go in this lane, and counts it as sent. */
  async acquire(conversation: string, lane: Lane): Promise<void> {
    await this.until(() =>
      Math.max(this.conversationWait(conversation, this.now()), this.throttledUntil - this.now()),
    );
    const now = this.now();
    const interval = 1000 / this.rate;
    if (lane === 'priority') {
      // Ahead of every queued bulk request: take a slot now and move the bucket on by one, so
      // bulk makes room for it.
      this.tat = Math.max(this.tat, now) + interval;
      this.lastPriority = now;
    } else {
      // Reserve the next slot in the bucket, then wait for it.
      const tat = Math.max(this.tat, now);
      const slot = tat - (this.burst - 1) * interval;
      this.tat = tat + interval;
      if (slot > now) await this.sleep(slot - now);
    }
    // Whatever changed meanwhile (a pause, a late wake-up), the slot is kept: only wait it out.
    // The last check and the count happen together, so senders waking at once cannot all pass.
    for (;;) {
      const at = this.now();
      const wait = Math.max(
        this.throttledUntil - at,
        this.conversationWait(conversation, at),
        this.secondWait(at, lane),
      );
      if (wait <= 0) {
        this.record(conversation, at);
        this.sends.push(at);
        return;
      }
      // Whole milliseconds, as timers run: a wait of a rounding error would never end on a clock
      // that moves only when slept on.
      await this.sleep(Math.ceil(wait));
    }
  }

  private async until(wait: () => number): Promise<void> {
    for (let ms = wait(); ms > 0; ms = wait()) await this.sleep(ms);
  }

  /** The request was accepted. */
  succeeded(): void {
    const now = this.now();
    this.observe(now, false);
    if (this.rate < this.maxRate && now - this.lastRaise >= 1000) {
      this.rate = Math.min(this.maxRate, this.rate + this.maxRate * 0.1);
      this.lastRaise = now;
    }
  }

  /**
   * The request was refused with 429 (or 503 with Retry-After). It did not count against the
   * budget, so its slot is given back; the conversation waits out the Retry-After.
   */
  throttled(conversation: string, retryAfterMs: number): void {
    const now = this.now();
    const state = this.state(conversation);
    state.notBefore = Math.max(state.notBefore, now + retryAfterMs);
    this.tat = Math.max(now, this.tat - 1000 / this.rate);
    if (this.sends.length > this.sendsHead) {
      this.sends.pop();
      this.held.push(now + REFUSED_HOLD_MS);
    }
    if (this.observe(now, true)) {
      this.throttledUntil = Math.max(this.throttledUntil, now + Math.max(retryAfterMs, 1000));
      this.rate = Math.max(this.maxRate / 20, this.rate * 0.7);
      this.lastRaise = now;
      this.tat = Math.max(this.tat, this.throttledUntil);
      this.recent.length = 0;
      this.options.onAppWidePause?.({
        until: this.throttledUntil,
        rateFactor: this.rate / this.maxRate,
      });
    }
  }

  /**
   * Another instance found the whole app throttled: Teams counts every instance's requests
   * together, so this one waits the pause out too and goes no faster than that one.
   */
  applyPause(pause: AppWidePause): void {
    const now = this.now();
    if (!(pause.until > now)) return;
    this.throttledUntil = Math.max(this.throttledUntil, pause.until);
    const rate = this.maxRate * Math.min(1, Math.max(0.05, pause.rateFactor));
    this.rate = Math.min(this.rate, rate);
    this.lastRaise = now;
    this.tat = Math.max(this.tat, this.throttledUntil);
  }

  /** Another failure (5xx, network): counts toward nothing but keeps the detector honest. */
  failed(): void {
    this.observe(this.now(), false);
  }

  private observe(now: number, refused: boolean): boolean {
    this.recent.push({ at: now, refused });
    while (this.recent.length && this.recent[0]!.at < now - DETECT_WINDOW_MS) this.recent.shift();
    if (!refused) return false;
    const refusals = this.recent.filter((r) => r.refused).length;
    return refusals >= MIN_REFUSALS_FOR_GLOBAL && refusals / this.recent.length >= GLOBAL_SHARE;
  }

  /**
   * The bucket spaces requests evenly, but a stalled event loop wakes several at once: this caps
   * what actually went out in any one second, as the service counts it. Bulk stops short of the
   * cap by the priority reserve while priority traffic is about.
   */
  private secondWait(now: number, lane: Lane): number {
    while (this.sendsHead < this.sends.length && this.sends[this.sendsHead]! <= now - COUNTED_MS)
      this.sendsHead += 1;
    if (this.sendsHead > 4096) {
      this.sends.splice(0, this.sendsHead);
      this.sendsHead = 0;
    }
    const cap = capFor((this.rate / this.maxRate) * this.options.ratePerSecond);
    const reserve = now - this.lastPriority < PRIORITY_ACTIVE_MS ? this.reserve : 0;
    const limit = lane === 'priority' ? cap : Math.max(1, cap - reserve);
    while (this.held.length && this.held[0]! <= now) this.held.shift();
    const inSecond = this.sends.length - this.sendsHead;
    const free = limit - this.held.length;
    const secondWait =
      inSecond < free
        ? 0
        : Math.min(
            this.held[0] ?? Infinity,
            free > 0 ? this.sends[this.sends.length - free]! + COUNTED_MS : Infinity,
          ) - now;
    // After a stall, the missed slots go out spread over the second, not in one burst that
    // jitter could squeeze into the service's previous second.
    const burst = Math.ceil(limit / 10) + 2;
    const burstWait =
      inSecond < burst ? 0 : this.sends[this.sends.length - burst]! + BURST_WINDOW_MS - now;
    return Math.max(secondWait, burstWait);
  }

  private conversationWait(conversation: string, now: number): number {
    const state = this.conversations.get(conversation);
    if (!state) return 0;
    let wait = state.notBefore - now;
    for (const w of this.windows) {
      let inWindow = 0;
      for (
        let i = state.sent.length - 1;
        i >= 0 && state.sent[i]! > now - w.ms - WINDOW_SLACK_MS - w.ms * 0.02;
        i -= 1
      )
        inWindow += 1;
      if (inWindow >= w.limit) {
        // A little past the window: requests don't arrive as evenly as they leave.
        const oldestCounted = state.sent[state.sent.length - w.limit]!;
        wait = Math.max(wait, oldestCounted + w.ms + WINDOW_SLACK_MS + w.ms * 0.02 - now);
      }
    }
    return wait;
  }

  private record(conversation: string, at: number): void {
    const state = this.state(conversation);
    state.sent.push(at);
    const horizon = at - this.longest;
    let drop = 0;
    while (drop < state.sent.length && state.sent[drop]! <= horizon) drop += 1;
    if (drop) state.sent.splice(0, drop);
    if (this.conversations.size > this.pruneAtSize) this.prune(at);
  }

  private state(conversation: string): ConversationState {
    let state = this.conversations.get(conversation);
    if (!state) {
      state = { sent: [], notBefore: 0 };
      this.conversations.set(conversation, state);
    }
    return state;
  }

  private prune(now: number): void {
    for (const [key, s] of this.conversations) {
      const last = s.sent[s.sent.length - 1] ?? 0;
      if (last <= now - this.longest && s.notBefore <= now) this.conversations.delete(key);
    }
    this.pruneAtSize = Math.max(20_000, this.conversations.size * 2);
  }
}
