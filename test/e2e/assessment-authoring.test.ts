import { tobaccoSelfAssessment } from '../../src/modules/assessment/content';
import type { TestApp } from '../support/app';
import { EVERY_KIND, assessmentCourse, assessmentInfo, gradedDocument, saveAnswers, startAttempt, startAuthoringWorld, submitAttempt } from '../support/assessment';
import { gqlOk, mutate, mutateOk } from '../support/catalog';
import { seedPlatformAdmin, type SeededOrg } from '../support/seed';

let t: TestApp;
let a: SeededOrg;
let b: SeededOrg;
let author: string;
let learner: string;

beforeAll(async () => {
  ({ t, a, b, author, learner } = await startAuthoringWorld('author'));
});
afterAll(() => t.close());

const zh = (s: string) => ({ zhCN: s });
const authored = async (token: string, activityId: string) =>
  t.gql<{ authoredAssessment: { document: { settings: { passingScore: number } }; frozen: boolean } | null }>(`query($id: ID!) { authoredAssessment(activityId: $id) { activityId document frozen } }`, { id: activityId }, { token });
const setAssessment = (token: string, activityId: string, assessment: unknown) =>
  mutate(t, token, 'setAssessment', 'SetAssessmentInput', { activityId, assessment }, 'assessment { document frozen }');

async function draftActivity(code: string, kind = 'ASSESSMENT'): Promise<{ courseId: string; activityId: string }> {
  const course = await mutateOk(t, author, 'createCourse', 'CreateCourseInput', { code, title: zh(code) }, 'course { id }');
  const mod = await mutateOk(t, author, 'createModule', 'CreateModuleInput', { courseId: course.course.id, title: zh('一') }, 'module { id }');
  const activity = await mutateOk(t, author, 'createActivity', 'CreateActivityInput', { moduleId: mod.module.id, kind, title: zh('测验'), ...(kind === 'PAGE' ? { page: { html: '<p>x</p>' } } : {}) }, 'activity { id }');
  return { courseId: course.course.id, activityId: activity.activity.id };
}

test('documents are checked for form and authoring rules; a refused one stores nothing', async () => {
  const { activityId } = await draftActivity('AUTH-CHECK');
  const single = EVERY_KIND[0] as { options: object[] };
  const twoCorrect = gradedDocument({}, [{ ...single, options: single.options.map((o) => ({ ...o, correct: true })) }]);
  const cases: [unknown, string[]][] = [
    ['not a document', ['input', 'assessment']],
    [{ ...gradedDocument(), questions: [null] }, ['input', 'assessment', 'questions', '0']],
    [{ ...gradedDocument(), questions: [{ ...single, options: [null, 1] }] }, ['input', 'assessment', 'questions', '0', 'options', '0']],
    [{ ...gradedDocument(), questions: [{ ...single, kind: 'ESSAY' }] }, ['input', 'assessment', 'questions', '0', 'kind']],
    [{ ...gradedDocument(), settings: { ...gradedDocument().settings as object, reviewPolicy: 'all' } }, ['input', 'assessment', 'settings', 'reviewPolicy']],
    [twoCorrect, ['input', 'assessment', 'questions', '0', 'options']],
    [gradedDocument({ passingScore: 120 }), ['input', 'assessment', 'settings', 'passingScore']],
  ];
  for (const [document, path] of cases) {
    const res = await setAssessment(author, activityId, document);
    expect({ path, first: res.errors[0]?.path.slice(0, path.length) }).toEqual({ path, first: path });
  }
  expect((await authored(author, activityId)).body.data!.authoredAssessment).toBeNull();
  const { activityId: pageId } = await draftActivity('AUTH-PAGE', 'PAGE');
  expect((await setAssessment(author, pageId, gradedDocument())).errors[0]).toMatchObject({ code: 'INVALID', path: ['input', 'activityId'] });
  const denied = await t.gql(`mutation($i: SetAssessmentInput!) { setAssessment(input: $i) { errors { code } } }`, { i: { activityId, assessment: gradedDocument() } }, { token: learner });
  expect(denied.body.errors?.[0].extensions?.code).toBe('FORBIDDEN');
  const otherTenant = await t.gql(`mutation($i: SetAssessmentInput!) { setAssessment(input: $i) { errors { code } } }`, { i: { activityId, assessment: gradedDocument() } }, { token: await t.token(b.id, b.users.author.externalId) });
  expect(otherTenant.body.errors?.[0].extensions?.code).toBe('NOT_FOUND');
});

