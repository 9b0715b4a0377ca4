import { z } from 'zod';
import { expandCard } from '../../cards/render';
import { VERBS } from '../../cards/verbs';
import type { AuthMethod } from '../../services/directory/types';
import type { ActionDef } from '../actions';

const KIND_LABELS: Record<string, string> = {
  microsoftAuthenticatorAuthenticationMethod: 'Microsoft Authenticator',
  phoneAuthenticationMethod: 'Text or call',
  fido2AuthenticationMethod: 'Security key',
  hardwareOathAuthenticationMethod: 'Hardware token',
  softwareOathAuthenticationMethod: 'Code app',
  windowsHelloForBusinessAuthenticationMethod: 'Windows Hello',
  temporaryAccessPassAuthenticationMethod: 'Temporary Access Pass',
  emailAuthenticationMethod: 'Email (password reset only)',
  platformCredentialAuthenticationMethod: 'Platform credential',
};

/** Sign-in methods that count as a second factor for people (the password does not). */
function secondFactors(methods: AuthMethod[]): AuthMethod[] {
  return methods.filter((m) => m.kind !== 'passwordAuthenticationMethod' && KIND_LABELS[m.kind]);
}

/** "My status": the caller's live methods from the directory, in plain words. */
export const myStatusAction: ActionDef = {
  verb: VERBS.myStatus,
  schema: z.object({}).loose(),
  async run(ctx) {
    const methods = secondFactors(await ctx.services.directory.authMethods(ctx.caller.aadObjectId));
    const hasAuthenticator = methods.some((m) => m.kind === 'microsoftAuthenticatorAuthenticationMethod');
    const onlyPhone = methods.length > 0 && methods.every((m) => m.kind === 'phoneAuthenticationMethod');
    let headline: string;
    let advice = '';
    if (hasAuthenticator) {
      headline = "You're set up with Microsoft Authenticator. Thank you!";
      if (methods.length === 1) advice = 'Tip: add a second method (like your mobile number) as a backup in case you change phones.';
    } else if (onlyPhone) {
      headline = 'You can sign in with text or call codes, but not with Authenticator yet.';
      advice = 'Text codes can be stolen by moving your number to another SIM. Authenticator is safer and quicker: it takes about five minutes.';
    } else if (methods.length > 0) {
      headline = 'You have a second sign-in method, but not Authenticator yet.';
      advice = 'Authenticator is the practice standard. Setting it up takes about five minutes.';
    } else {
      headline = "You haven't set up a second sign-in method yet.";
      advice = 'It takes about five minutes with your phone. I will walk you through it.';
    }
    return expandCard('status', {
      headline,
      advice,
      hasAuthenticator,
      methods: methods.map((m) => ({ kind: KIND_LABELS[m.kind] ?? m.kind, label: m.label })),
    });
  },
};
