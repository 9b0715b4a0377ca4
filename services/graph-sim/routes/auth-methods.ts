import { z } from 'zod';
import {
  badRequest,
  metadata,
  notFound,
  parseBody,
  requireUser,
  sendEmpty,
  sendJson,
  type SimContext,
} from '../http';
import { queryOptions } from '../odata';
import type { Router } from '../router';
import { authenticatorJson, authMethodsJson, defaultMethod, tapJson } from '../views';

/** /users/{id}/authentication/...: method lists, Authenticator removal, Temporary Access Pass. */

const BASE = '/v1.0/users/:id/authentication';

const TapBody = z
  .object({
    '@odata.type': z.string().optional(),
    startDateTime: z.iso.datetime({ offset: true }).optional(),
    lifetimeInMinutes: z.number().int().optional(),
    isUsableOnce: z.boolean().optional(),
  })
  .strict();

function context(ctx: SimContext, collectionName: string, entity = false): string {
  const id = ctx.params.id!;
  const suffix = entity ? '/$entity' : '';
  return metadata(ctx, `users('${id}')/authentication/${collectionName}${suffix}`);
}

const PreferencesPatch = z
  .object({
    userPreferredMethodForSecondaryAuthentication: z
      .enum(['push', 'oath', 'voiceMobile', 'voiceAlternateMobile', 'voiceOffice', 'sms'])
      .optional(),
    isSystemPreferredAuthenticationMethodEnabled: z.boolean().optional(),
  })
  .strict();

export function registerAuthMethods(router: Router): void {
  // The default method (beta: signInPreferences).
  router.on('GET', '/beta/users/:id/authentication/signInPreferences', (ctx) => {
    const user = requireUser(ctx);
    sendJson(ctx, 200, {
      '@odata.context': `${ctx.baseUrl}/beta/$metadata#users('${user.id}')/authentication/signInPreferences`,
      isSystemPreferredAuthenticationMethodEnabled: false,
      userPreferredMethodForSecondaryAuthentication: defaultMethod(user),
      systemPreferredAuthenticationMethod: null,
    });
  });
  router.on('PATCH', '/beta/users/:id/authentication/signInPreferences', (ctx) => {
    const user = requireUser(ctx);
    const patch = parseBody(ctx, PreferencesPatch);
    const value = patch.userPreferredMethodForSecondaryAuthentication;
    if (value && !ctx.state.setPreferredMethod(user, value)) {
      throw badRequest(`The user has no method registered for '${value}'.`, 'badRequest');
    }
    sendEmpty(ctx, 204);
  });

  router.on('GET', `${BASE}/methods`, (ctx) => {
    queryOptions(ctx, []);
    const user = requireUser(ctx);
    const value = authMethodsJson(user, ctx.state.now());
    sendJson(ctx, 200, { '@odata.context': context(ctx, 'methods'), value });
  });

  router.on('GET', `${BASE}/microsoftAuthenticatorMethods`, (ctx) => {
    queryOptions(ctx, []);
    const user = requireUser(ctx);
    const value = user.methods
      .filter((m) => m.kind === 'microsoftAuthenticatorPush')
      .map(authenticatorJson);
    sendJson(ctx, 200, { '@odata.context': context(ctx, 'microsoftAuthenticatorMethods'), value });
  });

  router.on('GET', `${BASE}/microsoftAuthenticatorMethods/:methodId`, (ctx) => {
    const user = requireUser(ctx);
    const id = ctx.params.methodId!.toLowerCase();
    const method = user.methods.find(
      (m) => m.kind === 'microsoftAuthenticatorPush' && m.id.toLowerCase() === id,
    );
    if (!method) throw notFound(ctx.params.methodId!);
    sendJson(ctx, 200, {
      '@odata.context': context(ctx, 'microsoftAuthenticatorMethods', true),
      ...authenticatorJson(method),
    });
  });

  router.on('DELETE', `${BASE}/microsoftAuthenticatorMethods/:methodId`, (ctx) => {
    const user = requireUser(ctx);
    const methodId = ctx.params.methodId!;
    if (ctx.state.blocksDefaultRemoval(user, methodId)) {
      throw badRequest(
        'Cannot delete default method with other methods configured. Change the default method and try again.',
        'badRequest',
      );
    }
    if (!ctx.state.removeMethod(user, methodId, 'microsoftAuthenticatorPush')) {
      throw notFound(methodId);
    }
    sendEmpty(ctx, 204);
  });

  router.on('GET', `${BASE}/temporaryAccessPassMethods`, (ctx) => {
    queryOptions(ctx, []);
    const user = requireUser(ctx);
    const value = user.tap
      ? [tapJson(user.tap, ctx.state.now(), null, ctx.state.tapInPolicy(user))]
      : [];
    sendJson(ctx, 200, { '@odata.context': context(ctx, 'temporaryAccessPassMethods'), value });
  });

  router.on('GET', `${BASE}/temporaryAccessPassMethods/:methodId`, (ctx) => {
    const user = requireUser(ctx);
    if (!user.tap || user.tap.id !== ctx.params.methodId!.toLowerCase()) {
      throw notFound(ctx.params.methodId!);
    }
    sendJson(ctx, 200, {
      '@odata.context': context(ctx, 'temporaryAccessPassMethods', true),
      ...tapJson(user.tap, ctx.state.now(), null, ctx.state.tapInPolicy(user)),
    });
  });

  router.on('DELETE', `${BASE}/temporaryAccessPassMethods/:methodId`, (ctx) => {
    const user = requireUser(ctx);
    if (!ctx.state.deleteTap(user, ctx.params.methodId!)) throw notFound(ctx.params.methodId!);
    sendEmpty(ctx, 204);
  });

  router.on('POST', `${BASE}/temporaryAccessPassMethods`, (ctx) => {
    const user = requireUser(ctx);
    const body = parseBody(ctx, TapBody);
    const policy = ctx.state.tapPolicy;
    const lifetime = body.lifetimeInMinutes ?? policy.defaultLifetimeInMinutes;
    if (lifetime < policy.minLifetimeInMinutes || lifetime > policy.maxLifetimeInMinutes) {
      throw badRequest(
        `The lifetimeInMinutes must be between ${policy.minLifetimeInMinutes} and ` +
          `${policy.maxLifetimeInMinutes} as set by the Temporary Access Pass policy.`,
        'badRequest',
      );
    }
    const now = ctx.state.now();
    const start = body.startDateTime ? new Date(body.startDateTime) : now;
    const { tap, code } = ctx.state.createTap(user, {
      startDateTime: start.toISOString(),
      lifetimeInMinutes: lifetime,
      isUsableOnce: body.isUsableOnce ?? policy.defaultIsUsableOnce,
    });
    sendJson(ctx, 201, {
      '@odata.context': context(ctx, 'temporaryAccessPassMethods', true),
      ...tapJson(tap, now, code, ctx.state.tapInPolicy(user)),
    });
  });
}
