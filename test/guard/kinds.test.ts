import assert from 'node:assert/strict';
import { screenText, type SensitiveKind } from '../../services/guard/guard';

function kindsOf(text: string): SensitiveKind[] {
  const result = screenText(text);
  return result.verdict === 'sensitive' ? result.kinds : [];
}

function stops(kind: SensitiveKind, texts: readonly string[]): void {
  for (const text of texts) assert.ok(kindsOf(text).includes(kind), `no ${kind} in: ${text}`);
}

function lets(texts: readonly string[]): void {
  for (const text of texts) assert.deepEqual(kindsOf(text), [], `stopped: ${text}`);
}

describe('guard: one kind at a time', () => {
  it('stops sign-in codes, whole, split or spaced out', () => {
    stops('one-time-code', [
      'my code is 123 456',
      'code: 48291037',
      '482913',
      'the code is 4829-1037',
      'otp:482913',
      'authenticator code 55 12 98',
      "it's 7 3 9 2 0 4",
      'the code for ticket 17 is 482913',
    ]);
  });

  it('lets through the numbers staff type about sign-in', () => {
    lets([
      'it shows 42',
      'the number is 87',
      'it shows 21 45 87 which one',
      'ticket MFA-0042',
      'ticket 17',
      'ticket no. 482913',
      'my employee number is 204518',
      'ext 4412',
      'call me at x2231',
      '555-201-4412',
      '(555) 201-4412',
      '555 201 4412',
      'the text came from 555-0134',
      'at 10:30',
      '7am',
      'exam room 3',
      'room 12',
      'since 2024',
      'version 6.8.14',
      'Version 6.2409.6401 of the app',
      '3 days',
      '50 people',
      'iOS 17.4',
      'on 3/14',
      'the bill was $125,000',
      'error code 50074',
    ]);
  });

  it('stops Temporary Access Passes when called a pass or a code', () => {
    stops('temporary-access-pass', [
      'IT gave me the temporary access pass Xk7#pQ2m! where do I type it',
      'TAP: Zx4@mQ8r!',
      'temp pass = Xk7pQ2mR',
      'Here is my code Wq3#Lk8vZ',
    ]);
    lets(['what is a temporary access pass', 'my TAP expired', 'the QR code wont scan']);
  });

  it('stops passwords, named or shaped like one', () => {
    stops('password', [
      'my password is Summer2024!',
      'pw: Bl4ckC0ffee',
      'pwd Tr0ub4dor&3',
      'passcode is Rosie#1998',
      'my pasword is Redsox2004',
      "password is 'fluffy'",
      'my pin is 4829',
      'i reset it to Clinic#2025',
    ]);
    lets([
      'my password expired',
      'my password is not working',
      'password: forgot it lol',
      'password reset for nurse3@clinic.org please',
      'my PIN is 6 digits right?',
      'my email is JSmith2@clinic.org',
      'https://mysignins.microsoft.com/security-info?tenant=ab12Cd$9',
    ]);
  });

  it('stops record numbers and patient ids', () => {
    stops('patient-identifier', [
      'MRN 00482913',
      'mrn:4829133',
      'chart # 123456',
      'patient id 88231',
      'Medical Record Number: A0093381',
    ]);
    lets(['the patient portal is down', 'we see about 40 patients a day', 'chart before 5pm']);
  });

  it('stops Social Security numbers', () => {
    stops('ssn', [
      '123-45-6789',
      'ssn 123456789',
      'social security 123 45 6789',
      'last 4 of my SSN 1234',
    ]);
    lets(['social media 2024', 'zip 90210']);
  });

  it('stops dates of birth next to a label, a patient or a name', () => {
    stops('date-of-birth', [
      'John Smith DOB 03/14/1962',
      'dob 3-14-62',
      'born 1962-03-14 pt jane',
      'birthday march 3 1990 for mrs garcia',
      'date of birth 1955',
    ]);
    lets(['on 3/14', 'we rolled out on 01/15/2025', 'was born in 1962, not good with tech']);
  });

  it('stops Luhn-valid card numbers only', () => {
    stops('payment-card', [
      '4111 1111 1111 1111',
      '5500-0000-0000-0004',
      '378282246310005',
      '6011 1111 1111 1117',
    ]);
    lets(['4111 1111 1111 1112', 'case 2510070040012345']);
  });

  it('stops patients named in a clinical setting, not colleagues', () => {
    stops('patient-identifier', [
      'patient Mary Jones in room 4 needs her meds',
      'pt James Walker is waiting on his lab results',
      'Mrs. Alvarez in bed 2 is allergic to penicillin',
      "can you move Dorothy Nguyen's appointment to friday, she has a fever",
    ]);
    lets([
      'Sarah from billing says hi',
      'Tell Mary Smith her phone is ready',
      "Dr. Sarah Kim can't approve the prompt during surgery",
      'Patient Access Services wants a training session',
    ]);
  });
});
