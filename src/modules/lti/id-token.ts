import { createRemoteJWKSet, decodeJwt, errors, jwtVerify, type JWTPayload, type JWTVerifyGetKey } from 'jose';
import { AppError, badInput, forbidden } from '../../shared/errors';
import { CLAIM, DEEP_LINKING_REQUEST, RESOURCE_LINK_REQUEST } from './lti.claims';
import type { LtiPlatform } from './lti.entity';

/** Clock skew allowed on exp and iat. */
const SKEW_SECONDS = 30;
const MAX_KEYSETS = 500;

/** Platform keysets by URL; jose caches their keys and refetches on an unknown kid (at most every 30 s). */
const keysets = new Map<string, JWTVerifyGetKey>();

function keysetOf(url: string): JWTVerifyGetKey {
  let set = keysets.get(url);
  if (!set) {
    set = createRemoteJWKSet(new URL(url), { timeoutDuration: 5000, cooldownDuration: 30_000, cacheMaxAge: 10 * 60_000 });
    if (keysets.size >= MAX_KEYSETS) keysets.delete(keysets.keys().next().value as string);
    keysets.set(url, set);
  }
  return set;
}

/** The issuer and client id an (unverified) id_token claims to come from; refuses one that names neither clearly. */
export function claimedSender(idToken: string): { issuer: string; clientId: string } {
  let payload: JWTPayload;
  try {
    payload = decodeJwt(idToken);
  } catch {
    throw badInput('The launch carries no valid id_token');
  }
  const aud = Array.isArray(payload.aud) ? payload.aud : typeof payload.aud === 'string' ? [payload.aud] : [];
  const azp = typeof payload.azp === 'string' ? payload.azp : null;
  if (typeof payload.iss !== 'string' || aud.length === 0) throw badInput('The id_token has no issuer or audience');
  if (azp !== null && !aud.includes(azp)) throw badInput('The id_token\'s authorized party (azp) is not one of its audiences');
  if (aud.length > 1 && azp === null) throw badInput('The id_token has several audiences and no authorized party (azp)');
  return { issuer: payload.iss, clientId: azp ?? aud[0] };
}

/** A verified launch message. */
export interface LaunchMessage {
  payload: JWTPayload & Record<string, unknown>;
  messageType: typeof RESOURCE_LINK_REQUEST | typeof DEEP_LINKING_REQUEST;
  deploymentId: string;
  nonce: string;
  sub: string;
}

function joseRefusal(err: unknown): AppError {
  if (err instanceof errors.JWTExpired) return badInput('The launch has expired; open the activity again');
  if (err instanceof errors.JWSSignatureVerificationFailed) return badInput('The id_token signature is invalid');
  if (err instanceof errors.JWKSNoMatchingKey) return badInput('The id_token is signed with a key the platform does not publish');
  if (err instanceof errors.JWTClaimValidationFailed && err.claim === 'aud') return badInput('The id_token is not addressed to this tool');
  if (err instanceof errors.JWTClaimValidationFailed && err.claim === 'iss') return badInput('The id_token comes from another issuer');
  return badInput('The id_token could not be verified');
}

/**
 * Verifies an id_token against the platform's keyset (RS256): signature, iss, aud (and azp when
 * present), exp and iat with a small skew, then the LTI claims: version 1.3.0, a message type this
 * tool handles, a registered deployment id. The nonce and target link are checked by the caller
 * against the login they belong to.
 */
export async function verifyIdToken(idToken: string, platform: LtiPlatform): Promise<LaunchMessage> {
  let payload: JWTPayload & Record<string, unknown>;
  try {
    ({ payload } = await jwtVerify(idToken, keysetOf(platform.jwksUrl), {
      issuer: platform.issuer, audience: platform.clientId, algorithms: ['RS256'], clockTolerance: SKEW_SECONDS, requiredClaims: ['exp', 'iat', 'nonce'],
    }));
  } catch (err) {
    throw joseRefusal(err);
  }
  if (typeof payload.azp === 'string' && payload.azp !== platform.clientId) throw badInput('The id_token\'s authorized party (azp) is not this tool');
  if (typeof payload.iat !== 'number' || payload.iat > Date.now() / 1000 + SKEW_SECONDS) throw badInput('The id_token is issued in the future');
  if (payload[CLAIM.version] !== '1.3.0') throw badInput('Only LTI version 1.3.0 launches are supported');
  const messageType = payload[CLAIM.messageType];
  if (messageType !== RESOURCE_LINK_REQUEST && messageType !== DEEP_LINKING_REQUEST) throw badInput('This tool does not handle that LTI message type');
  const deploymentId = payload[CLAIM.deploymentId];
  if (typeof deploymentId !== 'string' || !platform.deploymentIds.includes(deploymentId)) throw forbidden('The LTI deployment is not registered with this organization');
  if (typeof payload.sub !== 'string' || payload.sub === '' || payload.sub.length > 255) throw badInput('The launch names no user (sub)');
  if (typeof payload.nonce !== 'string') throw badInput('The id_token has no nonce');
  return { payload, messageType, deploymentId, nonce: payload.nonce, sub: payload.sub };
}
