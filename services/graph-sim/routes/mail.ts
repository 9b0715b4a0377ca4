import { z } from 'zod';
import { GraphHttpError, parseBody, sendEmpty } from '../http';
import type { Router } from '../router';

/** POST /users/{sender}/sendMail: accepted (202) and kept so tests can read it. */

const SendMailBody = z.object({
  message: z.object({
    subject: z.string(),
    body: z.object({
      contentType: z.enum(['Text', 'HTML', 'text', 'html']),
      content: z.string(),
    }),
    toRecipients: z
      .array(
        z.object({
          emailAddress: z.object({ address: z.string().min(3), name: z.string().optional() }),
        }),
      )
      .min(1),
  }),
  saveToSentItems: z.union([z.boolean(), z.enum(['true', 'false'])]).optional(),
});

export function registerMail(router: Router): void {
  router.on('POST', '/v1.0/users/:id/sendMail', (ctx) => {
    const sender = ctx.state.user(ctx.params.id!);
    if (!sender) {
      const message = `The requested user '${ctx.params.id}' is invalid.`;
      throw new GraphHttpError(404, 'ErrorInvalidUser', message);
    }
    const { message } = parseBody(ctx, SendMailBody);
    ctx.state.recordMail({
      sender: sender.userPrincipalName,
      to: message.toRecipients.map((r) => r.emailAddress.address),
      subject: message.subject,
      contentType: message.body.contentType,
      body: message.body.content,
    });
    sendEmpty(ctx, 202);
  });
}
