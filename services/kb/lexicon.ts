/** Words the intent rules look for. Tokens are as `tokenize` returns them. */

const words = (s: string): ReadonlySet<string> => new Set(s.split(/\s+/).filter(Boolean));

export const DEVICE = words(
  'phone phones cell mobile iphone android samsung pixel galaxy device handset smartphone ' +
    'cellphone motorola moto',
);
export const THEFT = words('stolen stole steal theft thief robbed pickpocketed snatched mugged');
export const LOSS = words('lost lose losing misplaced misplace');
export const DAMAGE = words(
  'broke broken smashed shattered cracked dead died dies die dying destroyed water wet toilet ' +
    'drowned bricked fried damaged repair repairs repaired repairing',
);
export const HYPOTHETICAL = words('if case incase someday ever suppose happens happen prepare');
export const CUE_ADMIN = words('nudge nudges nudging coverage unregistered');
export const HELP_WORDS = words(
  'hi hello hey hiya yo howdy help menu options option commands command bot thanks thank thx ty ' +
    'cheers ok okay morning afternoon evening',
);
export const HELP_FILLER = words(
  'there please thanks thank you u good morning afternoon evening me i need can could some ' +
    'show the a what are my your with',
);
export const ONBOARDING_CUES = words(
  'setup register registration registering enroll enrol enrollment enrolment start started ' +
    'starting begin mfa install signup onboard onboarding activate',
);
/** Words that may sit beside an onboarding cue without making it a specific problem. */
export const ONBOARDING_FILLER = words(
  'authenticator microsoft ms app application account authentication verification thing stuff ' +
    'process phone work need want help how do to me please now first steps step instructions ' +
    'guide going new here where should going yet properly correctly right nurse nurses doctor ' +
    'physician receptionist biller billing staff employee hire starter ma np pa md',
);

/** Further words the rules' phrase patterns use; kept known so spelling correction leaves them. */
export const PATTERN_WORDS = words(
  'status registered enrolled done finished complete completed through remind reminder ' +
    'reminders everyone everybody staff people team users unregistered report registration ' +
    'compliance progress many list show export find turn switch power boot screen black blank ' +
    'old gone sold returned wiped traded trade gave away recycled new hire starter employee ' +
    'first day both kept own works working anywhere yesterday',
);
