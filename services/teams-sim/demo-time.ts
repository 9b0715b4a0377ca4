import fs from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { OffsetClock } from '../clock';

const Saved = z.object({ offsetMs: z.number().int().min(0) });

/**
 * The demo's clock: real time plus however far the demo was moved ahead, kept in DATA_DIR so the
 * demo practice's world stays in order across restarts. The bot, the Graph stand-in and the
 * demo people all read it.
 */
export class DemoTime {
  readonly clock: OffsetClock;

  private constructor(
    private readonly file: string | undefined,
    offsetMs: number,
  ) {
    this.clock = new OffsetClock(offsetMs);
  }

  /** The saved offset in `dir` (none yet: real time); without a folder nothing is saved. */
  static open(dir?: string): DemoTime {
    const file = dir ? path.join(dir, 'demo-time.json') : undefined;
    let offsetMs = 0;
    if (file && fs.existsSync(file)) {
      const parsed = Saved.safeParse(JSON.parse(fs.readFileSync(file, 'utf8')));
      if (parsed.success) offsetMs = parsed.data.offsetMs;
    }
    return new DemoTime(file, offsetMs);
  }

  advance(ms: number): void {
    this.clock.advance(ms);
    if (!this.file) return;
    fs.mkdirSync(path.dirname(this.file), { recursive: true });
    fs.writeFileSync(this.file, JSON.stringify({ offsetMs: this.clock.offsetMs }));
  }
}

/** "+7d", "3h", "+90m": how far to move the demo clock, in milliseconds. */
export function parseAdvance(text: string): number | undefined {
  const match = /^\+?(\d{1,4})\s*(m|min|minutes?|h|hours?|d|days?)$/i.exec(text.trim());
  if (!match) return undefined;
  const n = Number(match[1]);
  const unit = match[2]!.toLowerCase()[0];
  const ms = unit === 'm' ? 60_000 : unit === 'h' ? 3_600_000 : 86_400_000;
  return n * ms;
}
