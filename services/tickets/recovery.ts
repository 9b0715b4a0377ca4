import {
  isDirectoryError,
  type DefaultMethod,
  type Directory,
  type Receipt,
} from '../directory/types';

/**
 * Removing a lost phone's Authenticator. Graph will not delete the default sign-in method while
 * other methods exist, and a lost phone's Authenticator usually is the default: when the person
 * has another method that can be the default, it becomes the default first, then the
 * Authenticator goes. When none can, the caller gets `needsPortal` and says what to do instead.
 */
export type RemovalResult =
  | { removed: true; receipt: Receipt; defaultChangedTo?: DefaultMethod; defaultReceipt?: Receipt }
  | { removed: false; needsPortal: true };

/** Method types that can be a default, in the order to choose them (least phishable first). */
const CANDIDATES: Array<{ kind: string; phoneType?: string; value: DefaultMethod }> = [
  { kind: 'softwareOathAuthenticationMethod', value: 'oath' },
  { kind: 'hardwareOathAuthenticationMethod', value: 'oath' },
  { kind: 'phoneAuthenticationMethod', phoneType: 'office', value: 'voiceOffice' },
  { kind: 'phoneAuthenticationMethod', value: 'sms' },
];

export async function removeLostAuthenticator(
  directory: Directory,
  userId: string,
  methodId: string,
): Promise<RemovalResult> {
  try {
    return { removed: true, receipt: await directory.removeAuthenticator(userId, methodId) };
  } catch (err) {
    if (!isDirectoryError(err, 'default-method')) throw err;
  }
  const methods = await directory.authMethods(userId);
  const pick = CANDIDATES.find((c) =>
    methods.some(
      (m) => m.kind === c.kind && (!c.phoneType || m.label.toLowerCase().startsWith(c.phoneType)),
    ),
  );
  if (!pick) return { removed: false, needsPortal: true };
  const defaultReceipt = await directory.setDefaultMethod(userId, pick.value);
  const receipt = await directory.removeAuthenticator(userId, methodId);
  return { removed: true, receipt, defaultChangedTo: pick.value, defaultReceipt };
}
