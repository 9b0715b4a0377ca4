import { app, authentication } from '@microsoft/teams-js';

/**
 * How the page proves who is looking. In Teams: teams-js SSO, a token for this app's API that
 * the server checks. Outside Teams there is no token; the local demo (and only the demo) accepts
 * `Authorization: Demo` as DEMO_USER, and the page says so plainly.
 */

export type Theme = 'default' | 'dark' | 'contrast';

export interface TeamsSession {
  kind: 'teams';
  theme: Theme;
  onThemeChange(handler: (theme: Theme) => void): void;
  authorization(fresh: boolean): Promise<string>;
}

export interface OutsideTeams {
  kind: 'outside';
}

/** Outside Teams app.initialize() rejects at once (top window) or never settles (a frame). */
const TEAMS_TIMEOUT_MS = 5000;

export async function connect(): Promise<TeamsSession | OutsideTeams> {
  try {
    await withTimeout(app.initialize(), TEAMS_TIMEOUT_MS);
    const context = await app.getContext();
    let token: Promise<string> | undefined;
    return {
      kind: 'teams',
      theme: asTheme(context.app.theme),
      onThemeChange: (handler) => app.registerOnThemeChangeHandler((t) => handler(asTheme(t))),
      authorization: async (fresh) => {
        if (fresh || !token) token = authentication.getAuthToken();
        return `Bearer ${await token}`;
      },
    };
  } catch {
    return { kind: 'outside' };
  }
}

export const DEMO_AUTHORIZATION = 'Demo';

export function asTheme(value: string | undefined): Theme {
  return value === 'dark' || value === 'contrast' ? value : 'default';
}

function withTimeout<T>(work: Promise<T>, ms: number): Promise<T> {
  return new Promise((resolve, reject) => {
    const timer = window.setTimeout(() => reject(new Error('Teams did not answer')), ms);
    work.then(
      (v) => {
        window.clearTimeout(timer);
        resolve(v);
      },
      (e: unknown) => {
        window.clearTimeout(timer);
        reject(e instanceof Error ? e : new Error(String(e)));
      },
    );
  });
}
