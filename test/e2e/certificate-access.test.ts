import { Role } from '../../src/shared/permissions';
import { newId, toGlobalId } from '../../src/shared/ids';
import { startTestApp, type TestApp } from '../support/app';
import { buildCourse, gqlOk, mutate, userGid, type GqlData } from '../support/catalog';
import { seedOrg, type SeededOrg, type SeededUser } from '../support/seed';

let t: TestApp;
let a: SeededOrg;
let b: SeededOrg;
const tokens: Record<string, string> = {};
let courseA: string;
let courseB: string;
/** Certificate global ids by holder key. */
const certs: Record<string, { id: string; code: string }> = {};

const CERT = 'id number status holderName verificationUrl verificationCode issueReason externalReference revokedAt revokedBy revocationReason';

async function issue(token: string, user: SeededUser, courseId: string, reason = '线下考核通过'): Promise<GqlData> {
  return mutate<GqlData>(t, token, 'issueCertificate', 'IssueCertificateInput', { userId: userGid(user), courseId, reason, externalReference: 'EXT-1' }, `certificate { ${CERT} }`);
}

beforeAll(async () => {
  t = await startTestApp({ VERIFY_RATE_PER_MINUTE: '40' });
  a = await seedOrg(t.owner, 'acc-a');
  b = await seedOrg(t.owner, 'acc-b');
  await a.user('hr', [Role.HR, Role.AUTHOR]);
  await a.user('manager', [Role.MANAGER], { orgUnitPath: '总部/一部' });
  await a.user('l1', [Role.LEARNER], { orgUnitPath: '总部/一部/一组' });
  await a.user('l2', [Role.LEARNER], { orgUnitPath: '总部/二部' });
  await a.user('rep', [Role.LEARNER], { orgUnitPath: '总部/三部', managerKey: 'manager' });
  await b.user('admin', [Role.ORG_ADMIN]);
  await b.user('l', [Role.LEARNER]);
  for (const key of ['hr', 'manager', 'l1', 'l2', 'rep']) tokens[key] = await t.token(a.id, `acc-a-${key}`);
  tokens.b = await t.token(b.id, 'acc-b-admin');
  courseA = (await buildCourse(t, tokens.hr, 'ACC-A', [1])).id;
  courseB = (await buildCourse(t, tokens.b, 'ACC-B', [1])).id;
  for (const key of ['l1', 'l2', 'rep']) {
    const p = await issue(tokens.hr, a.users[key], courseA);
    certs[key] = { id: p.certificate.id, code: p.certificate.verificationCode };
  }
  const pb = await issue(tokens.b, b.users.l, courseB);
  certs.b = { id: pb.certificate.id, code: pb.certificate.verificationCode };
});
afterAll(() => t.close());

const holders = async (token: string, filter: Record<string, unknown> = {}): Promise<string[]> =>
  (await gqlOk<GqlData>(t, `query($f: CertificateFilter) { certificates(filter: $f, first: 50) { nodes { holderName } } }`, { f: filter }, token))
    .certificates.nodes.map((n: { holderName: string }) => n.holderName.split(' ')[0]).sort();

const auditOf = async (id: string) => (await t.owner.query(
  `SELECT action, before, after FROM audit_event WHERE organization_id = $1 AND entity_id = $2 ORDER BY created_at, action`, [a.id, Buffer.from(id, 'base64url').toString().split(':')[1]],
)) as { action: string; before: Record<string, unknown> | null; after: Record<string, unknown> }[];

