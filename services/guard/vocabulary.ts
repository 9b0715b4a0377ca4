/**
 * Word lists the detectors consult. Lower-case; compared with `bare()` forms of words.
 * First names leave out those that are also everyday English words (will, mark, may, grace).
 */
const list = (words: string): ReadonlySet<string> => new Set(words.trim().split(/\s+/));

export const FIRST_NAMES = list(`
  mary patricia jennifer linda elizabeth barbara susan jessica sarah karen lisa nancy betty
  margaret sandra ashley kimberly emily donna michelle carol amanda dorothy melissa deborah
  stephanie rebecca sharon laura cynthia kathleen amy angela shirley anna brenda pamela emma
  nicole helen samantha katherine christine debra rachel carolyn janet catherine maria heather
  diane julie olivia joyce victoria kelly christina lauren joan evelyn judith megan cheryl andrea
  hannah martha jacqueline gloria teresa ann anne sara madison kathryn janice jean abigail alice
  judy sophia denise marilyn beverly charlotte theresa diana natalie brittany doris kayla alexis
  lori jane ellen elena carmen rosa ana lucia sofia isabella mia ava chloe zoe leah irene norma
  edna ethel gladys mildred lucy tina wendy yolanda kate katie jenny liz beth becky debbie cathy
  james robert john michael david william richard joseph thomas charles christopher daniel
  matthew anthony donald steven paul andrew joshua kenneth kevin brian george timothy ronald
  edward jason jeffrey ryan jacob gary nicholas eric jonathan stephen larry justin scott brandon
  benjamin samuel gregory alexander patrick raymond dennis jerry tyler aaron jose adam nathan
  henry douglas zachary peter kyle noah ethan jeremy walter keith roger terry austin sean gerald
  carl harold dylan arthur lawrence jesse bryan billy bruce gabriel joe logan alan juan albert
  willie elijah wayne randy vincent liam roy ralph eugene russell bobby philip johnny howard
  carlos luis miguel jorge pedro manuel ahmed mohammed omar priya anil tom jim mike dave steve
  chris dan matt tony nick sam ben alex fatima aisha mei wei
`);

/** Words that follow "patient" or a name but are not names. */
export const NOT_NAMES = list(`
  portal portals room rooms check checkin checked chart charts record records info information
  data list lists care services service access experience intake registration name names safety
  advocate financial accounts account billing forms form queue side facing support relations
  flow tracker board engagement id number no num is was has had needs need called calls call
  said says asked asks wants came left arrived in on at the a an and or to from with of for who
  that this will can could should would just still already again today tomorrow yesterday
  monday tuesday wednesday thursday friday saturday sunday january february march april may june
  july august september october november december sign signs login log logs phone phones app
  apps ehr emr satisfaction survey education materials files file documents count volume load
  schedule scheduling appointments appointment visits visit waiting wait lobby line rep reps
  coordinator coordinators got get gets is isn't wasn't did does do doesn't didn't went goes
  here there it its it's he she they we you i me my our their her his your be been being are
  were not cant can't wont won't please pls thanks thank ok okay yes no one two three four
  five six seven eight nine ten first last next new old every each all some any many more most
  other another same different side portal message messages note notes mfa authenticator
  microsoft teams outlook windows epic cerner athena office desk front back lab labs
  called says said told asked keeps kept cannot doesnt didnt wasnt isnt dob mrn ssn navigator
  navigators liaison transport scheduler schedulers representative representatives department
  dept office clinic team teams staff unit floor wing area station nurse nurses doctor secret
  certificate software computer machine device devices credentials settings update version
`);

/** Titles of staff: the name that follows is a colleague, not a patient. */
export const STAFF_TITLES = list(`
  dr doctor nurse rn lpn np pa ma md provider tech technician receptionist manager admin
  coworker colleague supervisor physician therapist pharmacist
`);

/** Words that put a name or a date in a clinical or billing setting. */
export const CLINICAL = list(`
  appointment appointments appt appts fever pain insulin meds med medication medications
  medicine prescription prescriptions rx refill refills labs lab results diagnosis dx allergy
  allergies allergic penicillin surgery surgical bed admitted admission discharged discharge
  biopsy mri ct xray x-ray ultrasound bp blood glucose vitals symptoms symptom pregnant prenatal
  vaccine vaccination shot dose mg chemo dialysis insurance medicaid medicare copay claim claims
  eob deductible referral follow-up followup condition infection covid flu diabetes diabetic
  asthma cancer injury wound stitches fracture therapy checkup screening mammogram colonoscopy
  ekg ecg injection iv er icu diagnosed prescribed chest treatment treated hospice oncology
  cardiology pediatrics dermatology psych psychiatric hiv std pregnancy miscarriage overdose
  rash cough nausea vomiting dizzy seizure stroke heart kidney liver
`);

/** Words about patients in general. */
export const PATIENT_WORDS = list('patient pt pt. resident client');

/** Nouns after a number that make it a count, not a code. */
export const COUNT_NOUNS = list(`
  day days hour hours hr hrs minute minutes min mins second seconds sec secs week weeks month
  months year years people patients users staff employees times dollars usd messages emails texts
  notifications prompts steps records rows bytes kb mb gb miles calls tickets devices phones
`);

/** Words right before a number that make it an extension, a phone or a place, not a code. */
export const REFERENCE_WORDS = list(`
  ext extension x room suite ste version ver v fax phone tel cell mobile call ph zip
`);

/** Words a little before a number ("employee id is 204518") that make it someone's reference. */
export const ID_NOUNS = list(`
  ticket tickets case incident inc ref reference build order po invoice npi badge employee emp
  staff error errors aadsts zip
`);

/** Words that say a nearby number is what the phone showed. */
export const CODE_WORDS = list('code codes otp says shows showing said showed is:');
