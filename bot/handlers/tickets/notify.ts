import { toAttachment } from '../../../cards/render';
import type { Directory } from '../../../services/directory/types';
import type { Logger } from '../../../services/logger';
import type { Ticket } from '../../../services/tickets/model';
import type { Proactive } from '../../proactive';
import { lostStatusCard } from '../lost-device/view';

export interface RequesterNoticeDeps {
  proactive: Proactive;
  directory: Directory;
  logger: Logger;
  settings: { itPhone: string; mailSender?: string };
}

/**
 * Tells a requester what changed: always in their 1:1 chat, and by email too when a recovery
 * action touched their account, so an impostor's recovery does not go unnoticed.
 */
export class RequesterNotices {
  constructor(private readonly deps: RequesterNoticeDeps) {}

  async tell(ticket: Ticket, text: string, email: boolean): Promise<void> {
    const { proactive, directory, settings, logger } = this.deps;
    try {
      await proactive.toUser(ticket.requester.id, { attachments: [toAttachment(lostStatusCard(ticket, settings.itPhone, text))] });
    } catch (err) {
      logger.warn({ err, ticket: ticket.id }, 'could not message the requester');
    }
    const address = ticket.requester.email ?? ticket.requester.upn;
    if (!email || !settings.mailSender || !address) return;
    try {
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
    } catch (err) {
      logger.warn({ err, ticket: ticket.id }, 'could not email the requester');
    }
  }
}