describe('HR issues, revokes and reinstates', () => {
  test('issuing by hand needs a reason, and is audited with its evidence', async () => {
    const empty = await issue(tokens.hr, a.users.l1, courseA, '   ');
    expect(empty.errors.map((e: { code: string; path: string[] }) => [e.code, e.path.at(-1)])).toEqual([['INVALID', 'reason']]);
    const p = await gqlOk<GqlData>(t, `query($id: ID!) { certificate(id: $id) { ${CERT} } }`, { id: certs.l1.id }, tokens.hr);
    expect(p.certificate).toMatchObject({ status: 'ACTIVE', holderName: 'l1 of acc-a', issueReason: '线下考核通过', externalReference: 'EXT-1' });
    expect(p.certificate.number).toMatch(/^ACCA-\d{4}-\d{6}$/);
    expect(p.certificate.verificationUrl).toBe(`${t.url}/verify/${certs.l1.code}`);
    const audit = await auditOf(certs.l1.id);
    expect(audit.map((e) => e.action)).toEqual(['certificate.issue']);
    expect(audit[0]).toMatchObject({ before: null, after: { issueReason: '线下考核通过', externalReference: 'EXT-1', status: 'ACTIVE' } });
    const count = (await t.owner.query(`SELECT count(*)::int AS n FROM certificate WHERE organization_id = $1`, [a.id])) as { n: number }[];
    expect(count[0].n).toBe(3);
  });

  test('revoke needs a reason, twice is a conflict; reinstate only a revoked one; all audited', async () => {
    const revoke = (reason: string) => mutate<GqlData>(t, tokens.hr, 'revokeCertificate', 'RevokeCertificateInput', { id: certs.l2.id, reason }, `certificate { ${CERT} }`);
    const reinstate = () => mutate<GqlData>(t, tokens.hr, 'reinstateCertificate', 'ReinstateCertificateInput', { id: certs.l2.id, reason: '复核无误' }, `certificate { ${CERT} }`);
    expect((await revoke('')).errors[0]).toMatchObject({ code: 'INVALID', path: ['input', 'reason'] });
    expect((await reinstate()).errors[0].code).toBe('CONFLICT');
    const revoked = await revoke('考核作弊');
    expect(revoked.certificate).toMatchObject({ status: 'REVOKED', revocationReason: '考核作弊', revokedBy: 'user:acc-a-hr' });
    expect((await revoke('again')).errors[0].code).toBe('CONFLICT');
    const back = await reinstate();
    expect(back.certificate).toMatchObject({ status: 'ACTIVE', revokedAt: null, revocationReason: null });
    expect((await reinstate()).errors[0].code).toBe('CONFLICT');
    const audit = await auditOf(certs.l2.id);
    expect(audit.map((e) => [e.action, e.before?.status ?? null, e.after.status])).toEqual([
      ['certificate.issue', null, 'ACTIVE'], ['certificate.revoke', 'ACTIVE', 'REVOKED'], ['certificate.reinstate', 'REVOKED', 'ACTIVE'],
    ]);
    expect(audit[1].after).toMatchObject({ revocationReason: '考核作弊', reason: '考核作弊' });
  });

  test('learners and managers cannot issue or revoke', async () => {
    for (const key of ['l1', 'manager']) {
      const res = await t.gql(`mutation($id: ID!) { revokeCertificate(input: { id: $id, reason: "x" }) { errors { code } } }`, { id: certs.l1.id }, { token: tokens[key] });
      expect(res.body.errors?.[0].extensions?.code).toBe('FORBIDDEN');
    }
  });
});

describe('who sees which certificates', () => {
  test('learners their own, managers their subtree and direct reports, HR everyone; filters apply', async () => {
    expect(await holders(tokens.l1)).toEqual(['l1']);
    expect(await holders(tokens.manager)).toEqual(['l1', 'rep']);
    expect(await holders(tokens.hr)).toEqual(['l1', 'l2', 'rep']);
    expect(await holders(tokens.hr, { orgUnitPath: '总部/一部' })).toEqual(['l1']);
    expect(await holders(tokens.hr, { courseId: courseA, status: 'ACTIVE' })).toEqual(['l1', 'l2', 'rep']);
    await t.owner.query(`UPDATE certificate SET valid_until = now() + interval '5 days' WHERE organization_id = $1 AND user_id = $2`, [a.id, a.users.rep.id]);
    expect(await holders(tokens.hr, { expiringWithinDays: 10 })).toEqual(['rep']);
    await t.owner.query(`UPDATE certificate SET valid_until = now() - interval '1 day' WHERE organization_id = $1 AND user_id = $2`, [a.id, a.users.rep.id]);
    expect(await holders(tokens.hr, { status: 'EXPIRED' })).toEqual(['rep']);
    expect(await holders(tokens.hr, { status: 'ACTIVE' })).toEqual(['l1', 'l2']);
    const mine = await gqlOk<GqlData>(t, `{ viewer { certificates { nodes { holderName status } } } }`, {}, tokens.l1);
    expect(mine.viewer.certificates.nodes).toEqual([{ holderName: 'l1 of acc-a', status: 'ACTIVE' }]);
  });

  test("certificate(id) and node(id) answer NOT_FOUND outside the caller's reach and for another tenant", async () => {
    const read = async (token: string, id: string) => {
      const one = await t.gql(`query($id: ID!) { certificate(id: $id) { holderName } }`, { id }, { token });
      const node = await t.gql(`query($id: ID!) { node(id: $id) { ... on Certificate { holderName } } }`, { id }, { token });
      return [one.body.errors?.[0]?.extensions?.code ?? 'OK', node.body.errors?.[0]?.extensions?.code ?? 'OK'];
    };
    expect(await read(tokens.l1, certs.l1.id)).toEqual(['OK', 'OK']);
    expect(await read(tokens.l1, certs.l2.id)).toEqual(['NOT_FOUND', 'NOT_FOUND']);
    expect(await read(tokens.manager, certs.rep.id)).toEqual(['OK', 'OK']);
    expect(await read(tokens.manager, certs.l2.id)).toEqual(['NOT_FOUND', 'NOT_FOUND']);
    expect(await read(tokens.b, certs.l1.id)).toEqual(['NOT_FOUND', 'NOT_FOUND']);
    expect(await read(tokens.b, toGlobalId('Certificate', newId()))).toEqual(['NOT_FOUND', 'NOT_FOUND']);
    const revokeA = await t.gql(`mutation($id: ID!) { revokeCertificate(input: { id: $id, reason: "x" }) { errors { code } } }`, { id: certs.l1.id }, { token: tokens.b });
    expect(revokeA.body.errors?.[0].extensions?.code).toBe('NOT_FOUND');
  });

  test('the list costs the same statements for 2 or 20 certificates (no N+1)', async () => {
    for (let i = 0; i < 6; i++) await issue(tokens.hr, await a.user(`many-${i}`), courseA);
    const query = `query($n: Int) { certificates(first: $n) { nodes { number status user { name orgUnitPath } course { code title } revision { number } } } }`;
    const small = await t.gql<GqlData>(query, { n: 2 }, { token: tokens.hr });
    const large = await t.gql<GqlData>(query, { n: 20 }, { token: tokens.hr });
    expect(small.body.data!.certificates.nodes).toHaveLength(2);
    expect(large.body.data!.certificates.nodes.length).toBeGreaterThanOrEqual(9);
    expect(small.statements).toBeGreaterThan(0);
    expect(large.statements).toBe(small.statements);
  });
});

