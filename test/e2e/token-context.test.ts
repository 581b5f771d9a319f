import pino from 'pino';
import { RequestContext, type ContextDeps } from '../../src/shared/context';
import { Permission } from '../../src/shared/permissions';
import { inTokenTenant, tokenSubject } from '../../src/shared/token-context';
import { resolveCaller } from '../../src/modules/user/caller';
import { startTestApp, TEST_SERVER_SECRET, type TestApp } from '../support/app';
import { seedOrg, type SeededOrg } from '../support/seed';

/** The narrow principal of token and public-code routes: its tenant only, no permissions, read-only by default. */
let t: TestApp;
let a: SeededOrg;
let b: SeededOrg;
let deps: ContextDeps;
const log = pino({ level: 'silent' });

beforeAll(async () => {
  t = await startTestApp();
  a = await seedOrg(t.owner, 'token-a');
  b = await seedOrg(t.owner, 'token-b');
  await a.user('learner');
  await b.user('learner');
  deps = { dataSource: t.ds, config: t.config, serverSecret: TEST_SERVER_SECRET, resolveCaller };
});
afterAll(() => t.close());

test('a token context sees the tenant the token names, holds no permission and names its subject', async () => {
  const seen = await inTokenTenant(deps, { organizationId: a.id, purpose: 'scorm-player', subject: 'session-1' }, log, async (ctx: RequestContext) => {
    expect(() => ctx.assert(Permission.CATALOG_READ)).toThrow(expect.objectContaining({ code: 'FORBIDDEN' }));
    expect([...ctx.permissions]).toEqual([]);
    return { users: await ctx.manager.query('SELECT external_id FROM app_user'), actor: ctx.actor, subject: tokenSubject(ctx) };
  });
  expect(seen).toEqual({ users: [{ external_id: 'token-a-learner' }], actor: 'token:scorm-player', subject: 'session-1' });
});

test('it cannot write unless the route asks for it, and a malformed tenant is NOT_FOUND', async () => {
  const grant = { organizationId: a.id, purpose: 'verify', subject: 'x' };
  await expect(inTokenTenant(deps, grant, log, (ctx) => ctx.manager.query(`UPDATE app_user SET name = 'changed'`))).rejects.toThrow(/read-only/);
  await expect(inTokenTenant(deps, { ...grant, organizationId: 'not-a-uuid' }, log, async () => 'reached')).rejects.toMatchObject({ code: 'NOT_FOUND' });
  const other = await inTokenTenant(deps, { ...grant, organizationId: b.id }, log, (ctx) => ctx.manager.query(`SELECT count(*)::int AS n FROM app_user WHERE organization_id = $1`, [a.id]));
  expect(other).toEqual([{ n: 0 }]);
  await expect(RequestContext.run(deps, { kind: 'system', organizationId: a.id, label: 't' }, log, async (ctx) => tokenSubject(ctx))).rejects.toThrow('not a token context');
});
