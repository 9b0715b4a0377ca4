import { z } from 'zod';

/** Where the command line writes. */
export interface DemoIo {
  out: Pick<NodeJS.WritableStream, 'write'>;
  err: Pick<NodeJS.WritableStream, 'write'>;
}

const Answer = z
  .object({ text: z.string().optional(), error: z.object({ text: z.string() }).optional() })
  .loose();

export type ControlAnswer = {
  status: number;
  body: Record<string, unknown> & z.infer<typeof Answer>;
};

/**
 * Calls a control of the running demo's Teams stand-in (TEAMS_SIM_PORT on 127.0.0.1). Says
 * plainly when the demo is not running instead of showing a connection error.
 */
export async function callDemo(
  env: NodeJS.ProcessEnv,
  method: 'GET' | 'POST',
  path: string,
  body?: unknown,
): Promise<ControlAnswer | { notRunning: string }> {
  const port = Number(env.TEAMS_SIM_PORT?.trim() || 3980);
  const url = `http://127.0.0.1:${port}/_sim/${path}`;
  let res: Response;
  try {
    res = await fetch(url, {
      method,
      headers: { 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
      signal: AbortSignal.timeout(60_000),
    });
  } catch {
    return {
      notRunning: `The demo is not running: nothing answers on 127.0.0.1:${port}. Start it with "npm start" (or set TEAMS_SIM_PORT to the port it uses), then try again.`,
    };
  }
  const parsed = Answer.safeParse(await res.json().catch(() => ({})));
  return { status: res.status, body: parsed.success ? parsed.data : {} };
}

/** Prints the answer's sentence; 0 when the demo did it, 1 when it could not. */
export function report(answer: Awaited<ReturnType<typeof callDemo>>, io: DemoIo): number {
  if ('notRunning' in answer) {
    io.err.write(`${answer.notRunning}\n`);
    return 1;
  }
  const text = answer.body.error?.text ?? answer.body.text ?? `The demo answered ${answer.status}.`;
  const ok = answer.status < 300;
  (ok ? io.out : io.err).write(`${text}\n`);
  return ok ? 0 : 1;
}
