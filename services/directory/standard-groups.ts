import { guidFromLabel } from './ids';
import { GROUP_NAMES, type PracticeGroup } from './practice';

const id = (key: string) => guidFromLabel(`riverbend-family-medicine:group:${key}`);

/**
 * The groups every practice file here uses, with fixed ids: the demo practice and generated
 * directories share them, so configuration written for one works with the other.
 */
export const STANDARD_GROUP_IDS = {
  physicians: id('physicians'),
  nursing: id('nursing'),
  frontDesk: id('front-desk'),
  billing: id('billing'),
  itSupport: id('it-support'),
  practiceAdmins: id('practice-admins'),
  clinicalStaff: id('clinical-staff'),
  mfaExclusions: id('mfa-exclusions'),
} as const;

export function standardGroups(): PracticeGroup[] {
  const g = STANDARD_GROUP_IDS;
  return [
    {
      id: g.clinicalStaff,
      displayName: GROUP_NAMES.clinicalStaff,
      description: 'Everyone who sees patients',
    },
    { id: g.physicians, displayName: GROUP_NAMES.physicians, memberOf: [g.clinicalStaff] },
    { id: g.nursing, displayName: GROUP_NAMES.nursing, memberOf: [g.clinicalStaff] },
    { id: g.frontDesk, displayName: GROUP_NAMES.frontDesk },
    { id: g.billing, displayName: GROUP_NAMES.billing },
    { id: g.itSupport, displayName: GROUP_NAMES.itSupport },
    { id: g.practiceAdmins, displayName: GROUP_NAMES.practiceAdmins },
    {
      id: g.mfaExclusions,
      displayName: GROUP_NAMES.mfaExclusions,
      description: 'Break-glass and shared accounts excluded from MFA rollout nudges',
    },
  ];
}
