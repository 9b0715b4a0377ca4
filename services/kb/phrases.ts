/**
 * Phrase folding shared by the index and the questions: "log in", "login" and "sign-in" all
 * become "signin", and a few telling phrases ("didn't get", "bad reception") become one token.
 * Input is lower-case words separated by single spaces.
 */

/** A non-capturing alternation of space-separated words. */
const any = (words: string): string => `(?:${words.trim().split(/\s+/).join('|')})`;
const rule = (...parts: string[]): RegExp => new RegExp(parts.join(''), 'g');

const NEGATION = any('dont doesnt didnt not never cant cannot isnt wont arent');

/** "did not get", "never arrives", "not popping up": something expected did not show. */
const NOT_RECEIVED = rule(
  `\\b(?:${NEGATION}|do not|does not|did not|no longer) `,
  any(`get gets getting got receive receives receiving received see seeing come comes coming
    arrive arrives arriving show shows showing pop pops popping poping appear appears appearing
    notify notifies ding dings buzz buzzes ring rings beep beeps vibrate vibrates alert`),
  '\\b|\\bno ',
  any('alert alerts notification notifications notif notifs push prompt prompts popup'),
  '\\b|\\bnothing ',
  any('come comes arrive arrives show shows pop pops appear appears happen happens'),
  '\\b',
);

/** "I wasn't signing in", "I didn't start it", "not me": a request the person did not make. */
const NOT_ME = rule(
  '\\b(?:wasnt|was not|werent|were not|didnt|did not|never|havent|have not|not) ',
  any(`signing sign signin trying try start started starting request requested initiate
    initiated do doing ask asked me mine log logging login`),
  '\\b',
);

/** "bad reception", "no service", "weak signal". */
const NO_SIGNAL = rule(
  `\\b${any('bad poor weak no low terrible spotty patchy')} (?:${any('cell mobile phone')} )?`,
  any('reception signal service coverage bars internet data connection'),
  '\\b',
);

/** "don't have a smartphone", "without a phone": no phone to install apps on. */
const NO_SMARTPHONE = rule(
  '\\b(?:dont have|do not have|dont own|do not own|no|without) (?:a |any )?',
  '(?:smart ?|cell ?)?phone\\b',
);

/** "not working", "doesn't work", "won't let me in": says nothing about which thing fails. */
const NOT_WORKING = rule(
  `\\b(?:${NEGATION}|does not|did not|stopped|stop) work(?:s|ing|ed)?\\b`,
  `|\\b(?:${NEGATION}|does not|did not|will not) let me ${any('in sign log login signin')}\\b`,
);

/** "only comes when I open the app", "until I unlock": a phone holding notifications back. */
const ONLY_WHEN_OPEN = rule(
  `\\b(?:only (?:\\w+ ){0,4}?${any('when after if once')}|until) (?:\\w+ ){0,2}?`,
  any('open opening opened unlock unlocking unlocked'),
  '\\b',
);

const MY_PHONE = `my ${any('phone cell mobile iphone')}`;

/** "forgot my phone", "don't have my phone with me": the phone exists but is not at hand. */
const WITHOUT_MY_PHONE = rule(
  `\\b(?:(?:dont|do not|didnt|did not) ${any('have bring brought')}|without|forgot|forget) `,
  `${MY_PHONE}(?: (?:with me|at home|home))?\\b|\\bleft ${MY_PHONE} (?:at )?home\\b`,
);

/** "old one I still have", "still got the old phone": moving phones with both at hand. */
const STILL_HAVE_OLD = rule(
  `\\bold ${any('one phone device iphone cell')}(?: \\w+){0,3}? still `,
  `${any('have got work works working')}\\b|\\bstill ${any('have got')} (?:the |my )?old\\b`,
);

/** "work from home", "WFH", "home office", "working remotely". */
const REMOTE_WORK = rule(
  '\\bwork(?:ing|s)? (?:from|at) home\\b|\\bwfh\\b|\\bhome office\\b',
  '|\\bwork(?:ing)? remote(?:ly)?\\b',
);

/** "switch from call to app", "change to text": changing which method is used. */
const METHOD = any('text texts sms call calls app notification notifications push code codes');
const CHANGE_METHOD = rule(
  `\\b${any('switch change move go')}(?:ing|ed|es)? (?:from|to) (?:a |the )?`,
  `(?:phone call|${METHOD})\\b`,
);

