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
    ? [
        checks === 0
          ? "I'm checking with Microsoft 365 now."
          : "I don't see Authenticator on your account yet. It can take a minute to show up after you approve the test notification.",
      ]
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
    title: alreadyDone ? `You're already set up, ${firstName}` : `You're all set, ${firstName}!`,
    text: alreadyDone
      ? 'Microsoft Authenticator is already registered on your account. Nothing more to do.'
      : 'Microsoft Authenticator is registered. From now on, sign-ins ask you to type a number in the app. Thank you for helping keep patient records safe.',
    methods: names.map((n) => ({ kind: 'Microsoft Authenticator', label: n })),
    backupTip: hasBackup
      ? ''
      : 'One more thing: add a backup method, like your mobile number, so a lost phone never locks you out.',
  });
}

export function stuckCard(kb: KnowledgeBase, articleIds: string[], step: StepId): CardJson {
  const articles = articleIds
    .map((id) => kb.get(id))
    .filter((a): a is NonNullable<typeof a> => Boolean(a))
    .slice(0, 3)
    .map((a) => ({ title: a.title, steps: a.steps.slice(0, 4).map((t, i) => `${i + 1}. ${t}`) }));
  return expandCard('onboarding-stuck', { articles, step });
}

export function alternativesCard(step: StepId): CardJson {
  return expandCard('onboarding-alternatives', { step });
}
