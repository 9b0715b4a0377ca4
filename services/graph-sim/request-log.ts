/** The requests the stand-in answered, newest last, so tests can see retries and headers. */

export interface LoggedRequest {
  at: string;
  method: string;
  path: string;
  query: string;
  status: number;
  requestId: string;
  /** The client's Retry-Attempt header (set by retrying clients), if any. */
  retryAttempt: number | null;
  fault: boolean;
}

const MAX_ENTRIES = 5000;

export class RequestLog {
  private entries: LoggedRequest[] = [];

  add(entry: LoggedRequest): void {
    this.entries.push(entry);
    const excess = this.entries.length - MAX_ENTRIES;
    if (excess > 0) this.entries.splice(0, excess);
  }

  all(): LoggedRequest[] {
    return [...this.entries];
  }

  /** Requests whose path starts with the prefix (case-insensitive). */
  matching(prefix: string): LoggedRequest[] {
    const p = prefix.toLowerCase();
    return this.entries.filter((e) => e.path.toLowerCase().startsWith(p));
  }

  clear(): void {
    this.entries = [];
  }
}
