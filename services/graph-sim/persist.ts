import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import type { Logger } from '../logger';
import type { Practice } from '../directory/practice';
import { SimUserSchema } from './records';
import { SimRiskDetectionSchema, SimSignInSchema } from './signin-log';

/**
 * What the stand-in keeps on disk: only the users that changed since the practice file, the sent
 * mail and the injected sign-in events. Temporary Access Pass codes are never written (records hold a salted hash).
 */

const SimMailSchema = z.object({
  id: z.string(),
  sender: z.string(),
  to: z.array(z.string()),
  subject: z.string(),
  contentType: z.string(),
  body: z.string(),
  sentDateTime: z.string(),
});
export type SimMail = z.infer<typeof SimMailSchema>;

const StateFileSchema = z.object({
  version: z.literal(1),
  practiceHash: z.string(),
  savedAt: z.string(),
  users: z.array(SimUserSchema),
  mail: z.array(SimMailSchema),
  /** Injected sign-in events (absent in files written before the stand-in had a sign-in log). */
  signIns: z.array(SimSignInSchema).default([]),
  riskDetections: z.array(SimRiskDetectionSchema).default([]),
});
export type StateFile = z.infer<typeof StateFileSchema>;

export const STATE_FILE = 'state.json';

export function practiceHash(practice: Practice): string {
  return createHash('sha256').update(JSON.stringify(practice)).digest('hex');
}

export class StateStore {
  readonly file: string;

  constructor(
    dir: string,
    private readonly logger: Logger,
  ) {
    this.file = path.join(dir, STATE_FILE);
  }

  /** The saved changes for this practice, or null (none yet, another practice, unreadable). */
  load(hash: string): StateFile | null {
    let raw: string;
    try {
      raw = fs.readFileSync(this.file, 'utf8');
    } catch {
      return null;
    }
    let parsed: ReturnType<typeof StateFileSchema.safeParse>;
    try {
      parsed = StateFileSchema.safeParse(JSON.parse(raw));
    } catch {
      this.logger.warn({ file: this.file }, 'graph-sim state file is not JSON; starting fresh');
      return null;
    }
    if (!parsed.success) {
      this.logger.warn({ file: this.file }, 'graph-sim state file is not valid; starting fresh');
      return null;
    }
    if (parsed.data.practiceHash !== hash) {
      this.logger.info({ file: this.file }, 'practice file changed; graph-sim starts fresh');
      return null;
    }
    return parsed.data;
  }

  save(state: StateFile): void {
    fs.mkdirSync(path.dirname(this.file), { recursive: true });
    const tmp = `${this.file}.${process.pid}.tmp`;
    fs.writeFileSync(tmp, JSON.stringify(state), { mode: 0o600 });
    fs.renameSync(tmp, this.file);
  }
}
