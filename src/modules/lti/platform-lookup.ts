import type { ContextDeps } from '../../shared/context';
import { inPublicLookup } from '../../shared/token-context';

/** Where an active registration lives: its tenant and id. */
export interface PlatformRef {
  organizationId: string;
  platformId: string;
}

/**
 * The active registration of (issuer, client id), found before any tenant is known through the one
 * narrow SECURITY DEFINER function `lti_find_platform` (migration Lti). Without a client id, the
 * issuer must name exactly one registration. Null when none (or several) match.
 */
export async function findPlatform(deps: Pick<ContextDeps, 'dataSource'>, issuer: string, clientId: string | null): Promise<PlatformRef | null> {
  if (issuer.length > 1000 || (clientId !== null && clientId.length > 1000)) return null;
  const rows = await inPublicLookup(deps, (m) =>
    m.query('SELECT organization_id AS "organizationId", platform_id AS "platformId" FROM lti_find_platform($1, $2)', [issuer, clientId])) as PlatformRef[];
  return rows.length === 1 ? rows[0] : null;
}
