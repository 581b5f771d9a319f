/**
 * SCORM as real packages use it (issue 11, and the commit route's part of issue 13): content that
 * only calls Initialize/Terminate, objectives declared in the manifest, failed quizzes, 1.2
 * scores, session time of abandoned sessions, a page closed under a running SCO, and the bodies
 * no element may carry.
 */
import { loadConfig } from '../../src/config';
import { Role } from '../../src/shared/permissions';
import { startTestApp, type TestApp } from '../support/app';
import { blankCmi12, blankCmi2004, withValues } from '../support/cmi-fixtures';
import { gqlOk, userGid } from '../support/catalog';
import { commit, launch, manifest12, manifest2004, scormCourse, scormZip } from '../support/scorm-course';
import { uploadPackage } from '../support/scorm-package';
import { seedOrg } from '../support/seed';

let t: TestApp;
let author: string;
let admin: string;
let learner: string;
let learnerGid: string;

/** Like the Golf sample "RunTimeAdvancedCalls": a primary objective satisfied by measure and four secondary ones. */
const OBJECTIVES_MANIFEST = manifest2004().replace('<title>第一课</title>', `<title>第一课</title>
  <imsss:sequencing><imsss:objectives>
    <imsss:primaryObjective objectiveID="PRIMARYOBJ" satisfiedByMeasure="true"><imsss:minNormalizedMeasure>0.8</imsss:minNormalizedMeasure></imsss:primaryObjective>
    <imsss:objective objectiveID="obj_etiquette"/><imsss:objective objectiveID="obj_handicapping"/>
  </imsss:objectives></imsss:sequencing>`);

const idOf = (gid: string): string => Buffer.from(gid, 'base64url').toString().split(':')[1];
const attemptRow = async (attemptGid: string) => ((await t.owner.query('SELECT * FROM activity_attempt WHERE id = $1', [idOf(attemptGid)])) as Record<string, any>[])[0];
const progressRow = async (activityGid: string) =>
  ((await t.owner.query('SELECT p.* FROM activity_progress p JOIN activity a ON a.key = p.activity_key AND a.organization_id = p.organization_id WHERE a.id = $1', [idOf(activityGid)])) as Record<string, any>[])[0];

/** A course of one package, assigned to the learner; `rule` replaces the activities' completion rule before anyone launches. */
async function course(code: string, manifest: string, rule?: { kind: string; threshold?: number }): Promise<{ courseId: string; activityIds: string[] }> {
  const built = await scormCourse(t, author, admin, await scormZip(manifest), code, [learnerGid]);
  if (rule) {
    await t.owner.query('UPDATE activity SET completion_kind = $1, completion_threshold = $2 WHERE id = ANY($3)', [rule.kind, rule.threshold ?? null, built.activityIds.map(idOf)]);
  }
  return built;
}

async function learnerProgress(courseId: string): Promise<{ completed: boolean; timeSpentSeconds: number; scoreMax: number | null; scoreScaled: number | null }> {
  const data = await gqlOk<{ course: { modules: { activities: { progress: any }[] }[] } }>(t,
    'query($id: ID!) { course(id: $id) { modules { activities { progress { completed timeSpentSeconds scoreMax scoreScaled } } } } }', { id: courseId }, learner);
  return data.course.modules[0].activities[0].progress;
}

beforeAll(async () => {
  t = await startTestApp();
  const org = await seedOrg(t.owner, 'field');
  await org.user('author', [Role.AUTHOR]);
  await org.user('admin', [Role.ORG_ADMIN]);
  learnerGid = userGid(await org.user('learner'));
  [author, admin, learner] = await Promise.all(['author', 'admin', 'learner'].map((k) => t.token(org.id, `field-${k}`)));
});
afterAll(() => t.close());

describe('the commit body reader refuses, for every element at once', () => {
  test('a commitSequence beyond the stored range, with a SCORM error instead of a 500 or a silent drop', async () => {
    const { activityIds } = await course('SEQ', manifest2004());
    const l = await launch(t, learner, activityIds[0]);
    for (const sequence of [2 ** 31, Number.MAX_SAFE_INTEGER]) {
      const answer = await commit(l.commitUrl, withValues(blankCmi2004(), { location: `at ${sequence}` }), sequence);
      expect(answer).toMatchObject({ status: 200, body: { result: false, errorCode: 391, reason: expect.stringMatching(/commitSequence/) } });
    }
    expect((await attemptRow(l.attemptId)).location).toBeNull();
    expect((await commit(l.commitUrl, withValues(blankCmi2004(), { location: 'last' }), 2 ** 31 - 1)).body).toEqual({ result: true, errorCode: 0 });
    expect((await attemptRow(l.attemptId)).location).toBe('last');
  });

  test('a NUL character in any value, which PostgreSQL cannot store, and nothing changes', async () => {
    const { activityIds } = await course('NUL', manifest12());
    const l = await launch(t, learner, activityIds[0]);
    await commit(l.commitUrl, withValues(blankCmi12(), { 'core.lesson_location': 'p1' }), 1);
    for (const values of [{ suspend_data: 'a\u0000b' } as Record<string, string>, { 'core.lesson_location': '\u0000' }, { 'interactions.0.id': 'q\u0000', 'interactions.0.type': 'choice' }]) {
      const answer = await commit(l.commitUrl, withValues(blankCmi12(), values), 2, true);
      expect(answer).toMatchObject({ status: 200, body: { result: false, errorCode: 101, reason: expect.stringMatching(/NUL/) } });
    }
    expect(await attemptRow(l.attemptId)).toMatchObject({ location: 'p1', status: 'OPEN' });
  });
});

