import { z } from 'zod';
import { expandCard } from '../../cards/render';
import { VERBS } from '../../cards/verbs';
import {
  AUTHENTICATOR_KIND,
  describeMethod,
  isSecondFactor,
  PASS_KIND,
  PHONE_KIND,
} from '../../services/directory/method-names';
import type { AuthMethod, Directory } from '../../services/directory/types';
import type { ActionDef } from '../actions';

/** Sign-in methods a person keeps as a second factor (not the password, not a setup pass). */
function secondFactors(methods: AuthMethod[]): AuthMethod[] {
  return methods.filter(isSecondFactor);
}

/** "My status": the caller's live methods from the directory, in plain words. */
export function myStatusActions(deps: { directory: Directory }): ActionDef[] {
  const mine: ActionDef = {
    verb: VERBS.myStatus,
    schema: z.object({}).loose(),
    async run(ctx) {
      const all = await deps.directory.authMethods(ctx.caller.aadObjectId);
      const methods = secondFactors(all);
      const pass = all.some((m) => m.kind === PASS_KIND);
      const hasAuthenticator = methods.some((m) => m.kind === AUTHENTICATOR_KIND);
      const onlyPhone = methods.length > 0 && methods.every((m) => m.kind === PHONE_KIND);
      let headline: string;
      let advice = '';
      if (hasAuthenticator) {
        headline = "You're set up with Microsoft Authenticator. Thank you!";
        if (methods.length === 1)
          advice =
            'Tip: add a second method (like your mobile number) as a backup in case you change phones.';
      } else if (onlyPhone) {
        headline = 'You can sign in with text or call codes, but not with Authenticator yet.';
        advice =
          'Text codes can be stolen by moving your number to another SIM. Authenticator is safer and quicker: it takes about five minutes.';
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
        methods: methods.map((m) => {
          const { name, detail } = describeMethod(m);
          return { kind: name, label: detail || 'set up' };
        }),
        passNote: pass
          ? 'You also have a Temporary Access Pass from IT. It is short-term and only for setting up Authenticator, not a way you keep signing in.'
          : '',
      });
    },
  };
  return [mine];
}
