import { createPublicKey, verify, type JsonWebKey, type KeyObject } from 'node:crypto';
import { z } from 'zod';

/**
 * Checks the one kind of token production accepts on /api/messages: a Bot Framework channel
 * token. botbuilder also takes tokens it believes come from the Bot Framework Emulator or from
 * another bot (any Entra tenant named inside the unverified token becomes a trusted issuer, with
 * no audience or serviceUrl binding), and prints a stack trace for each token it refuses; this
 * check has neither behaviour. Every refusal carries a short machine-readable reason.
 */

export type TokenRefusalReason =
  | 'no-token'
  | 'malformed-token'
  | 'not-channel-issuer'
  | 'algorithm'
  | 'unknown-key'
  | 'bad-signature'
  | 'wrong-audience'
  | 'no-expiry'
  | 'expired'
  | 'not-yet-valid'
  | 'key-not-endorsed'
  | 'serviceurl-mismatch';

/** A token this bot does not accept, and why. */
export class TokenRefusal extends Error {
  constructor(
    readonly reason: TokenRefusalReason,
    /** The unverified claims, when the token could be read (for the audit record). */
    readonly claims?: Readonly<Record<string, unknown>>,
  ) {
    super(reason);
    this.name = 'TokenRefusal';
  }
}

/** The channel's signing keys could not be fetched: the bot's problem, not the caller's. */
export class SigningKeysUnavailable extends Error {
  constructor(cause: unknown) {
    super(`Bot Framework signing keys unavailable: ${(cause as Error)?.message ?? String(cause)}`);
    this.name = 'SigningKeysUnavailable';
  }
}

export interface ChannelTokenSettings {
  /** The bot's app id: the only audience accepted. */
  appId: string;
  /** ToBotFromChannelTokenIssuer (https://api.botframework.com in the public cloud). */
  issuer: string;
  /** ToBotFromChannelOpenIdMetadataUrl: where the channel's signing keys are published. */
  metadataUrl: string;
  now?: () => number;
}

/** Bot Framework's allowance for clocks that disagree (botbuilder uses the same). */
const SKEW_SECONDS = 300;
const HASH_BY_ALG = new Map([
  ['RS256', 'sha256'],
  ['RS384', 'sha384'],
  ['RS512', 'sha512'],
]);

const Header = z.object({ alg: z.string(), kid: z.string().optional() });
const Claims = z.record(z.string(), z.unknown());

export class ChannelTokenVerifier {
  private readonly keys: SigningKeys;
  private readonly now: () => number;

  constructor(private readonly settings: ChannelTokenSettings) {
    this.now = settings.now ?? Date.now;
    this.keys = new SigningKeys(settings.metadataUrl, this.now);
  }

  /**
   * The verified claims of the Authorization header for this activity. Throws TokenRefusal,
   * or SigningKeysUnavailable when no key could be fetched at all.
   */
  async verify(
    authorization: string,
    activity: { channelId?: string; serviceUrl?: string },
  ): Promise<Record<string, unknown>> {
    const token = /^Bearer ([^\s]+)$/.exec(authorization)?.[1];
    if (!token) throw new TokenRefusal('no-token');
    const parts = token.split('.');
    const header = Header.safeParse(decodePart(parts[0]));
    const parsed = Claims.safeParse(decodePart(parts[1]));
    if (parts.length !== 3 || !header.success || !parsed.success) {
      throw new TokenRefusal('malformed-token');
    }
    const claims = parsed.data;
    const refuse = (reason: TokenRefusalReason) => new TokenRefusal(reason, claims);

    // Decided on the unverified token, before any key lookup: only the channel's issuer counts.
    if (claims.iss !== this.settings.issuer) throw refuse('not-channel-issuer');
    const hash = HASH_BY_ALG.get(header.data.alg);
    if (!hash) throw refuse('algorithm');
    const key = header.data.kid ? await this.keys.find(header.data.kid) : undefined;
    if (!key) throw refuse('unknown-key');
    if (!signatureHolds(hash, `${parts[0]}.${parts[1]}`, parts[2] ?? '', key.key)) {
      throw refuse('bad-signature');
    }

    if (claims.aud !== this.settings.appId) throw refuse('wrong-audience');
    const now = Math.floor(this.now() / 1000);
    if (typeof claims.exp !== 'number') throw refuse('no-expiry');
    if (now > claims.exp + SKEW_SECONDS) throw refuse('expired');
    if (typeof claims.nbf === 'number' && now < claims.nbf - SKEW_SECONDS) {
      throw refuse('not-yet-valid');
    }
    // A key the channel published for some channels only signs tokens for those channels.
    if (key.endorsements.length && !key.endorsements.includes(activity.channelId ?? '')) {
      throw refuse('key-not-endorsed');
    }
    // Bot Framework names where replies go; a token for one serviceUrl vouches for no other.
    if (!activity.serviceUrl || claims.serviceurl !== activity.serviceUrl) {
      throw refuse('serviceurl-mismatch');
    }
    return claims;
  }
}