test('set in a draft (unknown fields dropped, audited), frozen when published, copied into the next draft', async () => {
  const { courseId, activityId } = await draftActivity('AUTH-FREEZE');
  const document = gradedDocument();
  const res = await setAssessment(author, activityId, { ...document, junk: 'x', questions: (document.questions as object[]).map((q) => ({ ...q, extra: 1 })) });
  expect(res.errors).toEqual([]);
  const stored = (await authored(author, activityId)).body.data!.authoredAssessment!;
  expect(stored).toMatchObject({ frozen: false, document });
  expect(JSON.stringify(stored.document)).not.toMatch(/junk|extra/);
  expect((await authored(learner, activityId)).body.errors?.[0].extensions?.code).toBe('FORBIDDEN');
  const [audit] = await t.owner.query(`SELECT before, after FROM audit_event WHERE action = 'assessment.set' AND entity_id = (SELECT id::text FROM activity WHERE course_id = (SELECT id FROM course WHERE code = 'AUTH-FREEZE'))`);
  expect(audit).toMatchObject({ before: null, after: { key: 'e2e-quiz' } });

  await mutateOk(t, author, 'publishCourse', 'CourseIdInput', { id: courseId }, 'course { id }');
  expect((await authored(author, activityId)).body.data!.authoredAssessment!.frozen).toBe(true);
  expect((await setAssessment(author, activityId, gradedDocument({ passingScore: 10 }))).errors[0]).toMatchObject({ code: 'FROZEN', path: ['input', 'activityId'] });

  await mutateOk(t, author, 'createCourseDraft', 'CourseIdInput', { id: courseId }, 'course { id }');
  const draft = await gqlOk(t, `query($id: ID!) { node(id: $id) { ... on Course { draftRevision { modules { activities { id } } } } } }`, { id: courseId }, author);
  const draftId = draft.node.draftRevision.modules[0].activities[0].id;
  expect((await authored(author, draftId)).body.data!.authoredAssessment).toMatchObject({ frozen: false, document });
  expect((await setAssessment(author, draftId, gradedDocument({ passingScore: 10 }))).errors).toEqual([]);
  expect((await authored(author, activityId)).body.data!.authoredAssessment!.document.settings.passingScore).toBe(60);
});

test('templates carry assessments into adopted courses; learners cannot read template content', async () => {
  const root = await t.token(undefined, await seedPlatformAdmin(t.owner));
  const quiz = (assessment: unknown) => ({
    code: 'tpl-quiz', title: zh('模板'), modules: [{ title: zh('一'), activities: [{ kind: 'ASSESSMENT', title: zh('测验'), assessment }] }],
  });
  const bad = await mutate(t, root, 'publishCourseTemplate', 'PublishCourseTemplateInput', quiz(gradedDocument({ gradingMethod: 'BEST' })), 'template { id }');
  expect(bad.errors[0].path).toEqual(['input', 'modules', '0', 'activities', '0', 'assessment', 'settings', 'gradingMethod']);
  const tpl = await mutateOk(t, root, 'publishCourseTemplate', 'PublishCourseTemplateInput', quiz(gradedDocument()), 'template { id }');
  const adopted = await mutateOk(t, author, 'adoptCourseTemplate', 'AdoptCourseTemplateInput', { templateId: tpl.template.id }, 'course { id draftRevision { modules { activities { id } } } }');
  const activityId = adopted.course.draftRevision.modules[0].activities[0].id;
  expect((await authored(author, activityId)).body.data!.authoredAssessment!.document).toEqual(gradedDocument());

  const courseId = adopted.course.id;
  await mutateOk(t, author, 'updateCourse', 'UpdateCourseInput', { id: courseId, selfEnrollment: true }, 'course { id }');
  await mutateOk(t, author, 'publishCourse', 'CourseIdInput', { id: courseId }, 'course { id }');
  const peek = await t.gql(`query($id: ID!) { node(id: $id) { ... on Course { sourceTemplate { versions { content } } } } }`, { id: courseId }, { token: learner });
  expect(peek.body.errors?.[0].extensions?.code).toBe('FORBIDDEN');
  expect(JSON.stringify(peek.body)).not.toContain('plum');
});

test('a self-assessment: the sum of the scale items, with the band and its interpretation shown to the learner', async () => {
  const { activityId } = await assessmentCourse(t, author, 'AUTH-SELF', tobaccoSelfAssessment, [a.users.learner], { kind: 'VIEWED' });
  const { attempt } = await startAttempt(t, learner, activityId);
  expect(attempt!.questions).toHaveLength(9);
  expect(attempt!.questions[0]).toMatchObject({ kind: 'SCALE', scaleFrom: 10, scaleTo: 1, leftPole: expect.any(String), rightPole: expect.any(String) });
  await saveAnswers(t, learner, attempt!.id, attempt!.questions.map((q: { key: string }, i: number) => ({ questionId: q.key, scale: i < 5 ? 6 : 5 })));
  const { attempt: done } = await submitAttempt(t, learner, attempt!.id);
  expect(done!.result).toMatchObject({ raw: 50, min: 9, max: 90, passed: null, successStatus: 'UNKNOWN', band: { min: 45, max: 71, label: '需提升人际技巧' } });
  expect(done!.result?.band?.interpretation).toContain('人际关系技巧');
  expect(done!.questions[0].review).toMatchObject({ correctness: 'NEUTRAL', correctAnswer: null, scaleScore: 6 });
  const info = await assessmentInfo(t, learner, activityId);
  expect(info.progress).toMatchObject({ completionStatus: 'COMPLETED', successStatus: 'UNKNOWN', scoreRaw: 50, completed: true });
});
