import assert from 'node:assert/strict';
import { PassThrough, Readable } from 'node:stream';
import { createKnowledgeBase } from '../../services/kb';
import { runAskCommand } from '../../services/kb/cli';

const kb = createKnowledgeBase();

async function ask(argv: string[], input = ''): Promise<{ code: number; out: string }> {
  const stdout = new PassThrough();
  const chunks: Buffer[] = [];
  stdout.on('data', (c: Buffer) => chunks.push(c));
  const code = await runAskCommand(argv, { stdin: Readable.from([input]), stdout }, { kb });
  return { code, out: Buffer.concat(chunks).toString('utf8') };
}

describe('mfa-bot ask', () => {
  it('prints the intent and top articles as JSON', async () => {
    const { code, out } = await ask(['my authenticator codes are wrong', '--json']);
    assert.equal(code, 0);
    const lines = out.trim().split('\n');
    assert.equal(lines.length, 1);
    const parsed = JSON.parse(lines[0] ?? '') as {
      intent: string;
      articles: Array<{ id: string; title: string; score: number }>;
    };
    assert.equal(parsed.intent, 'troubleshoot');
    assert.equal(parsed.articles[0]?.id, 'codes-not-accepted');
    assert.ok(parsed.articles.length <= 5);
    assert.deepEqual(Object.keys(parsed.articles[0] ?? {}), ['id', 'title', 'score']);
  });

  it('accepts the command name as the first argument', async () => {
    const { out } = await ask(['ask', 'lost my phone', '--json']);
    assert.deepEqual(JSON.parse(out), { intent: 'lost-device', articles: [] });
  });

  it('answers one question per stdin line, in order', async () => {
    const { code, out } = await ask(['--json'], 'hi\nphone was stolen\n\nqr code wont scan\n');
    assert.equal(code, 0);
    const intents = out
      .trim()
      .split('\n')
      .map((l) => (JSON.parse(l) as { intent: string }).intent);
    assert.deepEqual(intents, ['help', 'lost-device', 'unknown', 'troubleshoot']);
  });

  it('prints a readable answer without --json', async () => {
    const { out } = await ask(['vpn', 'asks', 'for', 'a', 'code']);
    assert.match(out, /Intent: +troubleshoot/);
    assert.match(out, /1\. vpn-code/);
  });

  it('rejects unknown options', async () => {
    const { code, out } = await ask(['--yaml', 'hi']);
    assert.equal(code, 2);
    assert.match(out, /Usage/);
  });
});
