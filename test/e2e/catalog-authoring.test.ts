import { Role } from '../../src/shared/permissions';
import { startTestApp, type TestApp } from '../support/app';
import { seedOrg, type SeededOrg } from '../support/seed';
import { addPage, assign, buildCourse, gqlOk, mutate, mutateOk } from '../support/catalog';

let t: TestApp;
let a: SeededOrg;
let b: SeededOrg;
const tokens: Record<string, string> = {};

beforeAll(async () => {
  t = await startTestApp();
  a = await seedOrg(t.owner, 'author-a');
  b = await seedOrg(t.owner, 'author-b');
  for (const [org, key, roles] of [[a, 'admin', [Role.ORG_ADMIN]], [a, 'author', [Role.AUTHOR]], [a, 'learner', [Role.LEARNER]],
    [a, 'learner2', [Role.LEARNER]], [b, 'admin', [Role.ORG_ADMIN]]] as const) {
    await org.user(key, [...roles]);
    tokens[`${org.slug}:${key}`] = await t.token(org.id, org.users[key].externalId);
  }
});
afterAll(async () => {
  await t.close();
});

const tok = (org: SeededOrg, key: string): string => tokens[`${org.slug}:${key}`];

const DRAFT_QUERY = `query($id: ID!) { course(id: $id) { status
  publishedRevision { number status } draftRevision { number modules { id key title position activities { id key title position } } } } }`;

const LEARNER_VIEW = `{ viewer { enrollments { nodes { revisionFixed revision { number } course { publishedRevision { number }
  modules { title activities { id title progress { completed } } } } } } } }`;

test('authoring lifecycle: build, reorder, publish, frozen revision, new draft, learners keep the revision they started', async () => {
  const author = tok(a, 'author');
  const course = await buildCourse(t, author, 'LIFE-1', [2, 1], { publish: false });
  await mutateOk(t, author, 'reorderModules', 'ReorderModulesInput', { courseId: course.id, moduleIds: [course.modules[1], course.modules[0]] }, 'course { id }');
  await mutateOk(t, author, 'reorderActivities', 'ReorderActivitiesInput', { moduleId: course.modules[0], activityIds: [...course.activities[0]].reverse() }, 'module { id }');
  const draft = (await gqlOk(t, DRAFT_QUERY, { id: course.id }, author)).course;
  expect(draft.status).toBe('DRAFT');
  expect(draft.draftRevision.modules.map((m: { id: string; position: number }) => [m.id, m.position])).toEqual([[course.modules[1], 1], [course.modules[0], 2]]);
  expect(draft.draftRevision.modules[1].activities.map((x: { title: string }) => x.title)).toEqual(['第2节', '第1节']);

  await mutateOk(t, author, 'publishCourse', 'CourseIdInput', { id: course.id }, 'course { id }');
  const published = (await gqlOk(t, DRAFT_QUERY, { id: course.id }, author)).course;
  expect(published).toMatchObject({ status: 'PUBLISHED', publishedRevision: { number: 1, status: 'PUBLISHED' }, draftRevision: null });

  const frozenEdit = await mutate(t, author, 'updateActivity', 'UpdateActivityInput', { id: course.activities[0][0], title: { zhCN: '改' } }, 'activity { id }');
  expect(frozenEdit.errors[0]).toMatchObject({ code: 'FROZEN', path: ['input', 'id'] });
  expect(frozenEdit.errors[0].message).toMatch(/版本 1 已发布并冻结/);
  const frozenAdd = await mutate(t, author, 'createModule', 'CreateModuleInput', { courseId: course.id, title: { zhCN: '新' } }, 'module { id }');
  expect(frozenAdd.errors[0].code).toBe('FROZEN');

  // learner 1 starts on revision 1
  await assign(t, tok(a, 'admin'), course.id, [a.users.learner, a.users.learner2]);
  await mutateOk(t, tok(a, 'learner'), 'recordActivityProgress', 'RecordActivityProgressInput', { activityId: course.activities[0][0] }, 'progress { completed }');

  // revision 2: a copy with the same keys, edited, then published
  await mutateOk(t, author, 'createCourseDraft', 'CourseIdInput', { id: course.id }, 'course { id }');
  const v2 = (await gqlOk(t, DRAFT_QUERY, { id: course.id }, author)).course.draftRevision;
  expect(v2.number).toBe(2);
  expect(v2.modules.map((m: { key: string }) => m.key)).toEqual(draft.draftRevision.modules.map((m: { key: string }) => m.key));
  expect(v2.modules[0].id).not.toBe(draft.draftRevision.modules[0].id);
  await addPage(t, author, v2.modules[0].id, '新增一节');
  await mutateOk(t, author, 'publishCourse', 'CourseIdInput', { id: course.id }, 'course { id }');

  const started = (await gqlOk(t, LEARNER_VIEW, {}, tok(a, 'learner'))).viewer.enrollments.nodes[0];
  expect(started).toMatchObject({ revisionFixed: true, revision: { number: 1 }, course: { publishedRevision: { number: 2 } } });
  expect(started.course.modules.flatMap((m: { activities: unknown[] }) => m.activities)).toHaveLength(3);
  expect(started.course.modules[1].activities[1]).toMatchObject({ id: course.activities[0][0], progress: { completed: true } });

  const fresh = (await gqlOk(t, LEARNER_VIEW, {}, tok(a, 'learner2'))).viewer.enrollments.nodes[0];
  expect(fresh).toMatchObject({ revisionFixed: false, revision: { number: 2 } });
  expect(fresh.course.modules[0].activities.map((x: { title: string }) => x.title)).toContain('新增一节');
});

