import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

/**
 * The audit key seals every audit record (HMAC-SHA256). It never lives in the database: someone who
 * can rewrite the database but does not hold the key cannot forge a record that verifies.
 * Production takes it from AUDIT_KEY (an App Service setting or Key Vault reference). The demo
 * keeps one in a file beside the database, created on first run, so `npm start` works on a fresh
 * machine with nothing to set up.
 */

export const AUDIT_KEY_MIN_LENGTH = 32;
export const DEMO_KEY_FILE = 'audit.key';

export const AUDIT_KEY_HINT = `at least ${AUDIT_KEY_MIN_LENGTH} random characters, e.g. from \`openssl rand -base64 32\``;

/** Why a key cannot be used, or undefined when it can. */
export function auditKeyProblem(key: string): string | undefined {
  return key.trim().length < AUDIT_KEY_MIN_LENGTH ? `must be ${AUDIT_KEY_HINT}` : undefined;
}

/** The demo's key from DATA_DIR/audit.key, created (readable by this user only) if there is none. */
export function demoAuditKey(dataDir: string): string {
  const file = path.join(dataDir, DEMO_KEY_FILE);
  const existing = readKeyFile(file);
  if (existing) return existing;
  fs.mkdirSync(dataDir, { recursive: true });
  const key = randomBytes(32).toString('base64url');
  try {
    fs.writeFileSync(file, `${key}\n`, { mode: 0o600, flag: 'wx' });
    return key;
  } catch (err) {
    // Another process created it first: use theirs, so both seal with the same key.
    if ((err as NodeJS.ErrnoException).code === 'EEXIST') return readKeyFile(file) as string;
    throw err;
  }
}

/**
 * The key `audit verify` checks with: AUDIT_KEY, else the demo's key file. Never creates one: a
 * new key would only make every record look forged.
 */
export function existingAuditKey(env: NodeJS.ProcessEnv, dataDir: string): string | undefined {
  const fromEnv = env.AUDIT_KEY?.trim();
  if (fromEnv) return fromEnv;
  return readKeyFile(path.join(dataDir, DEMO_KEY_FILE));
}

/** The key in a file, or undefined when there is no file. An empty file is an error, not "no key". */
function readKeyFile(file: string): string | undefined {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw err;
  }
  const key = text.trim();
  if (!key) throw new Error(`the audit key file ${file} is empty`);
  return key;
}
