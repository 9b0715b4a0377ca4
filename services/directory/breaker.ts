import type { Clock } from '../clock';
import type { Logger } from '../logger';
import { DirectoryError, isDirectoryError, type Directory } from './types';

export interface BreakerOptions {
  /** Consecutive "unavailable" failures that open the circuit. */
  failureThreshold?: number;
  /** How long calls fail fast before one is let through to test the directory again. */
  openMs?: number;
  clock: Clock;
  logger: Logger;
  /** Called once each time the circuit opens (an outage began). */
  onOpen?: (cause: DirectoryError) => void;
  /** Called once when the directory answers again after an outage. */
  onClose?: () => void;
}

type State = 'closed' | 'open' | 'half-open';

/**
 * Wraps a directory so an outage fails fast instead of making every turn wait for timeouts and
 * retries: after a few "unavailable" failures in a row, calls fail at once for a while, then one
 * call is let through to see whether the directory is back. Other readers of the same Graph (the
 * sign-in policies) are wrapped by the same breaker: one outage, one circuit, one announcement.
 */
export class DirectoryCircuitBreaker {
  private state: State = 'closed';
  private failures = 0;
  private openUntil = 0;
  private readonly threshold: number;
  private readonly openMs: number;
  readonly directory: Directory;

  constructor(
    inner: Directory,
    private readonly options: BreakerOptions,
  ) {
    this.threshold = options.failureThreshold ?? 3;
    this.openMs = options.openMs ?? 30_000;
    this.directory = this.wrap(inner);
  }

  get isOpen(): boolean {
    return this.state !== 'closed';
  }

  /**
   * The same object, with every method behind this circuit: promise methods, and async page
   * iterators for methods whose name ends in "Pages". Its failures count with the directory's.
   */
  wrap<T extends object>(inner: T): T {
    return new Proxy(inner, {
      get: (target, prop, receiver) => {
        const value = Reflect.get(target, prop, receiver) as unknown;
        if (typeof value !== 'function') return value;
        const method = value as (...args: unknown[]) => unknown;
        if (typeof prop === 'string' && prop.endsWith('Pages')) {
          return (...args: unknown[]) =>
            this.guardPages(() => method.apply(target, args) as AsyncIterable<unknown>);
        }
        return (...args: unknown[]) =>
          this.guard(() => method.apply(target, args) as Promise<unknown>);
      },
    });
  }

  private admit(): void {
    if (this.state === 'open') {
      const left = this.openUntil - this.options.clock.now().getTime();
      if (left > 0) {
        // Background work (a campaign) waits until the directory is tried again.
        throw new DirectoryError(
          'unavailable',
          'Microsoft 365 is not reachable right now (failing fast during an outage)',
          {
            retryAfterSeconds: Math.ceil(left / 1000),
          },
        );
      }
      this.state = 'half-open';
    }
  }

  private async guard<T>(call: () => Promise<T>): Promise<T> {
    this.admit();
    try {
      const result = await call();
      this.succeeded();
      return result;
    } catch (err) {
      this.failed(err);
      throw err;
    }
  }

  private async *guardPages<T>(call: () => AsyncIterable<T>): AsyncIterable<T> {
    this.admit();
    try {
      for await (const page of call()) {
        this.succeeded();
        yield page;
      }
    } catch (err) {
      this.failed(err);
      throw err;
    }
  }

  private succeeded(): void {
    const wasOutage = this.state !== 'closed';
    this.state = 'closed';
    this.failures = 0;
    if (wasOutage) {
      this.options.logger.info('directory reachable again');
      this.options.onClose?.();
    }
  }

  private failed(err: unknown): void {
    if (!isDirectoryError(err, 'unavailable')) {
      // The directory answered (not found, forbidden, ...): it is up.
      if (isDirectoryError(err)) this.succeeded();
      return;
    }
    this.failures += 1;
    if (this.state === 'half-open' || this.failures >= this.threshold) {
      const firstOpen = this.state === 'closed';
      this.state = 'open';
      this.openUntil = this.options.clock.now().getTime() + this.openMs;
      if (firstOpen) {
        this.options.logger.warn(
          { failures: this.failures },
          'directory unreachable; failing fast',
        );
        this.options.onOpen?.(err);
      }
    }
  }
}
