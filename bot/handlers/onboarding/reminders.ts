import { toAttachment } from '../../../cards/render';
import type { Directory } from '../../../services/directory/types';
import type { Logger } from '../../../services/logger';
import type { OnboardingContent } from '../../../services/onboarding/content';
import type { OnboardingProgressStore } from '../../../services/onboarding/progress';
import type { Scheduler } from '../../../services/scheduler';
import type { Proactive } from '../../proactive';
import { UnreachableError } from '../../proactive';

export interface ReminderDeps {
  scheduler: Scheduler;
  onboarding: { content: OnboardingContent; progress: OnboardingProgressStore };
  directory: Directory;
  proactive: Proactive;
  logger: Logger;
  settings: { maxSnoozes: number };
}
import { REMINDER_JOB } from './actions';
import { stepCard } from './view';

interface ReminderPayload {
  userId: string;
}

/**
 * "Remind me later": when the stored reminder comes due, the person gets their current step again
 * in their chat, unless they finished in the meantime.
 */
export function registerOnboardingReminders(services: ReminderDeps): void {
  services.scheduler.register<ReminderPayload>(REMINDER_JOB, async ({ userId }) => {
    const { onboarding, directory, proactive, logger } = services;
    const stored = await onboarding.progress.get(userId);
    if (!stored || stored.value.completedAt) return;
    const devices = await directory.authenticatorDevices(userId);
    if (devices.length > 0) return; // registered on their own: no nagging
    const profile = await directory.getUser(userId).catch(() => undefined);
    const p = stored.value;
    const card = stepCard(
      onboarding.content,
      p.step,
      { firstName: profile?.givenName ?? 'there', roles: [], jobTitle: profile?.jobTitle ?? null },
      {
        notice: `Hi ${profile?.givenName ?? 'there'}, here's the reminder you asked for. Let's finish setting up Authenticator: it takes a few minutes.`,
        canSnooze: p.snoozes < services.settings.maxSnoozes,
        checks: p.checks,
      },
    );
    try {
      await proactive.toUser(userId, { attachments: [toAttachment(card)] });
    } catch (err) {
      if (err instanceof UnreachableError) {
        logger.warn(
          { userId },
          'reminder could not be delivered: no conversation with this person',
        );
        return;
      }
      throw err;
    }
  });
}
