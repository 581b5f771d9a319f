import { Role } from '../../src/shared/permissions';
import { signToken } from '../../src/shared/signed-token';
import { newId, toGlobalId } from '../../src/shared/ids';
import { startTestApp, TEST_SERVER_SECRET, type TestApp } from '../support/app';
import { blankCmi2004, withValues } from '../support/cmi-fixtures';
import { gqlOk, mutateOk, userGid } from '../support/catalog';
import { commit, launch, manifest2004, scormCourse, scormZip } from '../support/scorm-course';
import { seedOrg, type SeededOrg } from '../support/seed';
import { watchQueries } from '../support/pg-spy';

// How a commit is stored: one statement on the database (scorm_commit), judged before it is sent.
let t: TestApp;
let a: SeededOrg;
let author: string;
let admin: string;
let activityId: string;
let courseId: string;

beforeAll(async () => {
  t = await startTestApp();
  a = await seedOrg(t.owner, 'store-a');
  await a.user('author', [Role.AUTHOR]);
  await a.user('admin', [Role.ORG_ADMIN]);
  [author, admin] = await Promise.all(['author', 'admin'].map((k) => t.token(a.id, `store-a-${k}`)));
  const first = await a.user('first');
  const course = await scormCourse(t, author, admin, await scormZip(manifest2004({ passingScore: 0.5 })), 'STORE', [userGid(first)]);
  [activityId, courseId] = [course.activityIds[0], course.courseId];
});
afterAll(() => t.close());

const rawId = (gid: string): string => Buffer.from(gid, 'base64url').toString().split(':')[1];
const attemptRow = async (attemptGid: string) =>
  ((await t.owner.query('SELECT * FROM activity_attempt WHERE id = $1', [rawId(attemptGid)])) as Record<string, any>[])[0];
const sessionsOf = async (attemptGid: string) =>
  (await t.owner.query('SELECT commit_sequence, finished_at, superseded FROM scorm_session WHERE attempt_id = $1 ORDER BY created_at', [rawId(attemptGid)])) as Record<string, any>[];

/** A learner assigned to the course, with a token. */
async function learner(name: string): Promise<{ token: string; enrollmentId: string }> {
  const u = await a.user(name);
  await mutateOk(t, admin, 'assignCourse', 'AssignCourseInput', { courseId, userIds: [userGid(u)] }, 'enrollments { id }');
  const token = await t.token(a.id, `store-a-${name}`);
  const data = await gqlOk<{ viewer: { enrollments: { nodes: { id: string }[] } } }>(t, '{ viewer { enrollments { nodes { id } } } }', {}, token);
  return { token, enrollmentId: data.viewer.enrollments.nodes[0].id };
}

