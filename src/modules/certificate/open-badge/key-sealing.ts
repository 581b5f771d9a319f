import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from 'node:crypto';

const VERSION = 'v1';
const INFO = 'coursegraph/open-badge-signing-key/v1';

/** The key-encryption key: HKDF-SHA256 of the server secret, used for nothing else. */
function keyEncryptionKey(serverSecret: string): Buffer {
  return Buffer.from(hkdfSync('sha256', serverSecret, 'coursegraph', INFO, 32));
}

/**
 * Seals a secret key with AES-256-GCM. `binding` (the organization and key id) is authenticated
 * data, so a sealed key copied to another row or tenant does not open.
 */
export function sealSecret(serverSecret: string, secret: string, binding: string): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', keyEncryptionKey(serverSecret), iv);
  cipher.setAAD(Buffer.from(binding, 'utf8'));
  const sealed = Buffer.concat([cipher.update(secret, 'utf8'), cipher.final()]);
  return [VERSION, iv, cipher.getAuthTag(), sealed].map((part) => (typeof part === 'string' ? part : part.toString('base64url'))).join('.');
}

/** Opens what sealSecret sealed; throws when the secret, the binding or the data differ. */
export function openSecret(serverSecret: string, sealed: string, binding: string): string {
  const [version, iv, tag, data] = sealed.split('.');
  if (version !== VERSION || !iv || !tag || !data) throw new Error('sealed key has an unknown format');
  const decipher = createDecipheriv('aes-256-gcm', keyEncryptionKey(serverSecret), Buffer.from(iv, 'base64url'));
  decipher.setAAD(Buffer.from(binding, 'utf8'));
  decipher.setAuthTag(Buffer.from(tag, 'base64url'));
  return Buffer.concat([decipher.update(Buffer.from(data, 'base64url')), decipher.final()]).toString('utf8');
}
