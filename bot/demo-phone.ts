import { PHONE_ACTIONS, type PhoneAction } from '../services/teams-sim/phones';
import { callDemo, report, type DemoIo } from './demo-control';

export const PHONE_USAGE = `mfa-bot demo phone <person> ${PHONE_ACTIONS.join('|')}

Plays a demo person's phone while they set up Microsoft Authenticator:
  register   the phone scans the QR code at aka.ms/mysecurityinfo; Microsoft 365 then sends it
             a test notification
  approve    approves that notification: Authenticator is now on their account
  deny       denies it: setup does not finish and nothing is added
  lose       the phone is lost; Authenticator stays on the account until IT removes it

<person> is a sign-in name (nora.nguyen@riverbendfm.example), its first part (nora.nguyen) or a
first name when only one person has it (nora).`;

/** `mfa-bot demo phone <person> register|approve|deny|lose` */
export async function runPhoneCommand(
  args: readonly string[],
  io: DemoIo,
  env: NodeJS.ProcessEnv,
): Promise<number> {
  const [who, action] = args;
  if (!who || !action || !PHONE_ACTIONS.includes(action as PhoneAction) || args.length > 2) {
    io.err.write(`${PHONE_USAGE}\n`);
    return 2;
  }
  const answer = await callDemo(env, 'POST', `people/${encodeURIComponent(who)}/phone`, {
    action,
  });
  return report(answer, io);
}
