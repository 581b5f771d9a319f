import { randomUUID } from 'node:crypto';
import { fromGlobalId } from '../../src/shared/ids';
import { Role } from '../../src/shared/permissions';
import { startTestApp, type TestApp } from '../support/app';
import { seedOrg, seedPlatformAdmin, type SeededOrg } from '../support/seed';
import { gqlOk, mutate, mutateOk } from '../support/catalog';
import { gradedDocument } from '../support/assessment';

let t: TestApp;
let a: SeededOrg;
let b: SeededOrg;
let root: string;
const tok: Record<string, string> = {};
const KEY_1 = randomUUID();

const page = (title: string, key?: string) => ({ key, kind: 'PAGE', title: { zhCN: title }, page: { html: `<p>${title}</p>` } });
const templateInput = (extra: unknown[] = []) => ({
  code: 'etiquette', title: { zhCN: '客服礼仪', en: 'Service etiquette' }, tags: ['礼仪'], estimatedMinutes: 60,
  modules: [
    { title: { zhCN: '礼仪原则' }, activities: [page('第一印象', KEY_1), page('礼仪的通用原则'), ...extra] },
    { title: { zhCN: '课程测验' }, activities: [{ kind: 'ASSESSMENT', title: { zhCN: '课程测验' }, assessment: gradedDocument() }] },
  ],
});

const COURSE = `query($id: ID!) { course(id: $id) { id code status title sourceTemplateVersion sourceTemplate { code latestVersion }
  publishedRevision { number } draftRevision { number modules { activities { key title } } } } }`;

beforeAll(async () => {
  t = await startTestApp();
  root = await t.token(undefined, await seedPlatformAdmin(t.owner));
  a = await seedOrg(t.owner, 'tpl-a');
  b = await seedOrg(t.owner, 'tpl-b');
  for (const org of [a, b]) {
    await org.user('admin', [Role.ORG_ADMIN]);
    await org.user('learner', [Role.LEARNER]);
    tok[`${org.slug}:admin`] = await t.token(org.id, org.users.admin.externalId);
    tok[`${org.slug}:learner`] = await t.token(org.id, org.users.learner.externalId);
  }
});
afterAll(async () => {
  await t.close();
});

async function adopt(org: SeededOrg, templateId: string, code?: string) {
  return mutate<{ course: { id: string } | null }>(t, tok[`${org.slug}:admin`], 'adoptCourseTemplate', 'AdoptCourseTemplateInput', { templateId, code }, 'course { id }');
}

test('platform admins publish templates; organizations adopt their own copies and pull newer versions', async () => {
  const v1 = await mutateOk<{ template: { id: string; latestVersion: number } }>(t, root, 'publishCourseTemplate', 'PublishCourseTemplateInput', templateInput(), 'template { id latestVersion }');
  expect(v1.template.latestVersion).toBe(1);
  const listed = await gqlOk(t, '{ courseTemplates { nodes { code title } } }', {}, tok['tpl-a:admin']);
  expect(listed.courseTemplates.nodes).toEqual([{ code: 'etiquette', title: '客服礼仪' }]);

  const inA = (await adopt(a, v1.template.id)).course!.id;
  const inB = (await adopt(b, v1.template.id)).course!.id;
  const adoptedA = (await gqlOk(t, COURSE, { id: inA }, tok['tpl-a:admin'])).course;
  expect(adoptedA).toMatchObject({ code: 'etiquette', status: 'DRAFT', title: '客服礼仪', sourceTemplateVersion: 1, sourceTemplate: { code: 'etiquette' }, draftRevision: { number: 1 } });
  expect(adoptedA.draftRevision.modules[0].activities[0]).toEqual({ key: KEY_1, title: '第一印象' });
  for (const [org, id] of [[a, inA], [b, inB]] as const) {
    await mutateOk(t, tok[`${org.slug}:admin`], 'publishCourse', 'CourseIdInput', { id }, 'course { id }');
  }

  // the copies are separate rows: renaming A's course leaves B's alone
  await mutateOk(t, tok['tpl-a:admin'], 'updateCourse', 'UpdateCourseInput', { id: inA, title: { zhCN: 'A 的礼仪课' } }, 'course { id }');
  expect((await gqlOk(t, COURSE, { id: inB }, tok['tpl-b:admin'])).course.title).toBe('客服礼仪');
  const owners = await t.owner.query(`SELECT DISTINCT organization_id FROM course_module WHERE course_id = ANY($1)`, [[inA, inB].map((g) => fromGlobalId(g).id)]);
  expect(owners.map((r: { organization_id: string }) => r.organization_id).sort()).toEqual([a.id, b.id].sort());

  // version 2 keeps KEY_1 and adds an activity; A pulls it into a new draft, B stays on version 1
  const v2 = await mutateOk<{ template: { latestVersion: number } }>(t, root, 'publishCourseTemplate', 'PublishCourseTemplateInput', templateInput([page('倾听')]), 'template { latestVersion }');
  expect(v2.template.latestVersion).toBe(2);
  await mutateOk(t, tok['tpl-a:admin'], 'pullCourseTemplateVersion', 'PullCourseTemplateVersionInput', { courseId: inA }, 'course { id }');
  const pulled = (await gqlOk(t, COURSE, { id: inA }, tok['tpl-a:admin'])).course;
  expect(pulled).toMatchObject({ title: 'A 的礼仪课', sourceTemplateVersion: 2, publishedRevision: { number: 1 }, draftRevision: { number: 2 } });
  expect(pulled.draftRevision.modules[0].activities.map((x: { title: string }) => x.title)).toEqual(['第一印象', '礼仪的通用原则', '倾听']);
  expect(pulled.draftRevision.modules[0].activities[0].key).toBe(KEY_1);
  const again = await mutate(t, tok['tpl-a:admin'], 'pullCourseTemplateVersion', 'PullCourseTemplateVersionInput', { courseId: inA }, 'course { id }');
  expect(again.errors[0]).toMatchObject({ code: 'CONFLICT', path: ['input', 'version'] });
  expect((await gqlOk(t, COURSE, { id: inB }, tok['tpl-b:admin'])).course.sourceTemplateVersion).toBe(1);

  const audit = await gqlOk(t, `{ auditEvents(first: 50, filter: { entityType: "Course" }) { nodes { action } } }`, {}, tok['tpl-a:admin']);
  expect(audit.auditEvents.nodes.map((e: { action: string }) => e.action)).toEqual(expect.arrayContaining(['course.adopt', 'course.pullTemplate']));
});

