import { newId } from '../src/shared/ids';
import { tenantRead, type Scenario } from './harness';
import { graphqlRequest } from './catalog.scenario';

/**
 * `{ viewer { id } }` through the whole stack (auth, tenant transaction, GraphQL) against the
 * mercurius + graphql-jit peer and a bare Fastify route that does the same database read (the user
 * row by external id, in a read-only transaction with the tenant set, as RLS requires).
 */
export const viewerScenario: Scenario = {
  name: 'viewer',
  connections: 50,
  baselineLabel: 'bare',
  async prepare(env) {
    const { app, ds, owner, token } = env;
    const orgId = newId();
    await owner.query(`INSERT INTO organization (id, slug, name, industry) VALUES ($1, 'bench', 'Bench', 'bench')`, [orgId]);
    await owner.query(`INSERT INTO app_user (organization_id, id, external_id, name, roles) VALUES ($1, $2, 'bench-user', 'Bench User', '{LEARNER}')`, [orgId, newId()]);
    app.get('/bench/viewer', async () => {
      const rows = await tenantRead<{ id: string }>(ds, orgId, `SELECT id FROM app_user WHERE organization_id = $1 AND external_id = $2`, [orgId, 'bench-user']);
      return { data: { viewer: { id: rows[0].id } } };
    });
    const project = graphqlRequest(await token(orgId, 'bench-user'), '{ viewer { id } }');
    const { startPeer } = await import('./peer.js');
    return { project, peer: { ...project, origin: await startPeer(env) }, baseline: { method: 'GET', path: '/bench/viewer' } };
  },
};
