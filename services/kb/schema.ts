import { z } from 'zod';

/** The articles the bot ships with; loading fails unless the folder holds exactly these. */
export const ARTICLE_IDS = [
  'no-push-notification',
  'notifications-delayed',
  'number-matching',
  'unexpected-prompt',
  'codes-not-accepted',
  'no-signal',
  'new-phone',
  'restore-backup',
  'temporary-access-pass',
  'tap-not-working',
  'too-many-devices',
  'smartwatch',
  'android-battery',
  'no-smartphone',
  'shared-workstation',
  'authenticator-lite',
  'registration-prompt',
  'where-to-register',
  'company-portal-update',
  'vpn-code',
  'passwords-autofill',
  'broker-account',
  'uninstall-app',
  'qr-code-scan',
  'sms-vs-app',
  'why-mfa',
  'personal-phone-privacy',
  'working-remotely',
  'traveling-abroad',
  'change-default-method',
  'account-locked',
  'change-phone-number',
  'multiple-accounts',
  'backup-method',
  'passwordless-sign-in',
  'frequent-prompts',
  'phone-reset',
  'forgot-password',
  'app-lock',
] as const;

export const INTENTS = [
  'onboarding',
  'troubleshoot',
  'lost-device',
  'status',
  'help',
  'admin',
  'unknown',
] as const;
export type Intent = (typeof INTENTS)[number];

/** What reviewers map a question to when it is not about signing in or Authenticator. */
export const OUT_OF_SCOPE = 'out-of-scope';

const AUDIENCES = ['all', 'physicians', 'nurses', 'front-desk', 'billing'] as const;

const sentence = z
  .string()
  .trim()
  .min(10)
  .max(240)
  .refine((s) => /[.!?]$/.test(s), 'must end with a full stop')
  .refine((s) => !/[.!?]\s+[A-Z]/.test(s), 'must be one sentence');

/** Front matter of one article, as written in `content/kb/<id>.md`. */
export const frontMatterSchema = z.strictObject({
  id: z.string().regex(/^[a-z0-9]+(-[a-z0-9]+)*$/, 'must be lower-case words joined by hyphens'),
  title: z.string().trim().min(3).max(80),
  summary: sentence,
  keywords: z.array(z.string().trim().min(2).max(60)).min(3),
  related: z.array(z.string().trim().min(1)).min(1),
  contactIT: sentence,
  audience: z.array(z.enum(AUDIENCES)).min(1).optional(),
});
type FrontMatter = z.infer<typeof frontMatterSchema>;

export interface Article extends FrontMatter {
  /** Numbered plain-language steps, in order, without their numbers. */
  readonly steps: readonly string[];
  /** The file the article came from. */
  readonly file: string;
}

export interface RankedArticle {
  id: string;
  title: string;
  score: number;
}

export interface Understanding {
  intent: Intent;
  articles: RankedArticle[];
  /**
   * False when the bot is guessing: the best article is weak or close to the next one, so staff
   * should be asked "did you mean…" rather than shown one answer.
   */
  confident: boolean;
}
