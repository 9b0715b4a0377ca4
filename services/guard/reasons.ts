import type { SensitiveKind } from './types';

/** What the user is told, per kind. Never includes any of the text that was screened. */
export const REASONS: Readonly<Record<SensitiveKind, string>> = {
  'one-time-code':
    'That looks like a sign-in code. Never share codes, not even with IT or with me.',
  'temporary-access-pass':
    'That looks like a Temporary Access Pass. Type it only on the Microsoft sign-in page, ' +
    'never in chat.',
  password: 'That looks like a password. Never share your password, not even with IT or with me.',
  ssn: 'That looks like a Social Security number. Please keep it out of this chat.',
  'payment-card': 'That looks like a payment card number. Please keep card numbers out of chat.',
  'date-of-birth':
    "That looks like a patient's date of birth. Please keep patient details out of this chat.",
  'patient-identifier':
    'That looks like patient information. Please keep patient details out of this chat.',
};