test('a commit is one statement: validated first, then stored and committed in one round trip', async () => {
  const { token } = await learner('one-trip');
  const l = await launch(t, token, activityId);
  const body = withValues(blankCmi2004(), { location: 'p1', 'score.scaled': '0.7', progress_measure: '0.4' });
  const { sent } = await watchQueries(async () => expect((await commit(l.commitUrl, body, 1)).body).toEqual({ result: true, errorCode: 0 }));
  expect(sent).toEqual([expect.stringMatching(/^SELECT scorm_commit\(/)]);
  expect(await attemptRow(l.attemptId)).toMatchObject({ location: 'p1', success_status: 'passed', score_scaled: 0.7 });
  // An invalid commit never reaches the database.
  const { sent: invalid } = await watchQueries(async () => expect((await commit(l.commitUrl, withValues(blankCmi2004(), { completion_status: 'done' }), 2)).body).toMatchObject({ errorCode: 406 }));
  expect(invalid).toEqual([]);
  // Operators see outcomes in the metrics.
  const metrics = await (await fetch(`${t.url}/metrics`)).text();
  expect(metrics).toMatch(/coursegraph_scorm_commits_total\{outcome="STORED"\} [1-9]/);
  expect(metrics).toMatch(/coursegraph_scorm_commits_total\{outcome="INVALID_VALUE"\} [1-9]/);
});

test('session time adds up exactly across sessions, counted once per session', async () => {
  const { token } = await learner('drift');
  let attemptId = '';
  for (let i = 0; i < 3; i++) {
    const l = await launch(t, token, activityId);
    attemptId = l.attemptId;
    const final = withValues(blankCmi2004(), { session_time: 'PT0.1S', exit: 'suspend' });
    for (let repeat = 0; repeat < 2; repeat++) expect((await commit(l.commitUrl, final, 1, true)).body.result).toBe(true);
  }
  // 0.1 + 0.1 + 0.1 in floating point is 0.30000000000000004; the total is kept to centiseconds.
  expect(await attemptRow(attemptId)).toMatchObject({ total_time_seconds: 0.3, status: 'SUSPENDED', number: 1 });
  const progress = (await t.owner.query('SELECT time_spent_seconds FROM activity_progress p JOIN enrollment e ON e.id = p.enrollment_id JOIN app_user u ON u.id = e.user_id WHERE u.external_id = $1', ['store-a-drift'])) as { time_spent_seconds: number }[];
  expect(progress[0].time_spent_seconds).toBeCloseTo(0.3, 10);
});

test('concurrent commits of one session keep the highest sequence, whatever order they land in', async () => {
  const { token } = await learner('racer');
  const l = await launch(t, token, activityId);
  const answers = await Promise.all(Array.from({ length: 12 }, (_, i) => commit(l.commitUrl, withValues(blankCmi2004(), { location: `page-${i + 1}` }), i + 1)));
  expect(answers.every((r) => r.body.result)).toBe(true);
  expect((await attemptRow(l.attemptId)).location).toBe('page-12');
  expect((await sessionsOf(l.attemptId))[0].commit_sequence).toBe(12);
});

test('a relaunch racing commits of the old session: each commit is stored before it, or refused as superseded', async () => {
  const { token } = await learner('relauncher');
  const first = await launch(t, token, activityId);
  const commits = Array.from({ length: 8 }, (_, i) => commit(first.commitUrl, withValues(blankCmi2004(), { location: `old-${i + 1}` }), i + 1));
  const [second] = await Promise.all([launch(t, token, activityId), ...commits]);
  const answers = await Promise.all(commits);
  for (const r of answers) expect(r.body.result ? r.body : r.body.reason).toEqual(r.body.result ? { result: true, errorCode: 0 } : expect.stringMatching(/^SUPERSEDED/));
  const stored = (await attemptRow(first.attemptId)).location as string | null;
  const accepted = answers.map((r, i) => (r.body.result ? i + 1 : 0)).filter(Boolean);
  expect(stored).toBe(accepted.length ? `old-${Math.max(...accepted)}` : null);
  expect((await commit(first.commitUrl, withValues(blankCmi2004(), { location: 'late' }), 99)).body.reason).toMatch(/^SUPERSEDED/);
  expect((await commit(second.commitUrl, withValues(blankCmi2004(), { location: 'new tab' }), 1)).body.result).toBe(true);
  expect((await attemptRow(first.attemptId)).location).toBe('new tab');
});

test('a withdrawn enrollment refuses commits and nothing is written', async () => {
  const { token, enrollmentId } = await learner('leaver');
  const l = await launch(t, token, activityId);
  await commit(l.commitUrl, withValues(blankCmi2004(), { location: 'before' }), 1);
  await mutateOk(t, admin, 'withdrawEnrollment', 'WithdrawEnrollmentInput', { id: enrollmentId }, 'enrollment { id }');
  const before = await attemptRow(l.attemptId);
  const refused = await commit(l.commitUrl, withValues(blankCmi2004(), { location: 'after', 'score.scaled': '0.9' }), 2, true);
  expect(refused.body).toMatchObject({ result: false, errorCode: 391, reason: expect.stringMatching(/^WITHDRAWN/) });
  expect(await attemptRow(l.attemptId)).toEqual(before);
  expect((await sessionsOf(l.attemptId))[0]).toMatchObject({ commit_sequence: 1, finished_at: null });
});

test('withdrawing ends the open session: its reported time counts once, a later reassignment resumes in a new session', async () => {
  const { token, enrollmentId } = await learner('withdrawn-mid-session');
  const l = await launch(t, token, activityId);
  expect((await commit(l.commitUrl, withValues(blankCmi2004(), { location: 'p3', session_time: 'PT42S' }), 1)).body.result).toBe(true);
  expect((await attemptRow(l.attemptId)).total_time_seconds).toBe(0);
  await mutateOk(t, admin, 'withdrawEnrollment', 'WithdrawEnrollmentInput', { id: enrollmentId }, 'enrollment { id }');
  // The open player's session is over, and the 42 s it reported are kept (as a relaunch keeps an abandoned session's).
  expect(await sessionsOf(l.attemptId)).toEqual([expect.objectContaining({ superseded: true, finished_at: null })]);
  expect((await attemptRow(l.attemptId)).total_time_seconds).toBe(42);
  const [spent] = (await t.owner.query('SELECT time_spent_seconds FROM activity_progress WHERE enrollment_id = $1', [rawId(enrollmentId)])) as { time_spent_seconds: number }[];
  expect(spent.time_spent_seconds).toBe(42);
  // Its final commit arrives after the withdrawal: refused, and the time is not counted twice.
  const late = await commit(l.commitUrl, withValues(blankCmi2004(), { location: 'p4', session_time: 'PT50S' }), 2, true);
  expect(late.body).toMatchObject({ result: false, reason: expect.stringMatching(/^WITHDRAWN/) });
  expect(await attemptRow(l.attemptId)).toMatchObject({ total_time_seconds: 42, location: 'p3' });
  // Assigned again: the old URL stays refused (superseded now), a new launch resumes the attempt where it was.
  await mutateOk(t, admin, 'assignCourse', 'AssignCourseInput', { courseId, userIds: [toGlobalId('User', (await attemptRow(l.attemptId)).user_id as string)] }, 'enrollments { id }');
  expect((await commit(l.commitUrl, withValues(blankCmi2004(), { location: 'p5' }), 3)).body.reason).toMatch(/^SUPERSEDED/);
  const again = await launch(t, token, activityId);
  expect(again.attemptId).toBe(l.attemptId);
  expect((await commit(again.commitUrl, withValues(blankCmi2004(), { location: 'p6', session_time: 'PT8S' }), 1, true)).body.result).toBe(true);
  expect(await attemptRow(l.attemptId)).toMatchObject({ total_time_seconds: 50, location: 'p6' });
});

test('the first commit creates the progress row, later ones merge into it and never regress; completing rolls the enrollment up', async () => {
  const { token, enrollmentId } = await learner('merger');
  const l = await launch(t, token, activityId);
  const progress = async () => ((await t.owner.query('SELECT completion_status, success_status, score_scaled, progress_measure, completed FROM activity_progress WHERE enrollment_id = $1', [rawId(enrollmentId)])) as Record<string, unknown>[]);
  const enrollment = async () => ((await t.owner.query('SELECT status, progress_percent FROM enrollment WHERE id = $1', [rawId(enrollmentId)])) as Record<string, unknown>[])[0];
  expect(await progress()).toEqual([]);
  expect((await commit(l.commitUrl, withValues(blankCmi2004(), { completion_status: 'incomplete', 'score.scaled': '0.3', progress_measure: '0.6' }), 1)).body.result).toBe(true);
  expect(await progress()).toEqual([{ completion_status: 'incomplete', success_status: 'failed', score_scaled: 0.3, progress_measure: 0.6, completed: false }]);
  // A lower score and progress later in the session do not lower what was reached.
  expect((await commit(l.commitUrl, withValues(blankCmi2004(), { completion_status: 'incomplete', 'score.scaled': '0.1', progress_measure: '0.2' }), 2)).body.result).toBe(true);
  expect(await progress()).toEqual([{ completion_status: 'incomplete', success_status: 'failed', score_scaled: 0.3, progress_measure: 0.6, completed: false }]);
  expect(await enrollment()).toMatchObject({ status: 'IN_PROGRESS', progress_percent: 0 });
  expect((await commit(l.commitUrl, withValues(blankCmi2004(), { completion_status: 'completed', 'score.scaled': '0.8', progress_measure: '1' }), 3)).body.result).toBe(true);
  expect(await progress()).toEqual([{ completion_status: 'completed', success_status: 'passed', score_scaled: 0.8, progress_measure: 1, completed: true }]);
  expect(await enrollment()).toEqual({ status: 'COMPLETED', progress_percent: 100 });
});

test('a launch racing a withdrawal opens no session under it: it waits for the withdrawal and is refused', async () => {
  const { token, enrollmentId } = await learner('launch-vs-withdrawal');
  await launch(t, token, activityId);
  const runner = t.owner.createQueryRunner();
  await runner.connect();
  let answer: Promise<{ errors?: { extensions?: { code?: string } }[]; data?: unknown }> | undefined;
  try {
    await runner.query('BEGIN');
    // The withdrawal's write, not yet committed when the launch reads the enrollment.
    await runner.query(`UPDATE enrollment SET status = 'WITHDRAWN', withdrawn_at = now() WHERE id = $1`, [rawId(enrollmentId)]);
    answer = fetch(`${t.url}/graphql`, {
      method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ query: 'mutation($i: LaunchActivityInput!) { launchActivity(input: $i) { launch { commitUrl } errors { code } } }', variables: { i: { activityId } } }),
    }).then((r) => r.json() as Promise<{ data?: unknown }>);
    await new Promise((resolve) => setTimeout(resolve, 300));
    await runner.query('COMMIT');
  } finally {
    await runner.release();
  }
  expect(await answer).toEqual({ data: { launchActivity: { launch: null, errors: [{ code: 'FORBIDDEN' }] } } });
  const sessions = (await t.owner.query(
    'SELECT count(*)::int AS n FROM scorm_session s JOIN activity_attempt a ON a.id = s.attempt_id WHERE a.enrollment_id = $1', [rawId(enrollmentId)])) as { n: number }[];
  expect(sessions[0].n).toBe(1);
});

