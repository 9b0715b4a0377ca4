import readline from 'node:readline';
import { createKnowledgeBase, type KnowledgeBase } from './knowledge-base';
import type { Understanding } from './schema';

export interface AskIo {
  stdin: NodeJS.ReadableStream;
  stdout: NodeJS.WritableStream;
}

export interface AskDeps {
  /** The knowledge base to ask; the shipped articles when left out. */
  kb?: KnowledgeBase;
}

const USAGE = `Usage: mfa-bot ask "<question>" [--json]
With no question, reads one question per line from stdin and answers each in order.`;

/**
 * `mfa-bot ask`: shows how the bot understands a question. With --json, prints one object per
 * question: {"intent": "...", "articles": [{"id", "title", "score"}]}. Returns the exit code.
 */
export async function runAskCommand(
  argv: string[],
  io: AskIo,
  deps: AskDeps = {},
): Promise<number> {
  const args = argv[0] === 'ask' ? argv.slice(1) : argv;
  if (args.includes('--help') || args.includes('-h')) {
    await write(io.stdout, `${USAGE}\n`);
    return 0;
  }
  const badFlag = args.find((a) => a.startsWith('--') && a !== '--json');
  if (badFlag !== undefined) {
    await write(io.stdout, `Unknown option ${badFlag}\n${USAGE}\n`);
    return 2;
  }
  const json = args.includes('--json');
  const words = args.filter((a) => a !== '--json');

  let kb: KnowledgeBase;
  try {
    kb = deps.kb ?? createKnowledgeBase();
  } catch (err) {
    await write(io.stdout, `${err instanceof Error ? err.message : String(err)}\n`);
    return 1;
  }
  const answer = (q: string): Promise<void> =>
    write(io.stdout, json ? toJsonLine(kb.understand(q)) : toReadable(q, kb.understand(q)));

  if (words.length > 0) {
    await answer(words.join(' '));
    return 0;
  }
  const lines = readline.createInterface({ input: io.stdin, crlfDelay: Infinity });
  for await (const line of lines) await answer(line);
  return 0;
}

function toJsonLine(u: Understanding): string {
  const articles = u.articles.map(({ id, title, score }) => ({ id, title, score }));
  return `${JSON.stringify({ intent: u.intent, articles })}\n`;
}

function toReadable(question: string, u: Understanding): string {
  const lines = [`Question: ${question.trim()}`, `Intent:   ${u.intent}`];
  if (u.articles.length === 0) lines.push('Articles: none');
  u.articles.forEach((a, i) => {
    lines.push(`  ${i + 1}. ${a.id.padEnd(24)} ${a.title} (score ${a.score.toFixed(2)})`);
  });
  return `${lines.join('\n')}\n\n`;
}

function write(out: NodeJS.WritableStream, text: string): Promise<void> {
  return new Promise((resolve, reject) => {
    out.write(text, (err) => (err ? reject(err) : resolve()));
  });
}
