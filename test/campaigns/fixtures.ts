import { generatePractice } from '../../services/directory/generate';
import { guidFromLabel } from '../../services/directory/ids';
import type { Practice, PracticeUser } from '../../services/directory/practice';
import { STANDARD_GROUP_IDS } from '../../services/directory/standard-groups';

/**
 * A synthetic practice where exactly `recipients` people are not on Authenticator (and can be
 * nudged); everyone else eligible is registered. Guests, disabled accounts and the never-nudge
 * group stay as generated, so the exclusions are exercised too.
 */
export function campaignPractice(
  recipients: number,
  seed = 11,
): { practice: Practice; recipients: PracticeUser[]; admin: PracticeUser } {
  const practice = generatePractice({ users: Math.ceil(recipients * 1.08) + 40, seed });
  const eligible = (u: PracticeUser) =>
    u.accountEnabled &&
    u.userType === 'Member' &&
    !u.memberOf.includes(STANDARD_GROUP_IDS.mfaExclusions);
  const admin = practice.users.find(
    (u) => eligible(u) && u.memberOf.includes(STANDARD_GROUP_IDS.practiceAdmins),
  );
  if (!admin) throw new Error('the generated practice has no admin');
  const chosen: PracticeUser[] = [];
  for (const u of practice.users) {
    if (!eligible(u)) continue;
    if (u !== admin && chosen.length < recipients) {
      u.methodsRegistered = chosen.length % 3 === 0 ? ['mobilePhone'] : [];
      u.authenticatorDevices = [];
      chosen.push(u);
    } else if (!u.methodsRegistered.includes('microsoftAuthenticatorPush')) {
      u.methodsRegistered = ['microsoftAuthenticatorPush'];
      u.authenticatorDevices = [
        {
          id: guidFromLabel(`device:${u.id}`),
          displayName: 'Phone',
          deviceTag: 'SoftwareTokenActivated',
          phoneAppVersion: '6.2401.0119',
          createdDateTime: '2025-01-01T00:00:00.000Z',
        },
      ];
    }
  }
  if (chosen.length < recipients)
    throw new Error(`only ${chosen.length} eligible people for ${recipients} recipients`);
  return { practice, recipients: chosen, admin };
}
