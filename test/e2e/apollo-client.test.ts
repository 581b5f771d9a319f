import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { ApolloClient, HttpLink, InMemoryCache, type OperationVariables, type TypedDocumentNode } from '@apollo/client';
import { print } from 'graphql';
import { Role } from '../../src/shared/permissions';
import { startTestApp, type TestApp } from '../support/app';
import { toGlobalId } from '../../src/shared/ids';
import { gradedDocument } from '../support/assessment';
import { addPage, assign, mutateOk } from '../support/catalog';
import { seedOrg } from '../support/seed';
import {
  AttemptQuery, CatalogQuery, CoursePageQuery, RecordProgressMutation, SaveAnswersMutation, StartAttemptMutation, SubmitAttemptMutation,
} from '../client/operations';

/*
 * A learner front end as it is built: Apollo Client 4 with a default InMemoryCache (no type
 * policies) over HTTP, through operations typed by graphql-codegen's client preset from the
 * committed schema. After every step what the cache answers must equal what the server sends
 * now: a merged object (two options keyed "a") or a stale count fails it.
 */

const ROOT = path.resolve(__dirname, '../..');
let t: TestApp;
let client: ApolloClient;
let token: string;
let warnings: jest.SpyInstance;

const zh = (s: string) => ({ zhCN: s, en: `${s} (en)` });
const text = (s: string) => ({ 'zh-CN': s, en: `${s} (en)` });
/** Two questions whose options share their keys ("a", "b") but not their texts. */
const QUESTIONS = [
  { id: 'colour', kind: 'SINGLE_CHOICE', prompt: text('颜色'), points: 1, tags: [], options: [{ id: 'a', text: text('红'), correct: false }, { id: 'b', text: text('蓝'), correct: true }] },
  { id: 'animal', kind: 'SINGLE_CHOICE', prompt: text('动物'), points: 1, tags: [], options: [{ id: 'a', text: text('猫'), correct: true }, { id: 'b', text: text('狗'), correct: false }] },
];
const quiz = () => gradedDocument({ attemptsAllowed: 2, reviewPolicy: { show: 'FEEDBACK', when: 'IMMEDIATELY' } }, QUESTIONS);

/** A published course: module 1 holds a page and a quiz, module 2 another quiz with the same question keys. */
async function course(author: string): Promise<{ courseId: string; pageId: string; quizIds: string[] }> {
  const created = await mutateOk(t, author, 'createCourse', 'CreateCourseInput', { code: 'APOLLO', title: zh('前端课程') }, 'course { id }');
  const courseId = created.course.id;
  const quizIds: string[] = [];
  let pageId = '';
  for (const title of ['第一章', '第二章']) {
    const mod = await mutateOk(t, author, 'createModule', 'CreateModuleInput', { courseId, title: zh(title) }, 'module { id }');
    if (!pageId) pageId = await addPage(t, author, mod.module.id, '欢迎');
    const activity = await mutateOk(t, author, 'createActivity', 'CreateActivityInput', { moduleId: mod.module.id, kind: 'ASSESSMENT', title: zh(`${title}测验`) }, 'activity { id }');
    await mutateOk(t, author, 'setAssessment', 'SetAssessmentInput', { activityId: activity.activity.id, assessment: quiz() }, 'assessment { activityId }');
    quizIds.push(activity.activity.id);
  }
  await mutateOk(t, author, 'publishCourse', 'CourseIdInput', { id: courseId }, 'course { id }');
  return { courseId, pageId, quizIds };
}

/** What the server sends now for `query` (the document as Apollo sends it, __typename included), bypassing the cache. */
async function serverSays<T, V extends OperationVariables>(query: TypedDocumentNode<T, V>, variables?: V): Promise<T> {
  const res = await t.gql<T>(print(client.cache.transformDocument(query)), variables, { token });
  expect(res.body.errors).toBeUndefined();
  return res.body.data as T;
}

/** The cache, read without the network, answers exactly what the server sends now. */
async function expectCacheCurrent<T, V extends OperationVariables>(query: TypedDocumentNode<T, V>, variables?: V): Promise<T> {
  const cached = client.readQuery<T, V>({ query, variables } as never);
  expect(cached).toEqual(await serverSays(query, variables));
  return cached as T;
}

beforeAll(async () => {
  t = await startTestApp();
  const org = await seedOrg(t.owner, 'apollo');
  const author = await org.user('author', [Role.AUTHOR, Role.HR]);
  const learner = await org.user('learner');
  const authorToken = await t.token(org.id, author.externalId);
  token = await t.token(org.id, learner.externalId);
  const built = await course(authorToken);
  await assign(t, authorToken, built.courseId, [learner]);
  Object.assign(ids, built);
  client = new ApolloClient({ link: new HttpLink({ uri: `${t.url}/graphql`, headers: { authorization: `Bearer ${token}` } }), cache: new InMemoryCache() });
  // Apollo reports cache data it had to drop (an object without id replaced by another) as a warning.
  warnings = jest.spyOn(console, 'warn');
});
afterAll(async () => {
  warnings?.mockRestore();
  client?.stop();
  await t?.close();
});

const ids = { courseId: '', pageId: '', quizIds: [] as string[] };

