import type { UserProfile } from '../directory/types';
import { TabAuthError, type TabAuthenticator, type TabCaller } from './verify';

/** The header the tab sends for the local demo's sign-in. */
const DEMO_AUTHORIZATION = 'Demo';

/**
 * The local demo's sign-in: outside Teams there is no Entra token, so the page asks to act as
 * DEMO_USER with `Authorization: Demo`. Only demo mode builds this; the production app uses
 * TabTokenVerifier, which refuses anything but a Bearer token. It still goes through the same
 * live group check as everyone else.
 */
export class DemoSignIn implements TabAuthenticator {
  constructor(
    private readonly demoUser: string,
    private readonly directory: { getUser(idOrUpn: string): Promise<UserProfile> },
  ) {}

  async identify(authorization: string | undefined): Promise<TabCaller> {
    if (!authorization) throw new TabAuthError('missing');
    if (authorization.trim() !== DEMO_AUTHORIZATION) throw new TabAuthError('malformed');
    const user = await this.directory.getUser(this.demoUser);
    return { id: user.id, name: user.displayName, upn: user.userPrincipalName, demo: true };
  }
}
