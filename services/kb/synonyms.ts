/**
 * Words staff use, mapped to the words the articles use. Applied to questions only: a question
 * word is searched as itself plus these. Keys are tokens as `tokenize` returns them.
 * Each row: words staff type → words to search for as well.
 */
const GROUPS: ReadonlyArray<readonly [string, string]> = [
  ['notif notifs noti notis notifcation notifications', 'notification'],
  ['alert alerts popup buzz buzzes ping pings vibrate', 'notification'],
  ['notify notifies ding dings beep chime sound', 'notification'],
  ['someone somebody stranger hacker attacker', 'someone'],
  ['push pushes', 'notification'],
  ['prompt prompts request requests', 'notification request'],
  ['approval approvals approving approved accept confirm', 'approve'],
  ['cell mobile cellphone handset', 'phone'],
  ['iphone ios', 'phone iphone'],
  ['android', 'phone android'],
  ['samsung galaxy pixel motorola moto huawei xiaomi oneplus', 'android'],
  ['ipad tablet tablets', 'tablet device'],
  ['txt txts texts texting texted sms msg msgs', 'text sms'],
  ['pwd pw passwd pword', 'password'],
  ['otp passcode token', 'code'],
  ['incorrect invalid wrong rejected reject rejects denied', 'wrong invalid'],
  ['expired expire expires timeout', 'expired timeout'],
  ['late delay delayed slow lag', 'late delayed'],
  ['reception service internet offline connection bars data', 'signal'],
  ['signal', 'reception internet'],
  ['uninstall uninstalled deleted delete removed remove', 'uninstall delete remove'],
  ['reinstall reinstalled reinstalling', 'reinstall install'],
  ['pc computer workstation desktop terminal kiosk', 'computer'],
  ['colleague coworker coworkers colleagues', 'coworker'],
  ['vacation holiday trip travelling traveling overseas', 'travel abroad'],
  ['flying fly flight flights cruise visiting', 'travel abroad'],
  ['midnight night overnight nighttime', 'night'],
  ['carrier provider verizon att tmobile sim', 'carrier'],
  ['international foreign country countries abroad', 'abroad country'],
  ['wfh house homeoffice', 'home'],
  ['remote remotely', 'remote home'],
  ['globalprotect anyconnect forticlient citrix rdp tunnel', 'vpn'],
  ['employer boss manager practice clinic office hospital', 'practice'],
  ['spy track tracking monitor monitoring private snoop', 'privacy'],
  ['photo photos pictures gallery contacts', 'photos personal'],
  ['default primary preferred main', 'default'],
  ['calls calling called call', 'call'],
  ['battery power powersave', 'battery'],
  ['sleep sleeping asleep doze idle', 'sleeping'],
  ['faceid fingerprint biometric biometrics face', 'faceid fingerprint'],
  ['passwordless', 'passwordless password'],
  ['register registering enroll enrol signup', 'register'],
  ['website site url link page portal', 'link page'],
  ['comp', 'company'],
  ['temp', 'temporary'],
  ['tap', 'temporary access pass'],
  ['rather instead', 'instead'],
  ['way ways option options alternative', 'method option'],
  ['watch wearable applewatch wrist', 'watch'],
  ['scanner barcode camera', 'scan camera'],
  ['locked lockout blocked block', 'locked'],
  ['backup backups icloud cloud', 'backup'],
  ['restore restored restoring recover recovery recovered', 'restore recover'],
  ['transfer migrate moving move switch switching', 'move switch'],
  ['upgrade upgrading upgraded replace replacing replacement', 'new upgrade'],
  ['hacked hacker suspicious random strange weird unknown', 'suspicious'],
  ['necessary point reason purpose mandatory', 'why need'],
  ['autofill autocomplete saved save store storing', 'autofill saved'],
];

const COUNTRIES = (
  'mexico canada europe uk england france spain italy germany india china japan philippines ' +
  'brazil nigeria ghana kenya australia ireland portugal greece israel dominican jamaica ' +
  'vietnam korea pakistan egypt colombia peru cuba haiti poland ukraine'
).split(' ');

function build(): Map<string, string[]> {
  const map = new Map<string, string[]>();
  const add = (word: string, extra: string[]): void => {
    const seen = map.get(word) ?? [];
    map.set(word, [...new Set([...seen, ...extra.filter((e) => e !== word)])]);
  };
  for (const [words, extra] of GROUPS) {
    for (const w of words.split(' ')) add(w, extra.split(' '));
  }
  for (const c of COUNTRIES) add(c, ['abroad', 'country']);
  return map;
}

const SYNONYMS = build();

/** Extra words to search for alongside `token`. */
export function synonymsOf(token: string): readonly string[] {
  return SYNONYMS.get(token) ?? [];
}

/** Every token the table knows, so spelling correction does not "fix" them. */
export function synonymVocabulary(): string[] {
  const words = new Set<string>();
  for (const [k, v] of SYNONYMS) {
    words.add(k);
    for (const w of v) words.add(w);
  }
  return [...words];
}
