import assert from 'node:assert/strict';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import { Writable } from 'node:stream';
import { GraphDirectory, staticTokenProvider } from '../../services/directory/graph';
import { isDirectoryError, type DirectoryError } from '../../services/directory/types';
import type { GraphSim } from '../../services/graph-sim';
import { createCertificate } from '../../services/graph-sim/cert';
import { createLogger, silentLogger } from '../../services/logger';
import { call, collect, directoryFor, NORA, startSim } from '../graph-sim/helpers';

async function failure(promise: Promise<unknown>): Promise<DirectoryError> {
  try {
    await promise;
  } catch (err) {
    if (isDirectoryError(err)) return err;
    throw err;
  }
  throw new Error('expected a DirectoryError');
}

function setFaults(sim: GraphSim, body: Record<string, unknown>) {
  return call(sim, 'POST', '/_sim/faults', { token: null, body });
}

describe('GraphDirectory failures', () => {
  let sim: GraphSim;
  let directory: GraphDirectory;

  beforeEach(async () => {
    sim = await startSim();
    directory = directoryFor(sim, { maxRetries: 3, retryBaseDelayMs: 5 });
  });
  afterEach(async () => {
    await directory.close();
    await sim.close();
  });

  it('waits out a 429 as Retry-After says, then succeeds', async () => {
    await setFaults(sim, { status: 429, retryAfterSeconds: 1, count: 1, paths: '/users' });
    const user = await directory.getUser(NORA);
    assert.equal(user.userPrincipalName, NORA);
    const seen = sim.requests.matching('/v1.0/users/');
    assert.deepEqual(
      seen.map((r) => [r.status, r.retryAttempt, r.fault]),
      [
        [429, null, true],
        [200, 1, false],
      ],
    );
    const gap = Date.parse(seen[1]!.at) - Date.parse(seen[0]!.at);
    assert.ok(gap >= 950, `the retry came ${gap} ms after the 429, before Retry-After`);
  });

  it('gives up after its retries on a lasting 503: unavailable', async () => {
    await setFaults(sim, { status: 503, paths: '/users' });
    const err = await failure(directory.getUser(NORA));
    assert.equal(err.kind, 'unavailable');
    assert.equal(err.details.statusCode, 503);
    assert.equal(sim.requests.matching('/v1.0/users/').length, 4);
  });

  it('reports throttling with the wait when Retry-After is longer than it will wait', async () => {
    const impatient = directoryFor(sim, { maxRetryAfterSeconds: 2 });
    await setFaults(sim, { status: 429, retryAfterSeconds: 30, paths: '/users' });
    const err = await failure(impatient.getUser(NORA));
    assert.equal(err.kind, 'throttled');
    assert.equal(err.details.retryAfterSeconds, 30);
    assert.equal(sim.requests.matching('/v1.0/users/').length, 1);
    await impatient.close();
  });

  it('gives up on a slow answer after its timeout: unavailable', async () => {
    const hasty = directoryFor(sim, { timeoutMs: 100 });
    await setFaults(sim, { latencyMs: 1000, paths: '/users' });
    const err = await failure(hasty.getUser(NORA));
    assert.equal(err.kind, 'unavailable');
    assert.match(err.message, /within 100 ms/);
    await hasty.close();
  });

  it('treats a body that is not JSON as malformed-response', async () => {
    await setFaults(sim, { malformed: true, count: 1 });
    const err = await failure(collect(directory.registrationPages()));
    assert.equal(err.kind, 'malformed-response');
  });

  it('maps a refused token to forbidden', async () => {
    const blank = directoryFor(sim, { authProvider: staticTokenProvider('') });
    assert.equal((await failure(blank.getUser(NORA))).kind, 'forbidden');
    const failing = directoryFor(sim, {
      authProvider: { getAccessToken: () => Promise.reject(new Error('AADSTS7000215')) },
    });
    const err = await failure(failing.getUser(NORA));
    assert.equal(err.kind, 'forbidden');
    assert.match(err.message, /AADSTS7000215/);
    await blank.close();
    await failing.close();
  });

  it('maps a 401 from Graph to forbidden', async () => {
    const spaces = directoryFor(sim, { authProvider: staticTokenProvider(' ') });
    const err = await failure(spaces.getUser(NORA));
    assert.equal(err.kind, 'forbidden');
    assert.equal(err.details.statusCode, 401);
    assert.equal(err.details.code, 'InvalidAuthenticationToken');
    assert.ok(err.details.requestId);
    await spaces.close();
  });

  it('never logs the pass code', async () => {
    const lines: string[] = [];
    const sink = new Writable({
      write(chunk: Buffer, _encoding, done) {
        lines.push(chunk.toString());
        done();
      },
    });
    const logged = directoryFor(sim, { logger: createLogger('trace', sink) });
    const tap = await logged.createTemporaryAccessPass(NORA, {
      lifetimeInMinutes: 60,
      isUsableOnce: true,
    });
    assert.ok(lines.length > 0);
    assert.ok(!lines.join('').includes(tap.temporaryAccessPass));
    await logged.close();
  });

  it('reports a closed port as unavailable', async () => {
    const port = sim.port;
    await sim.close();
    const gone = new GraphDirectory({
      baseUrl: `https://localhost:${port}`,
      authProvider: staticTokenProvider('t'),
      caPem: sim.caPem,
      logger: silentLogger(),
    });
    assert.equal((await failure(gone.getUser(NORA))).kind, 'unavailable');
    await gone.close();
    sim = await startSim();
  });
});

describe('GraphDirectory with a server that answers the wrong shape', () => {
  let server: https.Server;
  let caPem: string;
  let baseUrl: string;

  before(async () => {
    const cert = await createCertificate(new Date());
    caPem = cert.cert;
    server = https.createServer({ cert: cert.cert, key: cert.key }, (req, res) => {
      res.writeHead(200, { 'content-type': 'application/json', 'request-id': 'req-1' });
      if (req.url?.startsWith('/v1.0/reports')) {
        res.end(JSON.stringify({ value: [{ id: 'u1', userPrincipalName: 42 }] }));
      } else {
        const nextLink = 'https://elsewhere.example/v1.0/x';
        res.end(JSON.stringify({ value: [], '@odata.nextLink': nextLink }));
      }
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    baseUrl = `https://localhost:${(server.address() as AddressInfo).port}`;
  });
  after(async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });

  const trusting = () =>
    new GraphDirectory({ baseUrl, authProvider: staticTokenProvider('t'), caPem });

  it('names the field that did not parse', async () => {
    const directory = trusting();
    const err = await failure(collect(directory.registrationPages()));
    assert.equal(err.kind, 'malformed-response');
    assert.match(err.message, /value\[0\]\.userPrincipalName/);
    assert.equal(err.details.requestId, 'req-1');
    await directory.close();
  });

  it('refuses a next link to another host', async () => {
    const directory = trusting();
    const err = await failure(collect(directory.groupMemberPages('g1')));
    assert.equal(err.kind, 'malformed-response');
    assert.match(err.message, /nextLink/);
    await directory.close();
  });

  it('does not trust the server without its CA', async () => {
    const directory = new GraphDirectory({ baseUrl, authProvider: staticTokenProvider('t') });
    assert.equal((await failure(directory.getGroup('g1'))).kind, 'unavailable');
    await directory.close();
  });
});