test('publishing a course with no activities is refused with a clear error', async () => {
  const author = tok(a, 'author');
  const course = await buildCourse(t, author, 'EMPTY-1', [0], { publish: false });
  const res = await mutate(t, author, 'publishCourse', 'CourseIdInput', { id: course.id }, 'course { status }');
  expect(res.errors).toEqual([{ code: 'INVALID', message: '课程至少需要一个活动才能发布', path: ['input', 'id'] }]);
  expect((await gqlOk(t, DRAFT_QUERY, { id: course.id }, author)).course.status).toBe('DRAFT');
});

test('validation errors name the field; learners cannot author', async () => {
  const res = await mutate(t, tok(a, 'author'), 'createCourse', 'CreateCourseInput', { code: 'bad code!', title: { zhCN: ' ' }, coverUrl: 'javascript:alert(1)' }, 'course { id }');
  expect(res.errors.map((e) => e.path.join('.')).sort()).toEqual(['input.code', 'input.coverUrl', 'input.title.zhCN']);
  const learner = await t.gql(`mutation { createCourse(input: { code: "X", title: { zhCN: "x" } }) { errors { code } } }`, {}, { token: tok(a, 'learner') });
  expect(learner.body.errors?.[0].extensions?.code).toBe('FORBIDDEN');
  const dup = await mutate(t, tok(a, 'author'), 'createCourse', 'CreateCourseInput', { code: 'LIFE-1', title: { zhCN: '重复' } }, 'course { id }');
  expect(dup.errors[0]).toMatchObject({ code: 'DUPLICATE', path: ['input', 'code'] });
});

