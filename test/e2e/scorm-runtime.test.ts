import { Role } from '../../src/shared/permissions';
import { startTestApp, type TestApp } from '../support/app';
import { blankCmi12, blankCmi2004, withValues } from '../support/cmi-fixtures';
import { gqlOk, userGid } from '../support/catalog';
import { commit, launch, manifest12, manifest2004, scormCourse, scormZip } from '../support/scorm-course';
import { seedOrg, type SeededOrg } from '../support/seed';

let t: TestApp;
let a: SeededOrg;
let author: string;
let admin: string;
let learner: string;
let graded: string;
let plain12: string;

beforeAll(async () => {
  t = await startTestApp();
  a = await seedOrg(t.owner, 'rt-a');
  await a.user('author', [Role.AUTHOR]);
  await a.user('admin', [Role.ORG_ADMIN]);
  const lu = await a.user('learner');
  [author, admin, learner] = await Promise.all(['author', 'admin', 'learner'].map((k) => t.token(a.id, `rt-a-${k}`)));
  graded = (await scormCourse(t, author, admin, await scormZip(manifest2004({ completionThreshold: 0.8, passingScore: 0.6 })), 'S2004', [userGid(lu)])).activityIds[0];
  plain12 = (await scormCourse(t, author, admin, await scormZip(manifest12({ masteryScore: 80 })), 'S12', [userGid(lu)])).activityIds[0];
});
afterAll(() => t.close());

const attemptRow = async (attemptGid: string) => {
  const id = Buffer.from(attemptGid, 'base64url').toString().split(':')[1];
  return ((await t.owner.query('SELECT * FROM activity_attempt WHERE id = $1', [id])) as Record<string, any>[])[0];
};
const progressOf = async (activityId: string) => {
  const id = Buffer.from(activityId, 'base64url').toString().split(':')[1];
  return ((await t.owner.query('SELECT p.* FROM activity_progress p JOIN activity a ON a.key = p.activity_key AND a.organization_id = p.organization_id WHERE a.id = $1', [id])) as Record<string, any>[])[0];
};

test('launch gives the player everything: version, URLs, the 2004 initial object with the manifest thresholds', async () => {
  const l = await launch(t, learner, graded);
  expect(l).toMatchObject({ version: 'SCORM_2004', entry: 'ab-initio', attemptNumber: 1 });
  expect(l.commitUrl).toMatch(/\/scorm\/commit\/[\w.-]+$/);
  expect(l.contentUrl).toMatch(/\/content\/[\w.-]+\/index\.html$/);
  expect(l.cmi).toMatchObject({ learner_id: 'rt-a-learner', learner_name: 'learner of rt-a', entry: 'ab-initio', mode: 'normal', credit: 'credit', completion_threshold: '0.8', scaled_passing_score: '0.6' });
  expect((await fetch(l.contentUrl)).status).toBe(200);
});

test('the server applies the thresholds itself, including the unknown outcomes, and never trusts total_time', async () => {
  const l = await launch(t, learner, graded);
  const says = (values: Record<string, string>) => withValues(blankCmi2004(), values);
  expect((await commit(l.commitUrl, says({ completion_status: 'completed', success_status: 'passed' }), 1)).body).toEqual({ result: true, errorCode: 0 });
  expect(await attemptRow(l.attemptId)).toMatchObject({ completion_status: 'unknown', success_status: 'unknown', status: 'OPEN' });
  await commit(l.commitUrl, says({ completion_status: 'completed', progress_measure: '0.5', 'score.scaled': '0.55', total_time: 'PT99H' }), 2);
  expect(await attemptRow(l.attemptId)).toMatchObject({ completion_status: 'incomplete', success_status: 'failed', total_time_seconds: 0 });
  await commit(l.commitUrl, says({ progress_measure: '0.8', 'score.scaled': '0.6', session_time: 'PT1M30S', exit: 'normal' }), 3, true);
  expect(await attemptRow(l.attemptId)).toMatchObject({ completion_status: 'completed', success_status: 'passed', total_time_seconds: 90, status: 'FINISHED' });
  expect(await progressOf(graded)).toMatchObject({ completion_status: 'completed', success_status: 'passed', completed: true });
});

test('a finished attempt is followed by a new one; the final commit counts session time once', async () => {
  const l = await launch(t, learner, graded);
  expect(l).toMatchObject({ attemptNumber: 2, entry: 'ab-initio' });
  const final = withValues(blankCmi2004(), { session_time: 'PT10S', exit: 'suspend', location: 'p3' });
  expect((await commit(l.commitUrl, final, 1, true)).body.result).toBe(true);
  expect((await commit(l.commitUrl, final, 1, true)).body.result).toBe(true);
  expect((await commit(l.commitUrl, final, undefined, true)).body.result).toBe(true);
  expect(await attemptRow(l.attemptId)).toMatchObject({ total_time_seconds: 10, status: 'SUSPENDED', location: 'p3' });
  // Attempt 2 knows nothing of the pass; the best state stays.
  expect(await progressOf(graded)).toMatchObject({ success_status: 'passed', completed: true, attempt_count: 2 });

  const resumed = await launch(t, learner, graded);
  expect(resumed).toMatchObject({ attemptNumber: 2, entry: 'resume' });
  expect(resumed.cmi).toMatchObject({ entry: 'resume', location: 'p3', total_time: 'PT10S' });
});

