import type { KeyObject, webcrypto } from 'node:crypto';
import type { KeyLike } from 'jose';
import type { RequestContext } from '../../../shared/context';

/** The organization's current LTI tool signing key (the LTI core's `toolSigningKey`). */
export interface ToolKey {
  kid: string;
  /** A CryptoKey or KeyObject (jose's KeyLike), RS256. */
  privateKey: webcrypto.CryptoKey | KeyObject | KeyLike;
}

/** Finds the organization's tool signing key, in the context's transaction. */
export type ToolKeyProvider = (ctx: RequestContext, organizationId: string) => Promise<ToolKey>;

const notWired: ToolKeyProvider = () => Promise.reject(new Error('LTI services: no tool key provider (setToolKeyProvider was not called at startup)'));

let provider: ToolKeyProvider = notWired;

/**
 * THE place where the tool's keys come in: the LTI core calls this once at startup with its
 * `toolSigningKey` (tests pass keys generated with jose). Client assertions to platforms' token
 * endpoints are signed with the key it returns.
 */
export function setToolKeyProvider(next: ToolKeyProvider | null): void {
  provider = next ?? notWired;
}

/** The organization's tool signing key, from the wired provider. */
export function toolKey(ctx: RequestContext, organizationId: string): Promise<ToolKey> {
  return provider(ctx, organizationId);
}
