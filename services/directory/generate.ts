import { guidFromWords } from './ids';
import type { MethodName, Practice, PracticeUser } from './practice';
import { STANDARD_GROUP_IDS, standardGroups } from './standard-groups';

/**
 * Synthetic directories for load tests and benchmarks: the same groups as the demo practice, a
 * realistic mix of roles and registrations, and the same output for the same seed.
 */

export interface GenerateOptions {
  users: number;
  seed?: number;
}

const MAX_GENERATED_USERS = 50_000;
const DOMAIN = 'synthetic-clinic.example';

const FIRST = [
  'Ava',
  'Ben',
  'Carla',
  'Dev',
  'Elena',
  'Farah',
  'Gus',
  'Hana',
  'Ivan',
  'Jada',
  'Kofi',
  'Lena',
  'Mateo',
  'Nadia',
  'Omar',
  'Priya',
  'Quinn',
  'Rosa',
  'Sami',
  'Tara',
  'Uma',
  'Victor',
  'Wren',
  'Xavi',
  'Yara',
  'Zane',
  'Alma',
  'Boris',
  'Celia',
  'Dara',
  'Emil',
  'Fern',
  'Gia',
  'Hugo',
  'Iris',
  'Joel',
  'Kira',
  'Liam',
  'Mina',
  'Noel',
  'Opal',
  'Pablo',
  'Rhea',
  'Seth',
  'Tess',
  'Ugo',
  'Vera',
  'Wade',
  'Yusuf',
  'Zoe',
];
const LAST = [
  'Abara',
  'Bellweather',
  'Castellan',
  'Dunmore',
  'Everly',
  'Fairbanks',
  'Galloway',
  'Hartwell',
  'Ingram',
  'Jessop',
  'Kettering',
  'Lindqvist',
  'Marlowe',
  'Nakagawa',
  'Okafor',
  'Pemberton',
  'Quillen',
  'Ravensworth',
  'Sallow',
  'Thistle',
  'Underhill',
  'Vantongeren',
  'Whitlock',
  'Yardley',
  'Zeller',
  'Ashdown',
  'Brightwater',
  'Coldfield',
  'Dravik',
  'Elsworth',
  'Fenwick',
  'Greaves',
  'Holloway',
  'Ibarra',
  'Juniper',
  'Kowalczyk',
  'Larkspur',
  'Merriweather',
  'Northcott',
  'Oyelaran',
];

interface Role {
  department: string;
  titles: string[];
  groups: string[];
  share: number;
}

const G = STANDARD_GROUP_IDS;
const role = (department: string, titles: string[], group: string, share: number): Role => ({
  department,
  titles,
  groups: [group],
  share,
});

const ROLES: Role[] = [
  role(
    'Clinical',
    ['Family Physician', 'Nurse Practitioner', 'Physician Assistant'],
    G.physicians,
    0.15,
  ),
  role(
    'Nursing',
    ['Registered Nurse', 'Licensed Practical Nurse', 'Charge Nurse'],
    G.nursing,
    0.32,
  ),
  role('Clinical Support', ['Medical Assistant', 'Phlebotomist'], G.clinicalStaff, 0.12),
  role('Front Desk', ['Patient Services Representative', 'Scheduler'], G.frontDesk, 0.18),
  role('Billing', ['Billing Specialist', 'Medical Coder'], G.billing, 0.15),
  role('IT', ['IT Support Technician'], G.itSupport, 0.03),
  role('Administration', ['Office Manager', 'Practice Administrator'], G.practiceAdmins, 0.05),
];
const EXCLUDED = role('IT', ['Shared account'], G.mfaExclusions, 0);