test('the HTTP import spells versions as GraphQL does', async () => {
  for (const [manifest, version] of [[manifest12(), 'SCORM_12'], [manifest2004(), 'SCORM_2004']]) {
    const upload = await uploadPackage(t.url, await scormZip(manifest), author);
    expect(upload).toMatchObject({ status: 201, body: { package: { version } } });
  }
});

describe('content that only calls Initialize and Terminate completes', () => {
  test('SCORM 1.2: the LMS sets completed, or passed / failed against the mastery score', async () => {
    const plain = await course('MIN12', manifest12());
    const l = await launch(t, learner, plain.activityIds[0]);
    expect((await commit(l.commitUrl, blankCmi12(), 1, true)).body.result).toBe(true);
    expect(await attemptRow(l.attemptId)).toMatchObject({ completion_status: 'completed', status: 'FINISHED' });
    expect(await learnerProgress(plain.courseId)).toMatchObject({ completed: true });

    const mastery = await course('MIN12M', manifest12({ masteryScore: 80 }));
    const m = await launch(t, learner, mastery.activityIds[0]);
    await commit(m.commitUrl, withValues(blankCmi12(), { 'core.score.raw': '60' }), 1, true);
    expect(await attemptRow(m.attemptId)).toMatchObject({ completion_status: 'completed', success_status: 'failed' });
    const again = await launch(t, learner, mastery.activityIds[0]);
    await commit(again.commitUrl, withValues(blankCmi12(), { 'core.score.raw': '85' }), 1, true);
    expect(await attemptRow(again.attemptId)).toMatchObject({ completion_status: 'completed', success_status: 'passed' });
    expect(await learnerProgress(mastery.courseId)).toMatchObject({ completed: true });
  });

  test('SCORM 2004: with the default delivery controls the attempt is completed and satisfied; suspending decides nothing', async () => {
    const { courseId, activityIds } = await course('MIN2004', manifest2004());
    const l = await launch(t, learner, activityIds[0]);
    await commit(l.commitUrl, withValues(blankCmi2004(), { exit: 'suspend' }), 1, true);
    expect(await attemptRow(l.attemptId)).toMatchObject({ completion_status: 'unknown', success_status: 'unknown', status: 'SUSPENDED' });
    const resumed = await launch(t, learner, activityIds[0]);
    await commit(resumed.commitUrl, blankCmi2004(), 1, true);
    expect(await attemptRow(resumed.attemptId)).toMatchObject({ completion_status: 'completed', success_status: 'passed', status: 'FINISHED' });
    expect(await learnerProgress(courseId)).toMatchObject({ completed: true });

    const setByContent = manifest2004().replace('<title>第一课</title>',
      '<title>第一课</title><imsss:sequencing><imsss:deliveryControls completionSetByContent="true" objectiveSetByContent="true"/></imsss:sequencing>');
    const strict = await course('MIN2004C', setByContent);
    const s = await launch(t, learner, strict.activityIds[0]);
    await commit(s.commitUrl, blankCmi2004(), 1, true);
    expect(await attemptRow(s.attemptId)).toMatchObject({ completion_status: 'unknown', success_status: 'unknown' });
  });
});