describe('public verification', () => {
  const verify = (path: string, headers: Record<string, string> = { accept: 'application/json' }) => fetch(`${t.url}/verify/${path}`, { headers });

  test('JSON by code: the public fields only; another tenant\'s code works too, by code alone', async () => {
    const res = await verify(`${certs.l1.code}.json`, {});
    expect(res.status).toBe(200);
    const body = (await res.json()) as GqlData;
    expect(body).toEqual({
      found: true,
      certificate: {
        holderName: 'l1 of acc-a', organization: 'Org acc-a', course: '课程 ACC-A', number: expect.stringMatching(/^ACCA-/),
        issuedAt: expect.any(String), validFrom: expect.any(String), validUntil: null, status: 'ACTIVE', revokedAt: null,
      },
    });
    const other = (await (await verify(certs.b.code.toLowerCase())).json()) as GqlData;
    expect(other.certificate).toMatchObject({ holderName: 'l of acc-b', organization: 'Org acc-b' });
    const html = await verify(certs.l1.code, { accept: 'text/html' });
    expect(html.headers.get('content-type')).toMatch(/^text\/html/);
  });

  test('a wrong or malformed code says "not found" and nothing else; a revoked one shows its revocation date', async () => {
    for (const code of ['AAAAAAAAAAAAAAAAAAAA', 'x', `${certs.l1.code}0`, "'%20OR%201=1"]) {
      const res = await verify(code);
      expect({ code, status: res.status, body: await res.json() }).toEqual({ code, status: 404, body: { found: false, message: 'not found' } });
    }
    await mutate(t, tokens.hr, 'revokeCertificate', 'RevokeCertificateInput', { id: certs.l1.id, reason: '作废' }, 'certificate { id }');
    const body = (await (await verify(certs.l1.code)).json()) as GqlData;
    expect(body.certificate.status).toBe('REVOKED');
    expect(body.certificate.revokedAt).toEqual(expect.any(String));
    expect(JSON.stringify(body)).not.toContain('作废');
  });

  test('the lookup is one SECURITY DEFINER function the app role may execute; RLS stays closed', async () => {
    const [fn] = (await t.owner.query(`SELECT prosecdef, proconfig, proacl::text AS acl FROM pg_proc WHERE proname = 'verify_certificate'`)) as { prosecdef: boolean; proconfig: string[]; acl: string }[];
    expect(fn.prosecdef).toBe(true);
    expect(fn.proconfig).toContain('search_path=pg_catalog, pg_temp');
    expect(fn.acl).toContain('coursegraph_app=X/');
    expect(fn.acl).not.toMatch(/[{,]=X\//);
    expect(await t.ds.query('SELECT count(*)::int AS n FROM certificate')).toEqual([{ n: 0 }]);
    const [row] = (await t.ds.query('SELECT number FROM verify_certificate($1)', [certs.l2.code])) as { number: string }[];
    expect(row.number).toMatch(/^ACCA-/);
    // The setting the function uses is gone after the call.
    expect(await t.ds.query(`SELECT count(*)::int AS n FROM certificate`)).toEqual([{ n: 0 }]);
  });

  test('lookups are rate-limited per address', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 45; i++) statuses.push((await verify('AAAAAAAAAAAAAAAAAAAA')).status);
    expect(statuses).toContain(429);
  });
});