/** mulberry32: small, fast, good enough for synthetic data. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function pickMethods(r: number): MethodName[] {
  if (r < 0.42) return ['microsoftAuthenticatorPush'];
  if (r < 0.52) return ['microsoftAuthenticatorPush', 'mobilePhone'];
  if (r < 0.55) return ['microsoftAuthenticatorPush', 'fido2SecurityKey'];
  if (r < 0.75) return ['mobilePhone'];
  if (r < 0.79) return ['hardwareOneTimePasscode'];
  if (r < 0.81) return ['hardwareOneTimePasscode', 'mobilePhone'];
  if (r < 0.82) return ['softwareOneTimePasscode'];
  return [];
}

function thresholdsOf(roles: Role[]): number[] {
  let sum = 0;
  return roles.map((r) => (sum += r.share));
}

export function generatePractice(options: GenerateOptions): Practice {
  const count = Math.floor(options.users);
  if (!Number.isFinite(count) || count < 1 || count > MAX_GENERATED_USERS) {
    throw new RangeError(`users must be between 1 and ${MAX_GENERATED_USERS}`);
  }
  const seed = options.seed ?? 1;
  const rand = prng(seed);
  const pick = <T>(list: readonly T[]): T => list[Math.floor(rand() * list.length)]!;
  const word = () => Math.floor(rand() * 4294967296);
  const guid = () => guidFromWords(word(), word(), word(), word());
  const digits = (n: number) => String(n % 100).padStart(2, '0');
  const phone = () => {
    const area = 200 + Math.floor(rand() * 700);
    return `+1 ${area} 555 01${digits(Math.floor(rand() * 100))}`;
  };
  const created = (i: number) =>
    new Date(Date.UTC(2024, 0, 1) + (i % 700) * 86_400_000).toISOString();
  const taken = new Map<string, number>();
  const nameFor = (first: string, last: string) => {
    const base = `${first}.${last}`.toLowerCase();
    const n = (taken.get(base) ?? 0) + 1;
    taken.set(base, n);
    return n === 1 ? base : `${base}${n}`;
  };

  const make = (role: Role, index: number, special: Partial<PracticeUser> = {}): PracticeUser => {
    const first = pick(FIRST);
    const last = pick(LAST);
    const name = nameFor(first, last);
    const methods = special.methodsRegistered ?? pickMethods(rand());
    const mobile = phone();
    const guest = special.userType === undefined && rand() < 0.015;
    const enabled = special.accountEnabled ?? rand() >= 0.02;
    return {
      id: guid(),
      displayName: `${first} ${last}`,
      givenName: first,
      surname: last,
      userPrincipalName: guest ? `${name}_partner.example#EXT#@${DOMAIN}` : `${name}@${DOMAIN}`,
      mail: guest ? `${name}@partner.example` : `${name}@${DOMAIN}`,
      jobTitle: pick(role.titles),
      department: role.department,
      memberOf: role.groups,
      isAdmin: false,
      eligibleRoles: [],
      methodsRegistered: methods,
      authenticatorDevices: methods.includes('microsoftAuthenticatorPush')
        ? [
            {
              id: guid(),
              displayName: `${first}'s phone`,
              deviceTag: 'SoftwareTokenActivated',
              phoneAppVersion: '6.2401.0119',
              createdDateTime: created(index),
            },
          ]
        : [],
      phoneNumber: methods.includes('mobilePhone') ? mobile : null,
      businessPhones: [`+1 541 555 01${digits(index)}`],
      mobilePhone: rand() < 0.7 ? mobile : null,
      userType: guest ? 'Guest' : 'Member',
      accountEnabled: enabled,
      ...special,
    };
  };

  const [it, admins] = [ROLES[5]!, ROLES[6]!];
  const member = { userType: 'Member', accountEnabled: true } as const;
  const specials: Array<[Role, Partial<PracticeUser>]> = [
    [
      it,
      {
        ...member,
        isAdmin: true,
        jobTitle: 'IT Lead',
        methodsRegistered: ['microsoftAuthenticatorPush', 'fido2SecurityKey'],
      },
    ],
    [it, { ...member, methodsRegistered: ['microsoftAuthenticatorPush'] }],
    [admins, { ...member, methodsRegistered: ['microsoftAuthenticatorPush'] }],
    [admins, { ...member, methodsRegistered: ['mobilePhone'] }],
    [
      EXCLUDED,
      {
        ...member,
        isAdmin: true,
        jobTitle: 'Emergency access account',
        methodsRegistered: ['fido2SecurityKey'],
      },
    ],
    [EXCLUDED, { ...member, jobTitle: 'Shared front desk account', methodsRegistered: [] }],
  ];
  const users: PracticeUser[] = [];
  for (const [r, special] of specials.slice(0, count)) users.push(make(r, users.length, special));
  const thresholds = thresholdsOf(ROLES);
  while (users.length < count) {
    const r = rand() * thresholds[thresholds.length - 1]!;
    const roleIndex = thresholds.findIndex((t) => r < t);
    users.push(make(ROLES[roleIndex === -1 ? 0 : roleIndex]!, users.length));
  }

  return {
    tenantId: guidFromWords(seed, 0x7e4a47, 0x51, 0xc11c),
    organization: { displayName: `Synthetic Clinic ${seed}` },
    groups: standardGroups(),
    users,
  };
}