describe('objectives declared in the manifest', () => {
  test('are in cmi.objectives at launch, kept per attempt, and the primary one decides success by measure', async () => {
    const { activityIds } = await course('OBJ', OBJECTIVES_MANIFEST);
    const l = await launch(t, learner, activityIds[0]);
    expect(Object.values(l.cmi.objectives).map((o: any) => o.id)).toEqual(['PRIMARYOBJ', 'obj_etiquette', 'obj_handicapping']);
    const reported = withValues(blankCmi2004(), {
      'objectives.0.id': 'PRIMARYOBJ', 'objectives.0.score.scaled': '0.9', 'objectives.0.completion_status': 'completed',
      'objectives.1.id': 'obj_etiquette', 'objectives.1.success_status': 'passed', 'objectives.2.id': 'obj_handicapping', exit: 'suspend',
    });
    await commit(l.commitUrl, reported, 1, true);
    expect(await attemptRow(l.attemptId)).toMatchObject({ success_status: 'passed', completion_status: 'completed', score_scaled: 0.9 });
    const resumed = await launch(t, learner, activityIds[0]);
    expect(Object.values(resumed.cmi.objectives)).toEqual([
      expect.objectContaining({ id: 'PRIMARYOBJ', completion_status: 'completed', score: { scaled: '0.9' } }),
      expect.objectContaining({ id: 'obj_etiquette', success_status: 'passed' }),
      expect.objectContaining({ id: 'obj_handicapping' }),
    ]);
    const low = withValues(reported, { 'objectives.0.score.scaled': '0.5', exit: '' });
    await commit(resumed.commitUrl, low, 1, true);
    expect(await attemptRow(l.attemptId)).toMatchObject({ success_status: 'failed', status: 'FINISHED' });
  });
});

test('VIEWED means completed and not failed: a failed quiz SCO does not count until it is passed', async () => {
  const { courseId, activityIds } = await course('FAILED', manifest2004());
  const l = await launch(t, learner, activityIds[0]);
  await commit(l.commitUrl, withValues(blankCmi2004(), { completion_status: 'completed', success_status: 'failed' }), 1, true);
  expect(await learnerProgress(courseId)).toMatchObject({ completed: false });
  const retry = await launch(t, learner, activityIds[0]);
  await commit(retry.commitUrl, withValues(blankCmi2004(), { completion_status: 'completed', success_status: 'passed' }), 1, true);
  expect(await learnerProgress(courseId)).toMatchObject({ completed: true });
});

test('SCORM 1.2 meets the SCORE rule: the scaled score is derived from raw, and scoreMax shows only when the SCO set it', async () => {
  const { courseId, activityIds } = await course('SCORE12', manifest12(), { kind: 'SCORE', threshold: 0.75 });
  const l = await launch(t, learner, activityIds[0]);
  await commit(l.commitUrl, withValues(blankCmi12(), { 'core.lesson_status': 'completed', 'core.score.raw': '70' }), 1, true);
  expect(await learnerProgress(courseId)).toEqual({ completed: false, timeSpentSeconds: 0, scoreMax: null, scoreScaled: 0.7 });
  const again = await launch(t, learner, activityIds[0]);
  await commit(again.commitUrl, withValues(blankCmi12(), { 'core.lesson_status': 'completed', 'core.score.raw': '40', 'core.score.max': '50' }), 1, true);
  expect(await learnerProgress(courseId)).toMatchObject({ completed: true, scoreMax: 50, scoreScaled: 0.8 });
});

test('times are shown in centiseconds, without float noise', async () => {
  const { courseId, activityIds } = await course('NOISE', manifest2004());
  for (const time of ['PT0.1S', 'PT0.2S']) {
    const l = await launch(t, learner, activityIds[0]);
    await commit(l.commitUrl, withValues(blankCmi2004(), { session_time: time, exit: 'suspend' }), 1, true);
  }
  expect((await progressRow(activityIds[0])).time_spent_seconds).not.toBe(0.3);
  expect((await learnerProgress(courseId)).timeSpentSeconds).toBe(0.3);
});

describe('an abandoned session keeps the learner where they were', () => {
  test('a crash after commits: the relaunch resumes there and counts the time reported so far', async () => {
    const { courseId, activityIds } = await course('CRASH', manifest2004());
    const l = await launch(t, learner, activityIds[0]);
    await commit(l.commitUrl, withValues(blankCmi2004(), { location: 'page-3', session_time: 'PT1M' }), 1);
    await commit(l.commitUrl, withValues(blankCmi2004(), { location: 'page-4', session_time: 'PT2M30S' }), 2);
    const relaunch = await launch(t, learner, activityIds[0]);
    expect(relaunch).toMatchObject({ attemptId: l.attemptId, entry: 'resume' });
    expect(relaunch.cmi).toMatchObject({ entry: 'resume', location: 'page-4', total_time: 'PT2M30S' });
    expect(await attemptRow(l.attemptId)).toMatchObject({ total_time_seconds: 150 });
    expect(await learnerProgress(courseId)).toMatchObject({ timeSpentSeconds: 150 });
    // The new session's own time is added once more at its end; the abandoned one is not counted twice.
    await commit(relaunch.commitUrl, withValues(blankCmi2004(), { location: 'page-5', session_time: 'PT30S', exit: 'suspend' }), 1, true);
    const third = await launch(t, learner, activityIds[0]);
    expect(third.cmi).toMatchObject({ location: 'page-5', total_time: 'PT3M' });
    expect(await learnerProgress(courseId)).toMatchObject({ timeSpentSeconds: 180 });
  });

  test("the player's closing snapshot keeps the attempt resumable, and the SCO's own Terminate after it still counts", async () => {
    const { activityIds } = await course('CLOSE', manifest2004());
    const l = await launch(t, learner, activityIds[0]);
    const closing = await commit(`${l.commitUrl}?closing=true`, withValues(blankCmi2004(), { location: 'page-7', session_time: 'PT40S' }), 1);
    expect(closing.body).toEqual({ result: true, errorCode: 0 });
    expect(await attemptRow(l.attemptId)).toMatchObject({ status: 'SUSPENDED', location: 'page-7', total_time_seconds: 0 });
    await commit(l.commitUrl, withValues(blankCmi2004(), { location: 'page-7', exit: 'suspend' }), 2, true);
    expect(await attemptRow(l.attemptId)).toMatchObject({ status: 'SUSPENDED', exit: 'suspend', total_time_seconds: 40 });
  });
});