function signatureHolds(hash: string, input: string, signature: string, key: KeyObject): boolean {
  try {
    return verify(hash, Buffer.from(input), key, Buffer.from(signature, 'base64url'));
  } catch {
    return false;
  }
}

function decodePart(part: string | undefined): unknown {
  if (!part) return undefined;
  try {
    return JSON.parse(Buffer.from(part, 'base64url').toString('utf8')) as unknown;
  } catch {
    return undefined;
  }
}

interface SigningKey {
  key: KeyObject;
  endorsements: string[];
}

const Metadata = z.object({ jwks_uri: z.string().url() });
const KeySet = z.object({
  keys: z.array(
    z
      .object({
        kid: z.string(),
        kty: z.string(),
        n: z.string().optional(),
        e: z.string().optional(),
        endorsements: z.array(z.string()).optional(),
      })
      .passthrough(),
  ),
});

/** Keys refresh daily, as botbuilder's do. */
const REFRESH_MS = 24 * 60 * 60_000;
/** Sooner for a key id not seen yet (a key roll), but not on every forged token. */
const RETRY_MS = 5 * 60_000;
const FETCH_TIMEOUT_MS = 10_000;

/** The channel's published signing keys, fetched on first use and refreshed as they roll. */
class SigningKeys {
  private keys = new Map<string, SigningKey>();
  private fetchedAt = 0;
  private triedAt = 0;
  private refreshing: Promise<void> | undefined;

  constructor(
    private readonly metadataUrl: string,
    private readonly now: () => number,
  ) {}

  async find(kid: string): Promise<SigningKey | undefined> {
    const now = this.now();
    const due = now - this.fetchedAt > REFRESH_MS || !this.keys.has(kid);
    // With no keys at all every request tries again; otherwise at most every few minutes.
    if (due && (!this.keys.size || now - this.triedAt > RETRY_MS)) await this.refresh();
    return this.keys.get(kid);
  }

  /** One fetch at a time; a failed fetch keeps the keys already known. */
  private refresh(): Promise<void> {
    this.triedAt = this.now();
    this.refreshing ??= this.fetchKeys()
      .then(
        (keys) => {
          this.keys = keys;
          this.fetchedAt = this.now();
        },
        (err: unknown) => {
          if (!this.keys.size) throw new SigningKeysUnavailable(err);
        },
      )
      .finally(() => {
        this.refreshing = undefined;
      });
    return this.refreshing;
  }

  private async fetchKeys(): Promise<Map<string, SigningKey>> {
    const metadata = Metadata.parse(await getJson(this.metadataUrl));
    const { keys } = KeySet.parse(await getJson(metadata.jwks_uri));
    const usable = new Map<string, SigningKey>();
    for (const jwk of keys) {
      if (jwk.kty !== 'RSA' || !jwk.n || !jwk.e) continue;
      const key = createPublicKey({
        key: { kty: 'RSA', n: jwk.n, e: jwk.e } as JsonWebKey,
        format: 'jwk',
      });
      usable.set(jwk.kid, { key, endorsements: jwk.endorsements ?? [] });
    }
    return usable;
  }
}

async function getJson(url: string): Promise<unknown> {
  const res = await fetch(url, { signal: AbortSignal.timeout(FETCH_TIMEOUT_MS) });
  if (!res.ok) throw new Error(`${url} answered ${res.status}`);
  return res.json();
}
