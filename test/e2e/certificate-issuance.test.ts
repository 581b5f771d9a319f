import { Role } from '../../src/shared/permissions';
import { toGlobalId } from '../../src/shared/ids';
import * as outbox from '../../src/jobs/outbox';
import { CertificateStatus } from '../../src/modules/certificate/certificate.entity';
import { certificateService } from '../../src/modules/certificate/certificate.service';
import { certificateStatus, certificateStatusSql } from '../../src/modules/certificate/certificate.rules';
import { startTestApp, type TestApp } from '../support/app';
import { assign, gqlOk, mutate, type GqlData } from '../support/catalog';
import { seedOrg, type SeededOrg, type SeededUser } from '../support/seed';
import { asSystem, certifiedCourse, completePages, rawId } from '../support/certification';

let t: TestApp;
let a: SeededOrg;
let b: SeededOrg;
let author: string;
let hr: string;

const day = 86_400_000;

beforeAll(async () => {
  t = await startTestApp();
  a = await seedOrg(t.owner, 'cert-a');
  b = await seedOrg(t.owner, 'cert-b');
  await a.user('author', [Role.AUTHOR, Role.HR]);
  await b.user('author', [Role.AUTHOR, Role.HR]);
  author = await t.token(a.id, 'cert-a-author');
  hr = author;
});
afterAll(() => t.close());

async function learner(org: SeededOrg, key: string): Promise<{ user: SeededUser; token: string }> {
  const user = await org.user(key);
  return { user, token: await t.token(org.id, user.externalId) };
}

const RULE_12M = { validityKind: 'MONTHS', validityMonths: 12, recertificationWindowDays: 30 };

describe('rule authoring', () => {
  const set = (input: Record<string, unknown>) => mutate<GqlData>(t, author, 'setCertificationRule', 'SetCertificationRuleInput', input, 'rule { requirePassed minScore validityKind validityMonths validUntil recertificationWindowDays }');

  test('bad rules answer payload errors and change nothing; a good one is frozen on publish', async () => {
    const course = await certifiedCourse(t, author, 'RULE-1', { validityKind: 'NONE' });
    // Published: no draft to set a rule on.
    expect((await set({ courseId: course.id, validityKind: 'NONE' })).errors[0].code).toBe('CONFLICT');
    await mutate(t, author, 'createCourseDraft', 'CourseIdInput', { id: course.id }, 'course { id }');
    const cases: [Record<string, unknown>, string][] = [
      [{ validityKind: 'MONTHS', validityMonths: 0 }, 'validityMonths'],
      [{ validityKind: 'MONTHS' }, 'validityMonths'],
      [{ validityKind: 'FIXED_DATE', validUntil: new Date(Date.now() - day).toISOString() }, 'validUntil'],
      [{ validityKind: 'NONE', minScore: 101 }, 'minScore'],
      [{ validityKind: 'NONE', minScore: -1 }, 'minScore'],
      [{ validityKind: 'NONE', recertificationWindowDays: 10 }, 'recertificationWindowDays'],
      [{ validityKind: 'MONTHS', validityMonths: 1, recertificationWindowDays: 60 }, 'recertificationWindowDays'],
    ];
    for (const [input, field] of cases) {
      const p = await set({ courseId: course.id, ...input });
      expect({ input, errors: p.errors.map((e: { path: string[] }) => e.path.at(-1)) }).toEqual({ input, errors: [field] });
    }
    const ok = await set({ courseId: course.id, requirePassed: false, minScore: 60, ...RULE_12M });
    expect(ok.errors).toEqual([]);
    expect(ok.rule).toMatchObject({ minScore: 60, validityKind: 'MONTHS', validityMonths: 12, recertificationWindowDays: 30 });
    const rows = (await t.owner.query(`SELECT number, certification_rule FROM course_revision WHERE organization_id = $1 AND course_id = $2 ORDER BY number`, [a.id, rawId(course.id)])) as { number: number; certification_rule: unknown }[];
    expect(rows.map((r) => r.certification_rule)).toEqual([
      { requirePassed: false, minScore: null, validity: { kind: 'NONE' }, recertificationWindowDays: null },
      { requirePassed: false, minScore: 60, validity: { kind: 'MONTHS', months: 12 }, recertificationWindowDays: 30 },
    ]);
    const audit = (await t.owner.query(`SELECT action, before, after FROM audit_event WHERE organization_id = $1 AND action LIKE 'course.certification_rule%' ORDER BY created_at`, [a.id])) as { action: string; after: { rule: unknown } }[];
    expect(audit.map((e) => e.action)).toEqual(['course.certification_rule.set', 'course.certification_rule.set']);
    // A learner cannot author.
    const { token } = await learner(a, 'rule-learner');
    const denied = await t.gql(`mutation { clearCertificationRule(input: { courseId: "${course.id}" }) { errors { code } } }`, {}, { token });
    expect(denied.body.errors?.[0].extensions?.code).toBe('FORBIDDEN');
  });
});

