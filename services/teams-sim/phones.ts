import type { Clock } from '../clock';
import type { Logger } from '../logger';
import type { DemoAccounts } from './people';
import type { DemoPerson } from './roster';
import type { Phone } from './store';

export const PHONE_ACTIONS = ['register', 'approve', 'deny', 'lose'] as const;
export type PhoneAction = (typeof PHONE_ACTIONS)[number];

/** What happened, in a sentence for the person running the demo. */
export interface PhoneResult {
  ok: boolean;
  text: string;
}

/**
 * The demo people's phones, played from the command line. Setting up Authenticator takes two
 * moves, as in real life: `register` scans the QR code from aka.ms/mysecurityinfo (Microsoft
 * then sends a test notification), `approve` answers it, and only then is Authenticator on the
 * account (`deny` refuses it: nothing is added). `lose` loses the phone: Authenticator stays on
 * the account until IT removes it, so the person needs the lost-phone flow.
 */
export class Phones {
  constructor(
    private readonly deps: {
      accounts: DemoAccounts;
      clock: Clock;
      logger: Logger;
      /** Phone states kept across restarts; changed in place. */
      phones: Record<string, Phone>;
      changed(): void;
    },
  ) {}

  act(person: DemoPerson, action: PhoneAction): PhoneResult {
    const { accounts, phones, clock } = this.deps;
    const phone = phones[person.id];
    const first = person.givenName;
    const set = (next: Phone | undefined) => {
      if (next) phones[person.id] = next;
      else delete phones[person.id];
      this.deps.changed();
    };
    switch (action) {
      case 'register': {
        const device = phone?.state === 'lost' ? `${first}'s new phone` : `${first}'s phone`;
        set({ state: 'scanned', device, at: clock.now().toISOString() });
        return {
          ok: true,
          text: `${first}'s phone scanned the QR code. Microsoft 365 sent it a test notification: answer it with "approve" (or "deny").`,
        };
      }
      case 'approve': {
        if (phone?.state !== 'scanned')
          return {
            ok: false,
            text: `Nothing to approve on ${first}'s phone. Scan the QR code first with "register".`,
          };
        accounts.addAuthenticator(person.id, phone.device);
        set(undefined);
        this.deps.logger.info(`demo: ${person.name} approved the test notification`);
        return {
          ok: true,
          text: `Approved. Microsoft 365 now lists Authenticator (${phone.device}) on ${first}'s account. In the chat, ${first} can choose "I approved it" or "Check again".`,
        };
      }
      case 'deny': {
        if (phone?.state !== 'scanned')
          return {
            ok: false,
            text: `Nothing to deny on ${first}'s phone. Scan the QR code first with "register".`,
          };
        set(undefined);
        return {
          ok: true,
          text: `Denied. Setup did not finish, so nothing was added to ${first}'s account. Scan again with "register".`,
        };
      }
      case 'lose': {
        const had = accounts.hasAuthenticator(person.id);
        set({
          state: 'lost',
          device: phone?.device ?? `${first}'s phone`,
          at: clock.now().toISOString(),
        });
        return {
          ok: true,
          text: had
            ? `${first}'s phone is lost. Authenticator stays on the account until IT removes it: in the chat, ${first} says "I lost my phone".`
            : `${first}'s phone is lost. Authenticator was not set up on it, so nothing on the account changes.`,
        };
      }
    }
  }
}