test('titles follow Accept-Language with a Chinese fallback; authors get both translations', async () => {
  const author = tok(a, 'author');
  const created = await mutateOk<{ course: { id: string } }>(t, author, 'createCourse', 'CreateCourseInput', { code: 'LANG-1', title: { zhCN: '礼仪', en: 'Etiquette' }, description: { zhCN: '只有中文' } }, 'course { id }');
  const q = `query($id: ID!) { course(id: $id) { title description titleTranslations { zhCN en } } }`;
  const en = await t.gql<{ course: Record<string, unknown> }>(q, { id: created.course.id }, { token: author, headers: { 'accept-language': 'en-US,en;q=0.9' } });
  expect(en.body.data?.course).toEqual({ title: 'Etiquette', description: '只有中文', titleTranslations: { zhCN: '礼仪', en: 'Etiquette' } });
  const zhRes = await t.gql<{ course: Record<string, unknown> }>(q, { id: created.course.id }, { token: author });
  expect(zhRes.body.data?.course.title).toBe('礼仪');
  const found = await gqlOk(t, '{ en: courses(filter: { search: "etiq" }) { nodes { code } } zh: courses(filter: { search: "礼仪" }) { nodes { code } } }', {}, author);
  expect(found).toEqual({ en: { nodes: [{ code: 'LANG-1' }] }, zh: { nodes: [{ code: 'LANG-1' }] } });
});

test("another tenant's course answers NOT_FOUND to reads and edits", async () => {
  const course = await buildCourse(t, tok(a, 'author'), 'PRIVATE-A', [1]);
  const bAdmin = tok(b, 'admin');
  for (const query of [`{ course(id: "${course.id}") { id } }`, `{ node(id: "${course.id}") { id } }`, `{ node(id: "${course.modules[0]}") { id } }`]) {
    const res = await t.gql(query, {}, { token: bAdmin });
    expect(res.body.errors?.[0].extensions?.code).toBe('NOT_FOUND');
  }
  for (const [name, type, input] of [
    ['updateCourse', 'UpdateCourseInput', { id: course.id, title: { zhCN: '偷改' } }],
    ['createCourseDraft', 'CourseIdInput', { id: course.id }],
    ['createModule', 'CreateModuleInput', { courseId: course.id, title: { zhCN: '偷加' } }],
    ['deleteActivity', 'DeleteContentInput', { id: course.activities[0][0] }],
  ] as const) {
    const res = await t.gql(`mutation M($input: ${type}!) { ${name}(input: $input) { errors { code } } }`, { input }, { token: bAdmin });
    expect(res.body.errors?.[0].extensions?.code).toBe('NOT_FOUND');
  }
  const list = await gqlOk(t, '{ courses(first: 100) { nodes { code } } }', {}, bAdmin);
  expect(list.courses.nodes).toEqual([]);
  const [row] = await t.owner.query(`SELECT title->>'zh-CN' AS title FROM course WHERE code = 'PRIVATE-A'`);
  expect(row.title).toBe('课程 PRIVATE-A');
});

test('authoring changes land in the audit log for org admins, not for learners', async () => {
  const course = await buildCourse(t, tok(a, 'author'), 'AUDIT-1', [1]);
  await mutateOk(t, tok(a, 'author'), 'updateCourse', 'UpdateCourseInput', { id: course.id, title: { zhCN: '新标题' } }, 'course { id }');
  const q = `query($id: String) { auditEvents(first: 50, filter: { entityId: $id }) { nodes { actor action before after } } }`;
  const events = (await gqlOk(t, q, { id: course.id }, tok(a, 'admin'))).auditEvents.nodes;
  expect(events.map((e: { action: string }) => e.action)).toEqual(['course.update', 'course.publish', 'course.create']);
  expect(events[0]).toMatchObject({ actor: `user:${a.users.author.externalId}`, before: { title: { 'zh-CN': '课程 AUDIT-1' } }, after: { title: { 'zh-CN': '新标题' } } });
  expect(events[1]).toMatchObject({ before: { status: 'DRAFT' }, after: { status: 'PUBLISHED' } });
  const activityEvents = (await gqlOk(t, q, { id: course.activities[0][0] }, tok(a, 'admin'))).auditEvents.nodes;
  expect(activityEvents[0]).toMatchObject({ action: 'activity.create', after: { kind: 'PAGE' } });
  const learner = await t.gql(q, { id: course.id }, { token: tok(a, 'learner') });
  expect(learner.body.errors?.[0].extensions?.code).toBe('FORBIDDEN');
});