describe('issuance', () => {
  test('a completed cycle earns one certificate, however often and concurrently issuance runs', async () => {
    const course = await certifiedCourse(t, author, 'ISS-1', RULE_12M);
    const { user, token } = await learner(a, 'iss-1');
    const [enrollmentGid] = await assign(t, hr, course.id, [user]);
    const enrollmentId = rawId(enrollmentGid);
    // Not completed yet: nothing.
    expect(await asSystem(t, a.id, (ctx) => certificateService.issueForEnrollment(ctx, enrollmentId))).toBeNull();
    await completePages(t, token, course.activities[0]);
    const results = await Promise.all([1, 2, 3, 4].map(() => asSystem(t, a.id, (ctx) => certificateService.issueForEnrollment(ctx, enrollmentId))));
    const again = await asSystem(t, a.id, (ctx) => certificateService.issueForEnrollment(ctx, enrollmentId));
    expect(new Set([...results, again].map((c) => c?.id)).size).toBe(1);
    const rows = (await t.owner.query(`SELECT * FROM certificate WHERE organization_id = $1 AND enrollment_id = $2`, [a.id, enrollmentId])) as Record<string, any>[];
    expect(rows).toHaveLength(1);
    const c = rows[0];
    expect(c.number).toMatch(new RegExp(`^CERTA-${new Date().getUTCFullYear()}-\\d{6}$`));
    expect(c.verification_code).toMatch(/^[A-Z2-7]{20}$/);
    expect(c.holder_name).toBe('iss-1 of cert-a');
    expect(c.cycle).toBe(1);
    const months = (c.valid_until.getUTCFullYear() - c.valid_from.getUTCFullYear()) * 12 + c.valid_until.getUTCMonth() - c.valid_from.getUTCMonth();
    expect(months).toBe(12);
    const audit = (await t.owner.query(`SELECT count(*)::int AS n FROM audit_event WHERE organization_id = $1 AND action = 'certificate.issue' AND entity_id = $2`, [a.id, c.id])) as { n: number }[];
    expect(audit[0].n).toBe(1);
  });

  test('numbers stay unique and status list positions distinct under concurrent issues', async () => {
    const course = await certifiedCourse(t, author, 'ISS-2', { validityKind: 'NONE' }, 1);
    const learners = await Promise.all([...Array(8).keys()].map((i) => learner(a, `par-${i}`)));
    const ids = await assign(t, hr, course.id, learners.map((l) => l.user));
    for (const l of learners) await completePages(t, l.token, course.activities[0]);
    await Promise.all(ids.map((id) => asSystem(t, a.id, (ctx) => certificateService.issueForEnrollment(ctx, rawId(id)))));
    const rows = (await t.owner.query(`SELECT number, status_list_index FROM certificate WHERE organization_id = $1`, [a.id])) as { number: string; status_list_index: number }[];
    expect(new Set(rows.map((r) => r.number)).size).toBe(rows.length);
    expect(new Set(rows.map((r) => r.status_list_index)).size).toBe(rows.length);
    expect(rows.length).toBeGreaterThanOrEqual(9);
  });

  test('a rule not met (minimum score without a score, or no rule) issues nothing', async () => {
    const scored = await certifiedCourse(t, author, 'ISS-3', { validityKind: 'NONE', minScore: 50 }, 1);
    const { user, token } = await learner(a, 'iss-3');
    const [e1] = await assign(t, hr, scored.id, [user]);
    await completePages(t, token, scored.activities[0]);
    expect(await asSystem(t, a.id, (ctx) => certificateService.issueForEnrollment(ctx, rawId(e1)))).toBeNull();
    const passed = await certifiedCourse(t, author, 'ISS-4', { validityKind: 'NONE', requirePassed: true }, 1);
    const [e2] = await assign(t, hr, passed.id, [user]);
    await completePages(t, token, passed.activities[0]);
    expect(await asSystem(t, a.id, (ctx) => certificateService.issueForEnrollment(ctx, rawId(e2)))).toBeNull();
    const count = (await t.owner.query(`SELECT count(*)::int AS n FROM certificate WHERE organization_id = $1 AND user_id = $2`, [a.id, user.id])) as { n: number }[];
    expect(count[0].n).toBe(0);
  });

  test("another tenant's system context cannot issue for A's enrollment", async () => {
    const course = await certifiedCourse(t, author, 'ISS-5', { validityKind: 'NONE' }, 1);
    const { user, token } = await learner(a, 'iss-5');
    const [e] = await assign(t, hr, course.id, [user]);
    await completePages(t, token, course.activities[0]);
    await expect(asSystem(t, b.id, (ctx) => certificateService.issueForEnrollment(ctx, rawId(e)))).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });
});

