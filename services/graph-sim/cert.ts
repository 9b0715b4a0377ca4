import { createPrivateKey, X509Certificate } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { generate } from 'selfsigned';
import type { Logger } from '../logger';

/**
 * The stand-in's TLS certificate: self-signed for localhost and 127.0.0.1, kept in the data
 * directory and reused while valid, so a bot started later can keep trusting the same file.
 */

const CERT_FILE = 'cert.pem';
const KEY_FILE = 'key.pem';
const RENEW_BEFORE_MS = 24 * 60 * 60 * 1000;
const LIFETIME_MS = 365 * 24 * 60 * 60 * 1000;

export interface SimCertificate {
  cert: string;
  key: string;
}

/** Where the stand-in keeps its certificate (the CA a client must trust). */
export function simCaPath(dataDir: string): string {
  return path.join(dataDir, CERT_FILE);
}

/** Reads the stand-in's certificate from its data directory, to trust it in a client. */
export function readSimCaPem(dataDir: string): string {
  return fs.readFileSync(simCaPath(dataDir), 'utf8');
}

function isUsableCertificate(pair: SimCertificate, now: Date): boolean {
  try {
    const x509 = new X509Certificate(pair.cert);
    const names = x509.subjectAltName ?? '';
    return (
      Date.parse(x509.validFrom) <= now.getTime() &&
      Date.parse(x509.validTo) - now.getTime() > RENEW_BEFORE_MS &&
      names.includes('DNS:localhost') &&
      names.includes('IP Address:127.0.0.1') &&
      x509.checkPrivateKey(createPrivateKey(pair.key))
    );
  } catch {
    return false;
  }
}

export async function createCertificate(now: Date): Promise<SimCertificate> {
  const pems = await generate(
    [
      { name: 'commonName', value: 'localhost' },
      { name: 'organizationName', value: 'Local Microsoft Graph stand-in' },
    ],
    {
      keyType: 'ec',
      curve: 'P-256',
      algorithm: 'sha256',
      notBeforeDate: new Date(now.getTime() - 60 * 60 * 1000),
      notAfterDate: new Date(now.getTime() + LIFETIME_MS),
      extensions: [
        { name: 'basicConstraints', cA: true, critical: true },
        { name: 'keyUsage', digitalSignature: true, keyCertSign: true, critical: true },
        { name: 'extKeyUsage', serverAuth: true },
        {
          name: 'subjectAltName',
          altNames: [
            { type: 2, value: 'localhost' },
            { type: 7, ip: '127.0.0.1' },
          ],
        },
      ],
    },
  );
  return { cert: pems.cert, key: pems.private };
}

/** The saved certificate if still good, else a new one (saved when there is a directory). */
export async function loadOrCreateCertificate(
  dir: string | undefined,
  now: Date,
  logger: Logger,
): Promise<SimCertificate> {
  if (dir) {
    try {
      const saved = {
        cert: fs.readFileSync(path.join(dir, CERT_FILE), 'utf8'),
        key: fs.readFileSync(path.join(dir, KEY_FILE), 'utf8'),
      };
      if (isUsableCertificate(saved, now)) return saved;
      logger.info({ dir }, 'graph-sim certificate expired or unusable; making a new one');
    } catch {
      // none yet
    }
  }
  const created = await createCertificate(now);
  if (dir) {
    fs.mkdirSync(dir, { recursive: true });
    fs.writeFileSync(path.join(dir, KEY_FILE), created.key, { mode: 0o600 });
    fs.writeFileSync(path.join(dir, CERT_FILE), created.cert);
    logger.info({ cert: path.join(dir, CERT_FILE) }, 'graph-sim created a certificate');
  }
  return created;
}
