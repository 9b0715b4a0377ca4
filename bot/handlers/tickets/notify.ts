import { toAttachment } from '../../../cards/render';
import type { Ticket } from '../../../services/tickets/model';
import type { ActionContext } from '../../actions';
import { lostStatusCard } from '../lost-device/view';

/**
 * Tells the requester what changed: always in their 1:1 chat, and by email too when a recovery
 * action touched their account, so an impostor's recovery does not go unnoticed.
 */
export async function notifyRequester(ctx: ActionContext, ticket: Ticket, text: string, email: boolean): Promise<void> {
  const { proactive, directory, config, logger } = ctx.services;
  try {
    await proactive.toUser(ticket.requester.id, { attachments: [toAttachment(lostStatusCard(ticket, config.itPhone, text))] });
  } catch (err) {
    logger.warn({ err, ticket: ticket.id }, 'could not message the requester');
  }
  if (!email || !config.mailSender || !ticket.requester.upn) return;
  try {
    await directory.sendMail(config.mailSender, {
      to: ticket.requester.upn,
      subject: `Your work account: ${ticket.id} update`,
      body: [
        `Hello ${ticket.requester.name.split(/\s+/)[0]},`,
        '',
        text,
        '',
        `If you did not ask IT for help with a lost or new phone, call IT now at ${config.itPhone}.`,
        'IT will never ask you for your password or a code.',
      ].join('\n'),
    });
  } catch (err) {
    logger.warn({ err, ticket: ticket.id }, 'could not email the requester');
  }
}
