/** Where time comes from. Production uses the system clock; tests move a manual one. */
export interface Clock {
  now(): Date;
}

export const systemClock: Clock = { now: () => new Date() };

/** A clock that only moves when told to. */
export class ManualClock implements Clock {
  private current: number;

  constructor(start: Date | string = '2026-01-05T09:00:00.000Z') {
    this.current = new Date(start).getTime();
  }

  now(): Date {
    return new Date(this.current);
  }

  advance(ms: number): void {
    this.current += ms;
  }

  set(to: Date | string): void {
    this.current = new Date(to).getTime();
  }
}

export const MINUTE = 60_000;
export const HOUR = 60 * MINUTE;
export const DAY = 24 * HOUR;

/**
 * The system clock moved ahead by an offset that only grows: the demo's clock, which can skip
 * ahead a day or a week so that what the bot schedules (reminders, a nudge's seven-day count)
 * happens while someone watches.
 */
export class OffsetClock implements Clock {
  constructor(private offset = 0) {}

  now(): Date {
    return new Date(Date.now() + this.offset);
  }

  get offsetMs(): number {
    return this.offset;
  }

  advance(ms: number): void {
    if (!Number.isFinite(ms) || ms < 0) throw new RangeError('the demo clock only moves forward');
    this.offset += ms;
  }
}