/** "many users", "several people", "everyone uses": a computer shared between staff. */
const SHARED_BY_MANY = rule(
  `\\b(?:${any('many several multiple different')}|lots of) `,
  `(?:${any('users people staff persons nurses')}|of us)\\b`,
  `|\\b(?:everyone|everybody|we all) ${any('use uses share shares')}\\b`,
);

/** Each rule and its replacement; `$&` keeps the original words beside the new token. */
const PHRASES: ReadonlyArray<readonly [RegExp, string]> = [
  [/\bpop(?:p?ing|s|ped)? ?ups?\b/g, ' popup '],
  // Other systems whose names share words with sign-in topics ("portal", "password").
  [/\bpatient portal\b/g, ' patientportal '],
  [/\b(?:guest )?wi ?fi password\b/g, ' wifipassword '],
  [/\b(?:vacation|sick|pto|holiday) days?\b|\b(?:days?|time) off\b/g, ' timeoff '],
  [NOT_RECEIVED, ' $& notreceived '],
  [NOT_ME, ' $& notme '],
  [NO_SIGNAL, ' nosignal signal '],
  [NO_SMARTPHONE, ' nosmartphone '],
  [NOT_WORKING, ' notworking '],
  [ONLY_WHEN_OPEN, ' onlywhenopen '],
  [/\bmore than (?:one|1)\b/g, ' multiple '],
  [WITHOUT_MY_PHONE, ' withoutphone '],
  [/\bby the time\b/g, ' late '],
  [STILL_HAVE_OLD, ' $& stillhaveold '],
  [REMOTE_WORK, ' $& remotework '],
  [CHANGE_METHOD, ' $& changemethod '],
  [SHARED_BY_MANY, ' $& shared '],
  [/\b(?:get|gets|got|getting|break|breaking) in(?:to)?\b/g, ' signin '],
  [/\bset (?:it|this|that|them|me|everything|mine) up\b/g, ' setup '],
  [/\bwindows hello\b/g, ' faceid '],
  [/\b(?:log|sign)(?:ging|ged|ing|ed)? ?(?:in|on|into)\b/g, ' signin '],
  [/\b(?:login|logon|signin)s?\b/g, ' signin '],
  [/\b(?:log|sign)(?:ging|ged|ing|ed)? ?out\b/g, ' signout '],
  [/\bset(?:ting)? ?up\b/g, ' setup '],
  [/\bsign(?:ing|ed)? ?up\b/g, ' signup '],
  [/\bback(?:ing|ed)? ?up\b/g, ' backup '],
  [/\b(?:2|two) ?(?:fa|factor|step|steps|way)\b/g, ' mfa '],
  [/\bmulti ?factor\b/g, ' mfa '],
  [/\b(?:2|two) ?digits?\b/g, ' 2 digit '],
  [/\b(?:6|six) ?digits?\b/g, ' 6 digit '],
  [/\bwi ?fi\b/g, ' wifi '],
  [/\bpass ?keys?\b/g, ' passkey '],
  [/\bsmart ?watch(?:es)?\b/g, ' smartwatch '],
  [/\bsmart ?phones?\b/g, ' smartphone '],
  [/\b(?:face|touch) ?id\b/g, ' faceid '],
  [/\b(?:phone|cell|mobile|cellphone) ?(?:numbers?|nums?|nr)\b/g, ' phonenumber '],
  [/\bcell ?phones?\b/g, ' phone '],
  [/\btimed? ?out\b/g, ' timeout '],
  [/\block(?:ed)? ?out\b/g, ' locked '],
  [/\bq ?r\b/g, ' qr '],
  [/\be ?mail/g, ' email'],
  [/\bco ?worker/g, ' coworker'],
  [/\bpass ?words?\b/g, ' password '],
];

/** The words the phrase rules look for, so spelling correction leaves them alone. */
export function phraseWords(): string[] {
  return PHRASES.flatMap(([re]) => re.source.match(/[a-z]{3,}/g) ?? []);
}

/** Applies every phrase rule to a space-separated, lower-case string of words. */
export function foldPhrases(text: string): string {
  let s = ` ${text} `;
  for (const [re, to] of PHRASES) s = s.replace(re, to);
  return s;
}
