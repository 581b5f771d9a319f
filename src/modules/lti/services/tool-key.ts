import type { KeyObject, webcrypto } from 'node:crypto';
import type { KeyLike } from 'jose';
import type { RequestContext } from '../../../shared/context';
import { toolSigningKey } from '../tool-key';

/** The organization's current LTI tool signing key (the LTI core's `toolSigningKey`). */
export interface ToolKey {
  kid: string;
  /** A CryptoKey or KeyObject (jose's KeyLike), RS256. */
  privateKey: webcrypto.CryptoKey | KeyObject | KeyLike;
}

/** Finds the organization's tool signing key, in the context's transaction. */
export type ToolKeyProvider = (ctx: RequestContext, organizationId: string) => Promise<ToolKey>;

/**
 * Where the tool's keys come in: the LTI core's `toolSigningKey`, the organization's current key
 * (made on first use, so the context's transaction must be writable). A module constant, so the API
 * server and standalone workers (`npm run worker`, which send the grades) both have it without any
 * startup step. Client assertions to platforms' token endpoints are signed with the key it returns.
 */
const wired: ToolKeyProvider = async (ctx, organizationId) => {
  if (ctx.orgId !== organizationId) throw new Error('LTI services: a tool key of another organization than the context');
  return toolSigningKey(ctx);
};

let provider: ToolKeyProvider = wired;

/** Replaces the provider (tests pass keys generated with jose); null restores the wired one. */
export function setToolKeyProvider(next: ToolKeyProvider | null): void {
  provider = next ?? wired;
}

/** The organization's tool signing key, from the wired provider. */
export function toolKey(ctx: RequestContext, organizationId: string): Promise<ToolKey> {
  return provider(ctx, organizationId);
}