describe('recertification', () => {
  const cert = async (enrollmentId: string) => ((await t.owner.query(`SELECT * FROM certificate WHERE organization_id = $1 AND enrollment_id = $2`, [a.id, enrollmentId])) as Record<string, any>[])[0];
  const events = () => jest.spyOn(outbox, 'emitEvent');

  test('the window opens a new cycle due at the expiry; completing it renews without gap and supersedes', async () => {
    const course = await certifiedCourse(t, author, 'REC-1', RULE_12M, 1);
    const { user, token } = await learner(a, 'rec-1');
    const [first] = await assign(t, hr, course.id, [user]);
    await completePages(t, token, course.activities[0]);
    await asSystem(t, a.id, (ctx) => certificateService.issueForEnrollment(ctx, rawId(first)));
    const old = await cert(rawId(first));
    const spy = events();
    // Before the window: nothing; inside it: one cycle, once.
    expect(await asSystem(t, a.id, (ctx) => certificateService.openDueRecertifications(ctx, new Date(old.valid_until.getTime() - 31 * day)))).toBe(0);
    const inWindow = new Date(old.valid_until.getTime() - 10 * day);
    expect(await asSystem(t, a.id, (ctx) => certificateService.openDueRecertifications(ctx, inWindow))).toBeGreaterThanOrEqual(1);
    expect(await asSystem(t, a.id, (ctx) => certificateService.openDueRecertifications(ctx, inWindow))).toBe(0);
    const opened = spy.mock.calls.filter(([, e]) => e.type === 'recertification.opened' && e.entityId === old.id);
    expect(opened).toHaveLength(1);
    spy.mockRestore();
    const cycles = (await t.owner.query(`SELECT id, cycle, status, closed_at, due_at, source FROM enrollment WHERE organization_id = $1 AND user_id = $2 ORDER BY cycle`, [a.id, user.id])) as Record<string, any>[];
    expect(cycles.map((c) => [c.cycle, c.status, c.closed_at !== null, c.source])).toEqual([[1, 'COMPLETED', true, 'ADMIN'], [2, 'NOT_STARTED', false, 'RECERTIFICATION']]);
    expect(cycles[1].due_at.getTime()).toBe(old.valid_until.getTime());
    // The learner sees the open cycle, fresh; staff see history on request.
    const mine = await gqlOk<GqlData>(t, `{ viewer { enrollments { nodes { cycle status progressPercent } } } }`, {}, token);
    expect(mine.viewer.enrollments.nodes).toEqual([{ cycle: 2, status: 'NOT_STARTED', progressPercent: 0 }]);
    const history = await gqlOk<GqlData>(t, `query($u: ID!) { enrollments(filter: { userId: $u, includePastCycles: true }) { nodes { cycle closedAt } } }`, { u: toGlobalId('User', user.id) }, hr);
    expect(history.enrollments.nodes.map((n: { cycle: number }) => n.cycle).sort()).toEqual([1, 2]);
    // Assigning again does not open a third cycle.
    await assign(t, hr, course.id, [user]);
    await completePages(t, token, course.activities[0]);
    await asSystem(t, a.id, (ctx) => certificateService.issueForEnrollment(ctx, cycles[1].id));
    const renewed = await cert(cycles[1].id);
    expect(renewed.cycle).toBe(2);
    expect(renewed.valid_from.getTime()).toBe(old.valid_until.getTime());
    expect(renewed.valid_until.getTime()).toBe(new Date(old.valid_until).setUTCMonth(old.valid_until.getUTCMonth() + 12));
    const superseded = (await t.owner.query(`SELECT status, superseded_by_id FROM certificate WHERE organization_id = $1 AND id = $2`, [a.id, old.id])) as Record<string, any>[];
    expect(superseded[0]).toEqual({ status: 'SUPERSEDED', superseded_by_id: renewed.id });
  });

  test('an expired certificate is renewed from now; expiry reminders go out once', async () => {
    const course = await certifiedCourse(t, author, 'REC-2', RULE_12M, 1);
    const { user, token } = await learner(a, 'rec-2');
    const [first] = await assign(t, hr, course.id, [user]);
    await completePages(t, token, course.activities[0]);
    await asSystem(t, a.id, (ctx) => certificateService.issueForEnrollment(ctx, rawId(first)));
    const old = await cert(rawId(first));
    const spy = events();
    await t.owner.query(`UPDATE certificate SET valid_until = now() + interval '3 days' WHERE id = $1`, [old.id]);
    expect(await asSystem(t, a.id, (ctx) => certificateService.remindExpiring(ctx, new Date()))).toBeGreaterThanOrEqual(1);
    expect(await asSystem(t, a.id, (ctx) => certificateService.remindExpiring(ctx, new Date()))).toBe(0);
    expect(spy.mock.calls.filter(([, e]) => e.type === 'certificate.expiring' && e.entityId === old.id)).toHaveLength(1);
    spy.mockRestore();
    await t.owner.query(`UPDATE certificate SET valid_until = now() - interval '2 days' WHERE id = $1`, [old.id]);
    await asSystem(t, a.id, (ctx) => certificateService.openDueRecertifications(ctx, new Date()));
    const [open] = (await t.owner.query(`SELECT id FROM enrollment WHERE organization_id = $1 AND user_id = $2 AND closed_at IS NULL`, [a.id, user.id])) as { id: string }[];
    await completePages(t, token, course.activities[0]);
    const before = Date.now();
    await asSystem(t, a.id, (ctx) => certificateService.issueForEnrollment(ctx, open.id));
    const renewed = await cert(open.id);
    expect(renewed.valid_from.getTime()).toBeGreaterThanOrEqual(before - 1000);
  });
});

test('EXPIRED is derived the same way in TypeScript and in SQL', async () => {
  const now = new Date();
  const cases = [CertificateStatus.ACTIVE, CertificateStatus.REVOKED, CertificateStatus.SUPERSEDED]
    .flatMap((status) => [null, new Date(now.getTime() - day), new Date(now.getTime()), new Date(now.getTime() + day)].map((validUntil) => ({ status, validUntil })));
  const rows = (await t.owner.query(
    `SELECT ${certificateStatusSql('c', '$2::timestamptz')} AS status
       FROM (SELECT x->>'status' AS status, (x->>'valid_until')::timestamptz AS valid_until, i FROM jsonb_array_elements($1::jsonb) WITH ORDINALITY AS t(x, i)) c
      ORDER BY c.i`,
    [JSON.stringify(cases.map((x) => ({ status: x.status, valid_until: x.validUntil?.toISOString() ?? null }))), now.toISOString()],
  )) as { status: string }[];
  expect(rows.map((r) => r.status)).toEqual(cases.map((x) => certificateStatus(x.status, x.validUntil, now)));
  expect(new Set(rows.map((r) => r.status))).toContain('EXPIRED');
});
