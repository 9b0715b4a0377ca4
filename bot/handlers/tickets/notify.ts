import { toAttachment } from '../../../cards/render';
import type { Directory } from '../../../services/directory/types';
import type { Ticket } from '../../../services/tickets/model';
import type { Proactive } from '../../proactive';
import { lostStatusCard } from '../lost-device/view';

export interface RequesterNoticeDeps {
  proactive: Proactive;
  directory: Directory;
  settings: { itPhone: string; mailSender?: string };
}

/**
 * Tells a requester what changed: always in their 1:1 chat, and by email too when a recovery
 * action touched their account, so an impostor's recovery does not go unnoticed.
 */
export class RequesterNotices {
  constructor(private readonly deps: RequesterNoticeDeps) {}

  /** In their 1:1 chat. Throws when it could not be sent, so the caller can try again later. */
  async chat(ticket: Ticket, text: string): Promise<void> {
    const { proactive, settings } = this.deps;
    await proactive.toUser(ticket.requester.id, {
      attachments: [toAttachment(lostStatusCard(ticket, settings.itPhone, text))],
    });
  }

  /** By email, to their mailbox (else their sign-in name). Throws when it could not be sent. */
  async email(ticket: Ticket, text: string): Promise<void> {
    const { directory, settings } = this.deps;
    const address = ticket.requester.email ?? ticket.requester.upn;
    if (!settings.mailSender || !address) return;
    await directory.sendMail(settings.mailSender, {
      to: address,
      subject: `Your work account: ${ticket.id} update`,
      body: [
        `Hello ${ticket.requester.name.split(/\s+/)[0]},`,
        '',
        text,
        '',
        `If you did not ask IT for help with a lost or new phone, call IT now at ${settings.itPhone}.`,
        'IT will never ask you for your password or a code.',
      ].join('\n'),
    });
  }
}
