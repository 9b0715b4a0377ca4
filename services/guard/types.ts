/** Everything the guard can recognise, in the order their reasons are preferred. */
export const SENSITIVE_KINDS = [
  'one-time-code',
  'temporary-access-pass',
  'password',
  'ssn',
  'payment-card',
  'date-of-birth',
  'patient-identifier',
] as const;

export type SensitiveKind = (typeof SENSITIVE_KINDS)[number];

/** A half-open character range [start, end) of the screened text. */
export interface Range {
  readonly start: number;
  readonly end: number;
}

/** A range of text that must not be kept, and why. */
export interface Span extends Range {
  readonly kind: SensitiveKind;
}

export type ScreenResult =
  { verdict: 'ok' } | { verdict: 'sensitive'; kinds: SensitiveKind[]; reason: string };