test('a commit does not read the enrollment: it is stored while another transaction holds the enrollment table', async () => {
  const { token } = await learner('no-enrollment-read');
  const l = await launch(t, token, activityId);
  expect((await commit(l.commitUrl, withValues(blankCmi2004(), { location: 'first' }), 1)).body.result).toBe(true);
  const runner = t.owner.createQueryRunner();
  await runner.connect();
  try {
    await runner.query('BEGIN');
    await runner.query('LOCK TABLE enrollment IN ACCESS EXCLUSIVE MODE');
    // Before, every commit joined the enrollment (to refuse a withdrawn one) and waited here.
    const stored = commit(l.commitUrl, withValues(blankCmi2004(), { location: 'while-locked', progress_measure: '0.5' }), 2).then((r) => r.body);
    const waited = new Promise((resolve) => setTimeout(() => resolve('still waiting'), 5000));
    expect(await Promise.race([stored, waited])).toEqual({ result: true, errorCode: 0 });
  } finally {
    await runner.query('ROLLBACK');
    await runner.release();
  }
  expect((await attemptRow(l.attemptId)).location).toBe('while-locked');
});

test('tokens without the session binding are refused; the function never crosses tenants', async () => {
  const { token } = await learner('binder');
  const l = await launch(t, token, activityId);
  const claims = JSON.parse(Buffer.from(new URL(l.commitUrl).pathname.split('/').pop()!.split('.')[1], 'base64url').toString()) as Record<string, any>;
  // A token of the right purpose and signature that lacks the rules (an older format) is not a commit token.
  const bare = await signToken(TEST_SERVER_SECRET, 'scorm-commit', { o: claims.o, s: claims.s }, 60);
  const refused = await commit(`${t.url}/scorm/commit/${bare}`, blankCmi2004(), 1);
  expect(refused).toMatchObject({ status: 403, body: { result: false, reason: 'INVALID_TOKEN' } });

  // Called as the application role with another tenant's id, the function sees none of this session.
  const other = await seedOrg(t.owner, 'store-b');
  const before = await attemptRow(l.attemptId);
  const call = (org: string) => t.ds.query(
    `SELECT scorm_commit($1, $2, $3, $4, $5, $6, $7, $8, 1, false, 'OPEN', 'completed', 'passed', 1, 100, 0, 100, 1, 'hijacked', '', '', 0, '[]', '[]', '[]', '{}', true) AS outcome`,
    [org, claims.s, claims.a, claims.n, claims.e, claims.ac, claims.k, claims.r]);
  expect(await call(other.id)).toEqual([{ outcome: 'UNKNOWN_SESSION' }]);
  expect(await call(newId())).toEqual([{ outcome: 'UNKNOWN_SESSION' }]);
  expect(await attemptRow(l.attemptId)).toEqual(before);
});
