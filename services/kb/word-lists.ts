/** Word lists the matcher uses. Tokens are as `tokenize` returns them. */

/** Words that carry no meaning for search. Intent rules still see them. */
export const STOPWORDS: ReadonlySet<string> = new Set(
  (
    'a an the i im ive id me my mine myself we us our you your u it its is are was were be been ' +
    'being am do does did doing done to of in on at for from by with and or but so if this that ' +
    'these those there here what whats which who whom how when where can could would should will ' +
    'shall may might must just also please pls plz thanks thank ok okay about into than then as ' +
    'like some any all up out get got gets getting have has had having want wanted now again ' +
    'very really they them their he she her his him one thing things stuff anymore even yet ' +
    'no not dont doesnt didnt cant cannot wont isnt arent wasnt havent hasnt never nothing ' +
    'still other another keep keeps kept let lets tell told say says said ask asks asking asked ' +
    'try tried trying know make makes sure today else anything something everything go goes ' +
    'going gonna next week weeks month months year tomorrow yesterday tonight soon minute ' +
    'minutes hour hours happen happens happened someday ever monday tuesday ' +
    'wednesday thursday friday saturday sunday weekend deadline enough actually maybe ' +
    'press click clicking clicked select choose hit against around during while until since ' +
    'because easy easier easiest better simple simpler hard harder best only able see really ' +
    'both nurse nurses doctor doctors physician physicians md np biller billers billing ' +
    'receptionist staff employee employees later day days hello hi hey'
  ).split(' '),
);

/**
 * Words that help rank articles but say too little on their own: a question made only of these
 * ("it's not working") is not understood as any particular problem.
 */
export const WEAK_WORDS: ReadonlySet<string> = new Set(['notworking', 'notreceived']);

/** Words in nearly every question; they count for less than words naming the problem. */
export const GENERIC_WORDS: ReadonlySet<string> = new Set(
  'mfa authenticator microsoft ms app apps application account accounts phone signin work use'.split(
    ' ',
  ),
);

/**
 * Other office topics staff bring to any bot (printers, payroll, bookings). A question that
 * mentions one and only half-matches an article is not taken as a sign-in problem.
 */
export const OFF_TOPIC: ReadonlySet<string> = new Set(
  (
    'printer printers print printing toner fax faxes faxing payroll paycheck paystub salary pto ' +
    'timesheet timecard appointment appointments book booking reschedule schedule gloves ' +
    'supplies parking lunch coffee ehr emr referral prescription prescriptions insurance claim ' +
    'claims invoice copay patientportal wifipassword timeoff'
  ).split(' '),
);
