/**
 * Graph's throttle for reports and the audit log (auditLogRoot): 5 requests per 10 seconds per app
 * per tenant, answered 429 with Retry-After beyond that. Off unless a test or the demo turns it on,
 * so tests that page through reports quickly are not slowed by it.
 */

const REPORTS_PATH = /^\/(v1\.0|beta)\/(auditLogs|reports)\//i;

export interface ThrottleSettings {
  enabled: boolean;
  limit: number;
  windowSeconds: number;
}

const GRAPH_REPORTS_LIMIT: ThrottleSettings = {
  enabled: false,
  limit: 5,
  windowSeconds: 10,
};

export class ReportsThrottle {
  private settings: ThrottleSettings = { ...GRAPH_REPORTS_LIMIT };
  /** When each admitted request arrived, oldest first, within the current window. */
  private admitted: number[] = [];

  configure(settings: Partial<ThrottleSettings>): ThrottleSettings {
    this.settings = { ...this.settings, ...settings };
    this.admitted = [];
    return this.current();
  }

  current(): ThrottleSettings {
    return { ...this.settings };
  }

  /**
   * Admits a request, or returns how many seconds to wait (Retry-After). Refused requests do not
   * count against the window.
   */
  admit(pathname: string, nowMs: number): number | null {
    if (!this.settings.enabled || !REPORTS_PATH.test(pathname)) return null;
    const windowMs = this.settings.windowSeconds * 1000;
    this.admitted = this.admitted.filter((at) => at > nowMs - windowMs);
    if (this.admitted.length < this.settings.limit) {
      this.admitted.push(nowMs);
      return null;
    }
    return Math.max(1, Math.ceil((this.admitted[0]! + windowMs - nowMs) / 1000));
  }
}
