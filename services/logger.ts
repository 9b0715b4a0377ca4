import pino from 'pino';
import { Writable } from 'node:stream';

export type Logger = pino.Logger;

/**
 * A condition the bot expects and handles, not a bug (the bot is not in the IT team yet, someone
 * cannot be messaged): logged as one line with its message, never with a stack trace.
 */
export class ExpectedCondition extends Error {
  readonly expected = true;
}

function isExpected(err: unknown): boolean {
  return Boolean(err && typeof err === 'object' && (err as { expected?: unknown }).expected);
}

/** Errors as pino writes them, but an expected condition without its stack. */
function serializeError(err: unknown): unknown {
  if (!(err instanceof Error)) return err;
  if (isExpected(err)) return { type: err.name, message: err.message, expected: true };
  return pino.stdSerializers.err(err);
}

/**
 * One structured logger for the whole process. Child loggers add context (activity id, ticket).
 * Fields that could carry secrets are redacted at the source, as a last line of defence: the code
 * never logs codes or message text on purpose.
 */
export function createLogger(level = 'info', destination?: pino.DestinationStream): Logger {
  return pino(
    {
      level,
      base: undefined,
      serializers: { err: serializeError },
      redact: {
        paths: [
          'temporaryAccessPass',
          '*.temporaryAccessPass',
          'password',
          '*.password',
          'authorization',
          '*.authorization',
          'headers.authorization',
          'text',
          '*.text',
        ],
        censor: '[redacted]',
      },
    },
    destination,
  );
}

/** A logger that drops everything: for tests that do not look at logs. */
export function silentLogger(): Logger {
  return pino({ level: 'silent' });
}

const LEVELS: Record<number, string> = {
  10: 'trace',
  20: 'debug',
  30: 'info ',
  40: 'WARN ',
  50: 'ERROR',
  60: 'FATAL',
};

function fieldText(value: unknown): string {
  if (typeof value === 'string') return /[\s"=]/.test(value) ? JSON.stringify(value) : value;
  return JSON.stringify(value);
}

/**
 * One JSON log line as a person reads it in a terminal: "16:06:12 WARN  message  key=value".
 * An unexpected error keeps its stack, indented under the line; an expected one is its message.
 */
export function readableLine(json: string): string {
  let entry: Record<string, unknown>;
  try {
    entry = JSON.parse(json) as Record<string, unknown>;
  } catch {
    return json;
  }
  const { level, time, msg, err, ...fields } = entry;
  const at = typeof time === 'number' ? new Date(time).toTimeString().slice(0, 8) : '';
  const parts = [at, LEVELS[level as number] ?? String(level), String(msg ?? '')];
  let stack = '';
  if (err && typeof err === 'object') {
    const e = err as { message?: string; stack?: string; expected?: boolean };
    fields.err = e.message ?? '';
    if (!e.expected && e.stack) stack = `\n${e.stack.replace(/^/gm, '    ')}`;
  } else if (err !== undefined) fields.err = err;
  const extra = Object.entries(fields).map(([k, v]) => `${k}=${fieldText(v)}`);
  return `${parts.filter(Boolean).join(' ')}${extra.length ? `  ${extra.join(' ')}` : ''}${stack}`;
}

/**
 * Where the local demo's logs go: readable lines on the given stream (a terminal), not JSON.
 * Production keeps JSON lines, which log collectors read.
 */
export function readableLogStream(out: NodeJS.WritableStream): pino.DestinationStream {
  let pending = '';
  return new Writable({
    write(chunk: Buffer, _encoding, done) {
      pending += chunk.toString();
      let newline = pending.indexOf('\n');
      while (newline >= 0) {
        const line = pending.slice(0, newline);
        pending = pending.slice(newline + 1);
        if (line.trim()) out.write(`${readableLine(line)}\n`);
        newline = pending.indexOf('\n');
      }
      done();
    },
  });
}
