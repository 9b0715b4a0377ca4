import type { z } from 'zod';
import type { AuthMethodSchema, RegistrationDetailSchema } from './graph-schemas';
import { AUTHENTICATOR_METHOD, type RegistrationDetail, type RegistrationFilter } from './types';

/** From Graph's shapes to the directory's: registration rows, method labels, report filters. */

/** An OData string literal. */
export const quote = (value: string) => `'${value.replace(/'/g, "''")}'`;

export function toRegistration(r: z.infer<typeof RegistrationDetailSchema>): RegistrationDetail {
  // A display name can be null in Graph: people are then named by their sign-in name.
  return { ...r, userDisplayName: r.userDisplayName ?? r.userPrincipalName };
}

function maskEmail(address: string): string {
  const [name, domain] = address.split('@');
  return domain ? `${name!.slice(0, 1)}•••@${domain}` : '•••';
}

export function methodLabel(kind: string, m: z.infer<typeof AuthMethodSchema>): string {
  switch (kind) {
    case 'passwordAuthenticationMethod':
      return 'Password';
    case 'microsoftAuthenticatorAuthenticationMethod':
      return m.displayName ?? 'Microsoft Authenticator';
    case 'phoneAuthenticationMethod': {
      const digits = (m.phoneNumber ?? '').replace(/\D/g, '');
      const type = m.phoneType === 'office' ? 'Office phone' : 'Mobile phone';
      return digits.length >= 2 ? `${type} ending ${digits.slice(-2)}` : type;
    }
    case 'emailAuthenticationMethod':
      return `Email ${maskEmail(m.emailAddress ?? '')}`;
    case 'fido2AuthenticationMethod':
      return m.displayName ?? m.model ?? 'Security key';
    case 'hardwareOathAuthenticationMethod':
      return m.displayName ?? 'Hardware token';
    case 'softwareOathAuthenticationMethod':
      return 'Authenticator app (one-time codes)';
    case 'temporaryAccessPassAuthenticationMethod':
      return 'Temporary Access Pass';
    case 'windowsHelloForBusinessAuthenticationMethod':
      return m.displayName ?? 'Windows Hello for Business';
    default:
      return m.displayName ?? kind;
  }
}

export function registrationQuery(filter: RegistrationFilter): Record<string, string> | undefined {
  const clauses: string[] = [];
  if (filter.authenticatorRegistered === true) {
    clauses.push(`methodsRegistered/any(x:x eq ${quote(AUTHENTICATOR_METHOD)})`);
  }
  if (filter.isMfaRegistered !== undefined) {
    clauses.push(`isMfaRegistered eq ${filter.isMfaRegistered}`);
  }
  return clauses.length ? { $filter: clauses.join(' and ') } : undefined;
}