test('the typed operations are generated from the committed schema and are current', async () => {
  // Fails when schema/schema.graphql or test/client/operations.ts changed without `npx graphql-codegen`.
  await promisify(execFile)(path.join(ROOT, 'node_modules/.bin/graphql-codegen'), ['--config', 'codegen.ts', '--check', '--silent'], { cwd: ROOT });
}, 60_000);

test('the learner catalog: the cache answers what the server sent', async () => {
  const { data } = await client.query({ query: CatalogQuery, variables: { first: 20 } });
  const activities = data!.courses.nodes[0].modules.flatMap((m) => m.activities);
  expect(activities.map((a) => a.kind)).toEqual(['PAGE', 'ASSESSMENT', 'ASSESSMENT']);
  expect(activities[1].assessment).toMatchObject({ viewerAttemptsRemaining: 2, viewerAttempts: [] });
  await expectCacheCurrent(CatalogQuery, { first: 20 });
});

test('recordActivityProgress returns the activity with its progress: the cached catalog updates without a refetch', async () => {
  const { data } = await client.mutate({ mutation: RecordProgressMutation, variables: { input: { activityId: ids.pageId, completed: true } } });
  expect(data!.recordActivityProgress.errors).toEqual([]);
  expect(data!.recordActivityProgress.activity!.progress).toMatchObject({ completed: true, completionStatus: 'COMPLETED' });
  const catalog = await expectCacheCurrent(CatalogQuery, { first: 20 });
  expect(catalog.courses.nodes[0].modules[0].activities[0].progress).toMatchObject({ completed: true });
});

test('a whole attempt (start, answer, submit) and a second quiz with the same keys: the cache answers what the server sent', async () => {
  const [quiz1, quiz2] = ids.quizIds;
  const started = await client.mutate({ mutation: StartAttemptMutation, variables: { input: { activityId: quiz1 } } });
  const attempt = started.data!.startAttempt.attempt!;
  expect(started.data!.startAttempt.activity!.assessment).toMatchObject({ viewerAttemptsRemaining: 1 });
  // The attempt screen loads it by id once (a cache miss: Apollo cannot know node(id) is that attempt).
  await client.query({ query: AttemptQuery, variables: { id: attempt.id } });
  await expectCacheCurrent(AttemptQuery, { id: attempt.id });
  await expectCacheCurrent(CatalogQuery, { first: 20 });

  const other = await client.mutate({ mutation: StartAttemptMutation, variables: { input: { activityId: quiz2 } } });
  await client.query({ query: AttemptQuery, variables: { id: other.data!.startAttempt.attempt!.id } });
  await client.mutate({ mutation: SaveAnswersMutation, variables: { input: { attemptId: other.data!.startAttempt.attempt!.id, answers: [{ questionId: 'colour', optionId: 'a' }] } } });

  const saved = await client.mutate({ mutation: SaveAnswersMutation, variables: { input: { attemptId: attempt.id, answers: [{ questionId: 'colour', optionId: 'b' }, { questionId: 'animal', optionId: 'a' }] } } });
  expect(saved.data!.saveAnswers.errors).toEqual([]);
  const submitted = await client.mutate({ mutation: SubmitAttemptMutation, variables: { input: { attemptId: attempt.id } } });
  expect(submitted.data!.submitAttempt.attempt).toMatchObject({ status: 'SUBMITTED', result: { percent: 100, passed: true } });
  expect(submitted.data!.submitAttempt.activity).toMatchObject({ assessment: { viewerAttemptsRemaining: 1 }, progress: { successStatus: 'PASSED' } });

  const cached = await expectCacheCurrent(AttemptQuery, { id: attempt.id });
  const questions = cached.node?.__typename === 'AssessmentAttempt' ? cached.node.questions : [];
  const texts = Object.fromEntries(questions.map((q) => [q.key, q.options!.map((o) => o.text).sort()]));
  expect(texts).toEqual({ colour: ['红', '蓝'], animal: ['狗', '猫'] });
  expect(questions.find((q) => q.key === 'colour')!.response).toMatchObject({ optionId: 'b' });
  await expectCacheCurrent(AttemptQuery, { id: other.data!.startAttempt.attempt!.id });
  await expectCacheCurrent(CatalogQuery, { first: 20 });
  expect(warnings).not.toHaveBeenCalled();
});

test('a missing or forbidden id answers null beside the other fields, with a NOT_FOUND error naming its path', async () => {
  const missing = toGlobalId('Course', '00000000-0000-4000-8000-000000000000');
  const { data, error } = await client.query({ query: CoursePageQuery, variables: { id: missing, userId: toGlobalId('User', '00000000-0000-4000-8000-000000000001') }, errorPolicy: 'all' });
  expect(data).toEqual({ viewer: expect.objectContaining({ roles: ['LEARNER'] }), course: null, node: null, user: null });
  const errors = (error as unknown as { errors: { path: string[]; extensions: { code: string } }[] }).errors;
  expect(errors.map((e) => [e.path[0], e.extensions.code]).sort()).toEqual([['course', 'NOT_FOUND'], ['node', 'NOT_FOUND'], ['user', 'NOT_FOUND']]);
});
