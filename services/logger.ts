import pino from 'pino';

export type Logger = pino.Logger;

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
