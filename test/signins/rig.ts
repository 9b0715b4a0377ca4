import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { AuditLog } from '../../services/audit/log';
import { ManualClock } from '../../services/clock';
import { staticTokenProvider } from '../../services/directory/graph';
import type { GraphSim } from '../../services/graph-sim';
import { silentLogger } from '../../services/logger';
import { SlidingWindowBudget } from '../../services/signins/budget';
import { GraphSignInReader, type SignInReader } from '../../services/signins/graph-reader';
import { HoldoutStore } from '../../services/signins/holdouts';
import { IncidentActions } from '../../services/signins/incident-actions';
import { IncidentOutbox } from '../../services/signins/incident-outbox';
import { IncidentStore } from '../../services/signins/incident-store';
import type { Incident, MonitorSettings } from '../../services/signins/model';
import { SignInMonitor } from '../../services/signins/monitor';
import { SqliteStore } from '../../services/storage/sqlite';
import { call, startSim } from '../graph-sim/helpers';

/**
 * A sign-in monitor against the Graph stand-in, on a SQLite file, sharing one manual clock. Waits
 * (Retry-After, the reports budget) move the clock instead of sleeping, and are recorded.
 * `restart()` drops every object but the database file, as a process restart would.
 */

const AUDIT_KEY = 'test-audit-key-that-is-long-enough-0123456789';
export const THEO = 'theo.okafor@riverbendfm.example';
export const LUIS = 'luis.ortega@riverbendfm.example';
export const GRACE = 'grace.lindqvist@riverbendfm.example';
export const AMARA = 'amara.osei@riverbendfm.example';

export interface Rig {
  clock: ManualClock;
  sim: GraphSim;
  store: SqliteStore;
  audit: AuditLog;
  monitor: SignInMonitor;
  incidents: IncidentStore;
  outbox: IncidentOutbox;
  actions: IncidentActions;
  holdouts: HoldoutStore;
  /** Every wait the monitor or its budget asked for, in milliseconds. */
  waits: number[];
  play(body: Record<string, unknown>): Promise<void>;
  tenant(body: Record<string, unknown>): Promise<void>;
  restart(): Promise<void>;
  /** All incidents, open and handled. */
  all(): Promise<Incident[]>;
  close(): Promise<void>;
}

export interface RigOptions {
  /** The first sign-in log request reaches Graph this much later than its turn was taken. */
  firstReadLagMs?: number;
}

export async function startRig(
  settings: Partial<MonitorSettings> = {},
  options: RigOptions = {},
): Promise<Rig> {
  const clock = new ManualClock('2026-03-02T09:00:00.000Z');
  const sim = await startSim({ clock, pageSize: 50 });
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mfa-signins-'));
  const file = path.join(dir, 'mfa-bot.db');
  const waits: number[] = [];
  const sleep = async (ms: number) => {
    waits.push(ms);
    clock.advance(ms);
  };
  const readers: GraphSignInReader[] = [];

  const build = (store: SqliteStore) => {
    const audit = new AuditLog(store, clock, silentLogger(), AUDIT_KEY);
    const incidents = new IncidentStore(store, clock);
    const holdouts = new HoldoutStore(store);
    const reader = new GraphSignInReader({
      baseUrl: sim.baseUrl,
      authProvider: staticTokenProvider('test-token'),
      caPem: sim.caPem,
      logger: silentLogger(),
    });
    readers.push(reader);
    let lag = options.firstReadLagMs ?? 0;
    const lagged: SignInReader = {
      signInPage: async (request) => {
        clock.advance(lag);
        lag = 0;
        return reader.signInPage(request);
      },
      fraudReportPage: (request) => reader.fraudReportPage(request),
    };
    const monitor = new SignInMonitor({
      reader: lagged,
      budget: new SlidingWindowBudget(clock, sleep),
      store,
      incidents,
      holdouts,
      audit,
      clock,
      logger: silentLogger(),
      settings: { pageSize: 5, ...settings },
      sleep,
    });
    return {
      store,
      audit,
      incidents,
      holdouts,
      monitor,
      outbox: new IncidentOutbox(incidents, clock),
      actions: new IncidentActions({ incidents, audit, clock }),
    };
  };

  const rig = {
    clock,
    sim,
    waits,
    ...build(new SqliteStore(file)),
    async play(body: Record<string, unknown>) {
      const res = await call(sim, 'POST', '/_sim/signins', { token: null, body });
      if (res.status !== 201)
        throw new Error(`could not play ${JSON.stringify(body)}: ${res.text}`);
    },
    async tenant(body: Record<string, unknown>) {
      const res = await call(sim, 'PATCH', '/_sim/tenant', { token: null, body });
      if (res.status !== 200) throw new Error(`could not change the tenant: ${res.text}`);
    },
    async restart() {
      await rig.store.close();
      Object.assign(rig, build(new SqliteStore(file)));
    },
    async all() {
      const docs = await rig.store.query<Incident>('signin-incidents');
      return docs.map((d) => d.value).sort((a, b) => a.id.localeCompare(b.id));
    },
    async close() {
      for (const r of readers) await r.close();
      await rig.store.close();
      await sim.close();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
  return rig;
}
