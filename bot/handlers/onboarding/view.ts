import { expandCard, type CardJson } from '../../../cards/render';
import { VERBS } from '../../../cards/verbs';
import type { AuthenticatorDevice } from '../../../services/directory/types';
import {
  notesFor,
  type OnboardingContent,
  type StepId,
} from '../../../services/onboarding/content';
import type { KnowledgeBase } from '../../../services/kb';

export interface Person {
  firstName: string;
  roles: string[];
  jobTitle: string | null;
}

export interface StepView {
  notice?: string;
  canSnooze: boolean;
  /** Failed checks so far (verify step). */
  checks?: number;
  /** When the last check ran, as the person reads it ("8:05 AM EST"). */
  checkedAt?: string;
}

/** What the last check with Microsoft 365 found, said so a repeated click visibly did something. */
function checkResult(checks: number, checkedAt: string | undefined): string {
  const when = checkedAt ? `I checked at ${checkedAt}: ` : '';
  const count = checks > 1 ? ` (${checks} checks so far)` : '';
  return `${when}Microsoft 365 shows no Authenticator on your account yet${count}. It can take a minute to show up after you approve the test notification.`;
}

/** Failed checks after which the walkthrough offers IT's help. */
const CHECKS_BEFORE_IT = 3;

export function stepCard(
  content: OnboardingContent,
  step: StepId,
  person: Person,
  view: StepView,
): CardJson {
  const s = content.steps.find((x) => x.id === step)!;
  const checks = view.checks ?? 0;
  const verifying = step === 'verify';
  const paragraphs = verifying
    ? [checks === 0 ? "I'm checking with Microsoft 365 now." : checkResult(checks, view.checkedAt)]
    : s.paragraphs;
  return expandCard('onboarding-step', {
    notice: view.notice ?? '',
    title: s.title,
    paragraphs,
    fixesHeading: 'Most likely fixes:',
    fixes: verifying && checks > 0 ? content.notYetFixes : [],
    notes: notesFor(content, step, person),
    links: s.links,
    primary: {
      title: verifying ? 'Check again' : s.next,
      verb: verifying ? VERBS.setupCheck : VERBS.setupNext,
    },
    step,
    canSnooze: view.canSnooze,
    showAlternatives: step === 'why' || step === 'install',
    offerIt: verifying && checks >= CHECKS_BEFORE_IT,
  });
}

export function doneCard(
  firstName: string,
  devices: AuthenticatorDevice[],
  alreadyDone: boolean,
  hasBackup: boolean,
): CardJson {
  const names = devices.map((d) => d.displayName).filter(Boolean);
  return expandCard('onboarding-done', {
    title: alreadyDone
      ? `✅ You're already set up, ${firstName}`
      : `✅ You're all set, ${firstName}!`,
    text: alreadyDone
      ? 'Microsoft Authenticator is already registered on your account. Nothing more to do.'
      : 'Microsoft Authenticator is registered. From now on, sign-ins ask you to type a number in the app. Thank you for helping keep patient records safe.',
    methods: names.map((n) => ({ kind: 'Microsoft Authenticator', label: n })),
    backupTip: hasBackup
      ? ''
      : 'One more thing: add a backup method, like your mobile number, so a lost phone never locks you out.',
  });
}

/**
 * "I'm stuck": the likeliest fix in a sentence, its steps one click away, and the other likely
 * fixes behind a second button, so nobody faces a wall of text mid-setup.
 */
export function stuckCard(kb: KnowledgeBase, articleIds: string[], step: StepId): CardJson {
  const [best, ...others] = articleIds
    .map((id) => kb.get(id))
    .filter((a): a is NonNullable<typeof a> => Boolean(a))
    .slice(0, 3);
  return expandCard('onboarding-stuck', {
    title: best?.title ?? '',
    summary: best?.summary ?? '',
    steps: best ? best.steps.map((t, i) => `${i + 1}. ${t}`) : [],
    others: others.map((a) => ({ title: a.title, summary: a.summary })),
    step,
  });
}

export function alternativesCard(step: StepId): CardJson {
  return expandCard('onboarding-alternatives', { step });
}
