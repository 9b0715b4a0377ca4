/** Thresholds the guard works with; other modules quote them instead of repeating numbers. */
export const limits = {
  /** Longest text the guard is property-tested on (more than the bot reads: intake.ts). */
  maxTextLength: 5000,
  /** Digits in an Authenticator or SMS sign-in code. */
  oneTimeCodeDigits: { min: 6, max: 8 },
  /** Digits in a payment card number (checked with Luhn). */
  paymentCardDigits: { min: 13, max: 19 },
  /** Shortest Temporary Access Pass or bare password the guard looks for. */
  passMinLength: 8,
  /** Longest single token judged as a password; longer runs are not credentials. */
  passMaxLength: 64,
  /** Fewest digits in a record number, chart number or patient id. */
  identifierMinDigits: 4,
  /** What `redact` puts where sensitive text was. */
  placeholder: '[removed]',
  /** Redaction passes before `redact` gives up and removes the whole text. */
  maxRedactPasses: 4,
} as const;