test("a SCO's suspendAll navigation request suspends the attempt even without cmi.exit=suspend", async () => {
  const { activityIds } = await course('SUSPENDALL', manifest2004());
  const l = await launch(t, learner, activityIds[0]);
  const body = JSON.stringify({ cmi: withValues(blankCmi2004(), { location: 'p9' }), adl: { nav: { request: 'suspendAll' } }, commitSequence: 1 });
  const res = await fetch(`${l.commitUrl}?final=true`, { method: 'POST', headers: { 'content-type': 'text/plain' }, body });
  expect(await res.json()).toEqual({ result: true, errorCode: 0 });
  expect(await attemptRow(l.attemptId)).toMatchObject({ status: 'SUSPENDED', location: 'p9' });
  expect(await launch(t, learner, activityIds[0])).toMatchObject({ entry: 'resume', attemptId: l.attemptId });
});

test('the player navigation route refuses bad requests with a code, unknown tokens, and moves past the last SCO', async () => {
  const { activityIds } = await course('NAVROUTE', manifest2004());
  const l = await launch(t, learner, activityIds[0]);
  const navigate = (url: string, body: unknown) => fetch(`${url}/navigate`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  const bad = await navigate(l.playerUrl, { request: 'exitAll' });
  expect(bad.status).toBe(400);
  expect(JSON.stringify(await bad.json())).toMatch(/BAD_USER_INPUT/);
  expect((await navigate(l.playerUrl, { request: 'choice', target: 7 })).status).toBe(400);
  expect((await navigate(`${l.playerUrl.slice(0, -4)}abcd`, { request: 'continue' })).status).toBe(404);
  expect((await navigate(l.playerUrl, { request: 'continue' })).status).toBe(404);
  expect((await navigate(l.playerUrl, { request: 'choice', target: 'item1' })).status).toBe(404);
});

test('PLAYER_FRAME_ANCESTORS takes origins only: nothing that would end the CSP directive', () => {
  expect(loadConfig({ PLAYER_FRAME_ANCESTORS: 'https://lms.example.com http://localhost:4799' }).playerFrameAncestors).toEqual(['https://lms.example.com', 'http://localhost:4799']);
  for (const bad of ["https://lms.example.com; script-src 'unsafe-inline'", 'javascript:alert(1)', 'https://lms.example.com/path', ' ']) {
    expect(() => loadConfig({ PLAYER_FRAME_ANCESTORS: bad })).toThrow(/PLAYER_FRAME_ANCESTORS/);
  }
});

test('limitConditions attemptLimit: a finished attempt is the last one, with a clear code; a suspended one still resumes', async () => {
  const limited = manifest2004().replace('<title>第一课</title>', '<title>第一课</title><imsss:sequencing><imsss:limitConditions attemptLimit="1"/></imsss:sequencing>');
  const { activityIds } = await course('LIMIT', limited);
  const l = await launch(t, learner, activityIds[0]);
  await commit(l.commitUrl, withValues(blankCmi2004(), { exit: 'suspend' }), 1, true);
  const resumed = await launch(t, learner, activityIds[0]);
  expect(resumed).toMatchObject({ attemptId: l.attemptId, entry: 'resume' });
  await commit(resumed.commitUrl, blankCmi2004(), 1, true);
  const refused = await t.gql<{ launchActivity: { launch: unknown; errors: { code: string; message: string }[] } }>(
    'mutation($input: LaunchActivityInput!) { launchActivity(input: $input) { launch { attemptId } errors { code message } } }', { input: { activityId: activityIds[0] } }, { token: learner });
  expect(refused.body.data?.launchActivity).toEqual({ launch: null, errors: [{ code: 'LIMIT_REACHED', message: expect.stringMatching(/作答 1 次/) }] });
  expect(await attemptRow(l.attemptId)).toMatchObject({ status: 'FINISHED' });
});
