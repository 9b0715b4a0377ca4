import { createPublicKey, type KeyObject } from 'node:crypto';
import tls from 'node:tls';
import { Agent, fetch } from 'undici';
import { z } from 'zod';
import type { Clock } from '../clock';
import { HOUR, MINUTE } from '../clock';

/**
 * The tenant's token signing keys, as Entra publishes them: the OpenID configuration of
 * `{authority}/{tenant}/v2.0` names the issuer and the key set. Keys are kept for a day; a token
 * signed with a key id we do not know makes us look again (Entra rolls keys), but at most every
 * five minutes, so a stream of forged key ids cannot make us hammer the login host.
 */

const Metadata = z.object({ issuer: z.string().url(), jwks_uri: z.string().url() }).loose();
const Jwk = z
  .object({
    kty: z.literal('RSA'),
    kid: z.string().min(1),
    n: z.string().min(1),
    e: z.string().min(1),
    use: z.string().optional(),
  })
  .loose();
const Jwks = z.object({ keys: z.array(z.unknown()) });

const KEYS_TTL_MS = 24 * HOUR;
const REFETCH_AFTER_MS = 5 * MINUTE;

export interface SigningKeysOptions {
  /** https://login.microsoftonline.com, or a national cloud's (or a local stand-in's) login host. */
  authorityHost: string;
  tenantId: string;
  clock: Clock;
  /** A CA trusted for these requests only (a private cloud, or the local stand-in in tests). */
  caPem?: string;
  timeoutMs?: number;
}

interface KeySet {
  issuer: string;
  keys: Map<string, KeyObject>;
  at: number;
}

export class SigningKeys {
  private current: KeySet | undefined;
  private loading: Promise<KeySet> | undefined;
  private readonly dispatcher: Agent | undefined;

  constructor(private readonly options: SigningKeysOptions) {
    this.dispatcher = options.caPem
      ? new Agent({ connect: { ca: [...tls.rootCertificates, options.caPem] } })
      : undefined;
  }

  get metadataUrl(): string {
    const host = this.options.authorityHost.replace(/\/+$/, '');
    return `${host}/${encodeURIComponent(this.options.tenantId)}/v2.0/.well-known/openid-configuration`;
  }

  /** The v2 issuer the tenant's metadata names. */
  async issuer(): Promise<string> {
    return (await this.keySet(false)).issuer;
  }

  /** The key for a key id; undefined when the tenant does not publish it (even after looking again). */
  async key(kid: string): Promise<KeyObject | undefined> {
    const set = await this.keySet(false);
    const known = set.keys.get(kid);
    if (known) return known;
    if (this.options.clock.now().getTime() - set.at < REFETCH_AFTER_MS) return undefined;
    return (await this.keySet(true)).keys.get(kid);
  }

  private async keySet(again: boolean): Promise<KeySet> {
    const now = this.options.clock.now().getTime();
    if (!again && this.current && now - this.current.at < KEYS_TTL_MS) return this.current;
    this.loading ??= this.load().finally(() => {
      this.loading = undefined;
    });
    return this.loading;
  }

  private async load(): Promise<KeySet> {
    const metadata = Metadata.parse(await this.getJson(this.metadataUrl));
    const jwks = Jwks.parse(await this.getJson(metadata.jwks_uri));
    const keys = new Map<string, KeyObject>();
    for (const entry of jwks.keys) {
      const jwk = Jwk.safeParse(entry);
      if (!jwk.success || (jwk.data.use && jwk.data.use !== 'sig')) continue;
      const { kty, n, e } = jwk.data;
      keys.set(jwk.data.kid, createPublicKey({ key: { kty, n, e }, format: 'jwk' }));
    }
    this.current = { issuer: metadata.issuer, keys, at: this.options.clock.now().getTime() };
    return this.current;
  }

  private async getJson(url: string): Promise<unknown> {
    if (!url.startsWith('https://'))
      throw new Error(`refusing to fetch signing keys over plain HTTP: ${url}`);
    const res = await fetch(url, {
      dispatcher: this.dispatcher,
      signal: AbortSignal.timeout(this.options.timeoutMs ?? 10_000),
      headers: { accept: 'application/json' },
    });
    if (!res.ok) throw new Error(`signing keys: ${url} answered ${res.status}`);
    return res.json();
  }
}
