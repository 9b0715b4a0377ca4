import type { Scan } from '../scan';
import { isPlaceholder } from '../text';
import type { SensitiveKind, Span } from '../types';

/** "?otp=482913", "&password=...", "#code=482913": a parameter and its value. */
const PARAMETER = /[?&#;]([^=&#;?/]{1,40})=([^&#;]{1,200})/g;
/** "https://jdoe:Summer2024@portal.example": the password part of a link's user information. */
const USER_PASSWORD = /^[a-z][a-z0-9+.-]{1,9}:\/\/[^/?#@:]{1,64}:([^/?#@]{1,128})@/i;

/** What a parameter carries, by its name reduced to lower-case letters. */
const KINDS_BY_NAME: ReadonlyMap<string, SensitiveKind> = new Map([
  ...['otp', 'code', 'totp', 'otpcode', 'smscode', 'mfacode', 'authcode', 'signincode'].map(
    (k) => [k, 'one-time-code'] as const,
  ),
  ...['verificationcode', 'verifycode', 'securitycode', 'onetimecode', 'passcode'].map(
    (k) => [k, 'one-time-code'] as const,
  ),
  ...['password', 'passwd', 'pwd', 'pw', 'pass', 'passphrase', 'pin'].map(
    (k) => [k, 'password'] as const,
  ),
  ...['tap', 'temporaryaccesspass', 'accesspass'].map((k) => [k, 'temporary-access-pass'] as const),
  ...['ssn', 'socialsecurity', 'socialsecuritynumber'].map((k) => [k, 'ssn'] as const),
  ...['mrn', 'medicalrecordnumber', 'patientid', 'chart', 'chartnumber'].map(
    (k) => [k, 'patient-identifier'] as const,
  ),
  ...['dob', 'dateofbirth', 'birthdate'].map((k) => [k, 'date-of-birth'] as const),
]);

function decoded(value: string): string {
  try {
    return decodeURIComponent(value.replace(/\+/g, ' '));
  } catch {
    return value;
  }
}

/** Whether a value is what its parameter's kind looks like, not a word such as "code=SPRING". */
function fits(kind: SensitiveKind, value: string): boolean {
  const digits = value.replace(/[\s.-]/g, '');
  switch (kind) {
    case 'one-time-code':
      return /^\d{6,8}$/.test(digits);
    case 'ssn':
      return /^(?:\d{9}|\d{4})$/.test(digits);
    case 'patient-identifier':
      return /^[a-z]{0,3}\d{4,12}$/i.test(digits);
    case 'date-of-birth':
      return /\d/.test(value);
    default:
      return value.trim() !== '';
  }
}

/**
 * Secrets carried by links: a sign-in code, password or patient detail as a named parameter
 * ("https://evil.example/?otp=482913"), or a password in the link's user information.
 */
export function findLinkSecrets(scan: Scan): Span[] {
  const spans: Span[] = [];
  const found = (kind: SensitiveKind, start: number, value: string): void => {
    if (!isPlaceholder(value)) spans.push({ kind, start, end: start + value.length });
  };
  for (const link of scan.links) {
    const text = scan.text.slice(link.start, link.end);
    const user = USER_PASSWORD.exec(text);
    if (user?.[1]) found('password', link.start + user[0].length - 1 - user[1].length, user[1]);
    for (const m of text.matchAll(PARAMETER)) {
      const [whole, name = '', value = ''] = m;
      const kind = KINDS_BY_NAME.get(
        decoded(name)
          .toLowerCase()
          .replace(/[^a-z]/g, ''),
      );
      if (!kind || !fits(kind, decoded(value))) continue;
      found(kind, link.start + m.index + whole.length - value.length, value);
    }
  }
  return spans;
}