test('a template code is adopted once per organization unless another code is given', async () => {
  const templateId = (await gqlOk(t, '{ courseTemplates { nodes { id } } }', {}, root)).courseTemplates.nodes[0].id;
  expect((await adopt(a, templateId)).errors[0]).toMatchObject({ code: 'DUPLICATE', path: ['input', 'code'] });
  expect((await adopt(a, templateId, 'etiquette-2')).course).not.toBeNull();
});

test('only platform admins publish templates; learners neither adopt nor browse them', async () => {
  const res = await t.gql(`mutation M($input: PublishCourseTemplateInput!) { publishCourseTemplate(input: $input) { errors { code } } }`, { input: templateInput() }, { token: tok['tpl-a:admin'] });
  expect(res.body.errors?.[0].extensions?.code).toBe('FORBIDDEN');
  const browse = await t.gql('{ courseTemplates { nodes { id } } }', {}, { token: tok['tpl-a:learner'] });
  expect(browse.body.errors?.[0].extensions?.code).toBe('FORBIDDEN');
  const templateId = (await gqlOk(t, '{ courseTemplates { nodes { id } } }', {}, root)).courseTemplates.nodes[0].id;
  const adoptRes = await t.gql(`mutation { adoptCourseTemplate(input: { templateId: "${templateId}", code: "x" }) { errors { code } } }`, {}, { token: tok['tpl-a:learner'] });
  expect(adoptRes.body.errors?.[0].extensions?.code).toBe('FORBIDDEN');
});

test('a template needs at least one activity and valid content', async () => {
  const empty = await mutate(t, root, 'publishCourseTemplate', 'PublishCourseTemplateInput',
    { code: 'empty', title: { zhCN: '空' }, modules: [{ title: { zhCN: '章' }, activities: [] }] }, 'template { id }');
  expect(empty.errors[0]).toMatchObject({ code: 'INVALID', path: ['input', 'modules'] });
  const badRule = await mutate(t, root, 'publishCourseTemplate', 'PublishCourseTemplateInput', {
    code: 'bad', title: { zhCN: '坏' },
    modules: [{ title: { zhCN: '章' }, activities: [{ kind: 'PAGE', title: { zhCN: '页' }, page: { html: '<p>x</p>' }, completion: { kind: 'SCORE', threshold: 0.8 } }] }],
  }, 'template { id }');
  expect(badRule.errors[0]).toMatchObject({ code: 'INVALID', path: ['input', 'modules', '0', 'activities', '0', 'completion', 'kind'] });
  const [row] = await t.owner.query(`SELECT count(*)::int AS n FROM course_template WHERE code IN ('empty', 'bad')`);
  expect(row.n).toBe(0);
});
