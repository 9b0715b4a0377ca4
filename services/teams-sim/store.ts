import fs from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import type { Logger } from '../logger';

/** A message as a demo person received it: words, or the card (replaced when the bot updates it). */
export const ReceivedSchema = z.object({
  id: z.string(),
  conversationId: z.string(),
  at: z.string(),
  text: z.string().optional(),
  summary: z.string().optional(),
  card: z.record(z.string(), z.unknown()).optional(),
  replyToId: z.string().optional(),
  updatedAt: z.string().optional(),
});
export type Received = z.infer<typeof ReceivedSchema>;

/** Something a demo person will do at a demo time. */
export const PlanSchema = z.object({
  userId: z.string(),
  at: z.string(),
  act: z.enum(['press', 'register']),
  /** For a press: which message, and the verb of the button on it. */
  messageId: z.string().optional(),
  verb: z.string().optional(),
});
export type Plan = z.infer<typeof PlanSchema>;

export const PhoneSchema = z.object({
  state: z.enum(['scanned', 'lost']),
  device: z.string(),
  at: z.string(),
});
export type Phone = z.infer<typeof PhoneSchema>;

const SavedSchema = z.object({
  version: z.literal(1),
  inbox: z.record(z.string(), z.array(ReceivedSchema)).default({}),
  plans: z.array(PlanSchema).default([]),
  phones: z.record(z.string(), PhoneSchema).default({}),
});
export type SavedState = z.infer<typeof SavedSchema>;

const EMPTY: SavedState = { version: 1, inbox: {}, plans: [], phones: {} };

/**
 * What the demo people have received and will do, kept in DATA_DIR/teams-sim so a restart keeps
 * them. Saves are gathered up (a campaign delivers many messages at once) and written once.
 */
export class SimStore {
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly dir: string | undefined,
    private readonly logger: Logger,
  ) {}

  load(): SavedState {
    const file = this.file();
    if (!file || !fs.existsSync(file)) return structuredClone(EMPTY);
    try {
      return SavedSchema.parse(JSON.parse(fs.readFileSync(file, 'utf8')));
    } catch (err) {
      this.logger.warn(
        { err: (err as Error).message },
        'the demo people’s saved state could not be read; starting afresh',
      );
      return structuredClone(EMPTY);
    }
  }

  /** Saves soon; `flush` writes at once. */
  save(read: () => SavedState): void {
    if (!this.dir || this.timer) return;
    this.timer = setTimeout(() => this.flush(read), 500);
    this.timer.unref();
  }

  flush(read: () => SavedState): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    const file = this.file();
    if (!file) return;
    try {
      fs.mkdirSync(path.dirname(file), { recursive: true });
      fs.writeFileSync(`${file}.tmp`, JSON.stringify(read()));
      fs.renameSync(`${file}.tmp`, file);
    } catch (err) {
      this.logger.warn({ err: (err as Error).message }, 'could not save the demo people’s state');
    }
  }

  private file(): string | undefined {
    return this.dir ? path.join(this.dir, 'state.json') : undefined;
  }
}