test('suspend_data of 64000 characters round-trips byte-identical; one more is refused, never truncated', async () => {
  const l = await launch(t, learner, graded);
  const data = ('状态😀\u0001\t"\\' + 'x'.repeat(100)).repeat(1000).slice(0, 64000);
  expect(data.length).toBe(64000);
  expect((await commit(l.commitUrl, withValues(blankCmi2004(), { suspend_data: data, exit: 'suspend' }), 1, true)).body).toEqual({ result: true, errorCode: 0 });
  const row = await attemptRow(l.attemptId);
  expect(row.suspend_data).toBe(data);
  const again = await launch(t, learner, graded);
  expect(again.cmi.suspend_data).toBe(data);
  const tooLong = await commit(again.commitUrl, withValues(blankCmi2004(), { suspend_data: `${data}x` }), 1);
  expect(tooLong.body).toMatchObject({ result: false, errorCode: 406 });
  expect((await attemptRow(again.attemptId)).suspend_data).toBe(data);
});

test('invalid values get the SCORM error code and change nothing', async () => {
  const l = await launch(t, learner, graded);
  const before = await attemptRow(l.attemptId);
  for (const [values, code] of [
    [{ completion_status: 'done' }, 406],
    [{ 'score.scaled': '1.5' }, 407],
    [{ progress_measure: 'lots' }, 406],
    [{ session_time: '10 minutes' }, 406],
    [{ 'interactions.0.type': 'choice' }, 408],
  ] as [Record<string, string>, number][]) {
    expect((await commit(l.commitUrl, withValues(blankCmi2004(), values), undefined)).body).toMatchObject({ result: false, errorCode: code });
  }
  const garbage = await fetch(l.commitUrl, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"cmi": ' });
  expect(await garbage.json()).toMatchObject({ result: false, errorCode: 391 });
  expect(await attemptRow(l.attemptId)).toEqual(before);
});

test('stale sequences are no-ops, and a superseded session is refused with a clear code', async () => {
  const first = await launch(t, learner, graded);
  await commit(first.commitUrl, withValues(blankCmi2004(), { location: 'five' }), 5);
  await commit(first.commitUrl, withValues(blankCmi2004(), { location: 'four' }), 4);
  expect((await attemptRow(first.attemptId)).location).toBe('five');
  const second = await launch(t, learner, graded);
  expect(second.attemptId).toBe(first.attemptId);
  // The first session ended without the content's Terminate: the learner resumes it.
  expect(second.entry).toBe('resume');
  const stale = await commit(first.commitUrl, withValues(blankCmi2004(), { location: 'old tab' }), 6);
  expect(stale.body).toMatchObject({ result: false, errorCode: 391, reason: expect.stringMatching(/^SUPERSEDED/) });
  expect((await attemptRow(first.attemptId)).location).toBe('five');
  const forged = await commit(`${second.commitUrl.slice(0, -3)}abc`, blankCmi2004(), 1);
  expect(forged.status).toBe(403);
});

test('SCORM 1.2: a 1.2-shaped launch, lesson_status mapping, mastery score decides success', async () => {
  const l = await launch(t, learner, plain12);
  expect(l.version).toBe('SCORM_12');
  expect(l.cmi.core).toMatchObject({ student_id: 'rt-a-learner', entry: 'ab-initio', lesson_status: 'not attempted' });
  expect(l.cmi.student_data).toMatchObject({ mastery_score: '80' });
  const body = withValues(blankCmi12(), { 'core.lesson_status': 'passed', 'core.score.raw': '70', 'core.session_time': '00:02:00', 'core.exit': '' });
  expect((await commit(l.commitUrl, body, 1, true)).body).toEqual({ result: true, errorCode: 0 });
  expect(await attemptRow(l.attemptId)).toMatchObject({ completion_status: 'completed', success_status: 'failed', total_time_seconds: 120, status: 'FINISHED' });
  const bad = await launch(t, learner, plain12);
  expect((await commit(bad.commitUrl, withValues(blankCmi12(), { 'core.lesson_status': 'done' }), 1)).body).toMatchObject({ result: false, errorCode: 405 });
});

test('the learner sees SCORM progress rolled up into the enrollment', async () => {
  const data = await gqlOk<{ viewer: { enrollments: { nodes: { progressPercent: number; course: { code: string } }[] } } }>(t,
    '{ viewer { enrollments { nodes { progressPercent course { code } } } } }', {}, learner);
  const s2004 = data.viewer.enrollments.nodes.find((n) => n.course.code === 'S2004');
  expect(s2004?.progressPercent).toBe(100);
});

test('the reference player page embeds scorm-again with a nonce-based CSP', async () => {
  const l = await launch(t, learner, graded);
  const page = await fetch(l.playerUrl);
  expect(page.status).toBe(200);
  const csp = page.headers.get('content-security-policy') ?? '';
  const nonce = /'nonce-([^']+)'/.exec(csp)?.[1];
  const html = await page.text();
  expect(html).toContain(`<script nonce="${nonce}">`);
  expect(html).toContain('/player/assets/scorm-again.min.js');
  expect(html).not.toContain('</script><script>alert');
  const script = await fetch(`${t.url}/player/assets/scorm-again.min.js`);
  expect(script.headers.get('content-type')).toMatch(/javascript/);
});
