import type { AuthMethod } from './types';

/**
 * Every Graph authentication method type in plain words, once, for cards and chat. A Temporary
 * Access Pass is a short-term pass for setting up, not a sign-in method a person keeps.
 */

const NAMES: Record<string, string> = {
  microsoftAuthenticatorAuthenticationMethod: 'Microsoft Authenticator',
  phoneAuthenticationMethod: 'Text or call',
  fido2AuthenticationMethod: 'Security key',
  hardwareOathAuthenticationMethod: 'Hardware token',
  softwareOathAuthenticationMethod: 'Code app',
  windowsHelloForBusinessAuthenticationMethod: 'Windows Hello',
  temporaryAccessPassAuthenticationMethod: 'Temporary Access Pass',
  emailAuthenticationMethod: 'Email (password reset only)',
  platformCredentialAuthenticationMethod: 'Mac sign-in (Platform SSO)',
  passwordAuthenticationMethod: 'Password',
  qrCodePinAuthenticationMethod: 'QR code with PIN',
  x509CertificateAuthenticationMethod: 'Certificate',
};

/** Methods that count as a second sign-in factor a person keeps. */
const SECOND_FACTORS = new Set([
  'microsoftAuthenticatorAuthenticationMethod',
  'phoneAuthenticationMethod',
  'fido2AuthenticationMethod',
  'hardwareOathAuthenticationMethod',
  'softwareOathAuthenticationMethod',
  'windowsHelloForBusinessAuthenticationMethod',
  'platformCredentialAuthenticationMethod',
  'qrCodePinAuthenticationMethod',
  'x509CertificateAuthenticationMethod',
]);

export const PASS_KIND = 'temporaryAccessPassAuthenticationMethod';
export const AUTHENTICATOR_KIND = 'microsoftAuthenticatorAuthenticationMethod';
export const PHONE_KIND = 'phoneAuthenticationMethod';

/** "temporaryAccessPassAuthenticationMethod" → "Temporary Access Pass"; unknown types in words. */
function methodName(kind: string): string {
  const known = NAMES[kind];
  if (known) return known;
  const words = kind.replace(/AuthenticationMethod$/, '').replace(/([a-z])([A-Z])/g, '$1 $2');
  return words.charAt(0).toUpperCase() + words.slice(1).toLowerCase();
}

export function isSecondFactor(m: Pick<AuthMethod, 'kind'>): boolean {
  return SECOND_FACTORS.has(m.kind);
}

/** One line per method: its name, and what tells it apart (a device, a masked number) if any. */
export function describeMethod(m: AuthMethod): { name: string; detail: string } {
  const name = methodName(m.kind);
  if (m.kind === PASS_KIND) return { name, detail: 'short-term, for setting up only' };
  const detail = m.label.trim();
  return { name, detail: detail && detail.toLowerCase() !== name.toLowerCase() ? detail : '' };
}
