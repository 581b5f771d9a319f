/**
 * Contract tests: the real scorm-again client (its browser bundle in jsdom, in a child process)
 * talks to this service over HTTP: synchronous XHR commits and the final beacon, exactly as a
 * player would. What it gets back, and what the service stored, are checked.
 */
import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { Role } from '../../src/shared/permissions';
import { startTestApp, type TestApp } from '../support/app';
import { userGid } from '../support/catalog';
import { launch, manifest12, manifest2004, scormCourse, scormZip, type LaunchResult } from '../support/scorm-course';
import { seedOrg } from '../support/seed';

const run = promisify(execFile);
let t: TestApp;
let learner: string;
let sco2004: string;
let sco12: string;

beforeAll(async () => {
  t = await startTestApp();
  const org = await seedOrg(t.owner, 'contract');
  await org.user('author', [Role.AUTHOR]);
  await org.user('admin', [Role.ORG_ADMIN]);
  const lu = await org.user('learner');
  const [author, admin] = await Promise.all([t.token(org.id, 'contract-author'), t.token(org.id, 'contract-admin')]);
  learner = await t.token(org.id, 'contract-learner');
  sco2004 = (await scormCourse(t, author, admin, await scormZip(manifest2004({ completionThreshold: 0.8, passingScore: 0.6 })), 'C2004', [userGid(lu)])).activityIds[0];
  sco12 = (await scormCourse(t, author, admin, await scormZip(manifest12({ masteryScore: 80 })), 'C12', [userGid(lu)])).activityIds[0];
});
afterAll(() => t.close());

type Call = [string, ...string[]];
interface Played {
  returns: string[][];
  requests: { transport: string; status?: number; response?: string }[];
}

/** Plays `calls` through scorm-again configured from a launch, against the running service. */
async function play(api: 'Scorm2004API' | 'Scorm12API', l: LaunchResult, calls: Call[]): Promise<Played> {
  const scenario = {
    api, initial: l.cmi, calls, live: { url: l.playerUrl },
    settings: { lmsCommitUrl: l.commitUrl, dataCommitFormat: 'json', includeCommitSequence: true, terminateCommitParam: 'final', autocommit: false, logLevel: 5 },
  };
  const child = run(process.execPath, [path.join(__dirname, '../support/scorm-again-runner.js')], { maxBuffer: 16 * 1024 * 1024 });
  child.child.stdin!.end(JSON.stringify(scenario));
  return JSON.parse((await child).stdout) as Played;
}

const attempt = async (l: LaunchResult) =>
  ((await t.owner.query('SELECT * FROM activity_attempt WHERE id = $1', [Buffer.from(l.attemptId, 'base64url').toString().split(':')[1]])) as Record<string, any>[])[0];

const suspendData = '进度:3/5 😀 \u0001 "quoted" \\ end';

test('SCORM 2004: Initialize, SetValue, Commit, Terminate with suspend; the server judges by the thresholds', async () => {
  const l = await launch(t, learner, sco2004);
  const played = await play('Scorm2004API', l, [
    ['Initialize', ''],
    ['GetValue', 'cmi.entry'],
    ['SetValue', 'cmi.location', 'page-3'],
    ['SetValue', 'cmi.suspend_data', suspendData],
    ['SetValue', 'cmi.progress_measure', '0.5'],
    ['SetValue', 'cmi.completion_status', 'completed'],
    ['SetValue', 'cmi.score.scaled', '0.7'],
    ['SetValue', 'cmi.interactions.0.id', 'q1'],
    ['SetValue', 'cmi.interactions.0.type', 'choice'],
    ['SetValue', 'cmi.interactions.0.learner_response', 'a[,]b'],
    ['SetValue', 'cmi.interactions.0.result', 'correct'],
    ['Commit', ''],
    ['SetValue', 'cmi.exit', 'suspend'],
    ['Terminate', ''],
  ]);
  for (const [method, , result, error] of played.returns) {
    if (method !== 'GetValue') expect({ method, result, error }).toEqual({ method, result: 'true', error: '0' });
  }
  expect(played.returns[1]).toEqual(['GetValue', 'cmi.entry', 'ab-initio', '0']);
  expect(played.requests.map((r) => [r.transport, r.status])).toEqual([['beacon', 200]]);
  const row = await attempt(l);
  expect(row).toMatchObject({ status: 'SUSPENDED', location: 'page-3', suspend_data: suspendData, completion_status: 'incomplete', success_status: 'passed' });
  expect(row.interactions).toEqual([expect.objectContaining({ id: 'q1', type: 'choice', learnerResponse: 'a[,]b', result: 'correct' })]);
});

test('relaunch with loadFromJSON of the launch object resumes where the learner left', async () => {
  const l = await launch(t, learner, sco2004);
  const played = await play('Scorm2004API', l, [
    ['Initialize', ''],
    ['GetValue', 'cmi.entry'],
    ['GetValue', 'cmi.location'],
    ['GetValue', 'cmi.suspend_data'],
    ['GetValue', 'cmi.interactions._count'],
    ['SetValue', 'cmi.progress_measure', '0.9'],
    ['SetValue', 'cmi.exit', 'normal'],
    ['Terminate', ''],
  ]);
  expect(played.returns.slice(1, 5).map((r) => r[2])).toEqual(['resume', 'page-3', suspendData, '1']);
  expect(await attempt(l)).toMatchObject({ status: 'FINISHED', completion_status: 'completed' });
});

test('a commit from a superseded session comes back as a SCORM error to the SCO', async () => {
  const old = await launch(t, learner, sco2004);
  await launch(t, learner, sco2004);
  const played = await play('Scorm2004API', old, [['Initialize', ''], ['SetValue', 'cmi.location', 'stale'], ['Commit', '']]);
  expect(played.returns.at(-1)).toEqual(['Commit', '', 'false', '391']);
  expect((await attempt(old)).location).not.toBe('stale');
});

test('SCORM 1.2: LMSInitialize … LMSFinish; lesson_status and the mastery score map into the 2004 shape', async () => {
  const l = await launch(t, learner, sco12);
  const played = await play('Scorm12API', l, [
    ['LMSInitialize', ''],
    ['LMSGetValue', 'cmi.core.student_id'],
    ['LMSSetValue', 'cmi.core.lesson_location', 'slide-9'],
    ['LMSSetValue', 'cmi.suspend_data', suspendData],
    ['LMSSetValue', 'cmi.core.score.raw', '85'],
    ['LMSSetValue', 'cmi.core.lesson_status', 'completed'],
    ['LMSCommit', ''],
    ['LMSFinish', ''],
  ]);
  expect(played.returns[1]).toEqual(['LMSGetValue', 'cmi.core.student_id', 'contract-learner', '0']);
  for (const [method, , result, error] of played.returns.filter((r) => r[0] !== 'LMSGetValue')) expect({ method, result, error }).toEqual({ method, result: 'true', error: '0' });
  expect(await attempt(l)).toMatchObject({ status: 'FINISHED', completion_status: 'completed', success_status: 'passed', score_raw: 85, suspend_data: suspendData, location: 'slide-9' });
});

test('SCORM 2004: comments, preferences and interaction details are kept and come back on resume; preferences carry into the next attempt', async () => {
  const l = await launch(t, learner, sco2004);
  const set: Call[] = [
    ['SetValue', 'cmi.learner_preference.audio_level', '0.5'],
    ['SetValue', 'cmi.learner_preference.language', 'zh-CN'],
    ['SetValue', 'cmi.learner_preference.audio_captioning', '1'],
    ['SetValue', 'cmi.comments_from_learner.0.comment', '{lang=zh-CN}第三页的图看不清'],
    ['SetValue', 'cmi.comments_from_learner.0.location', 'page-3'],
    ['SetValue', 'cmi.comments_from_learner.0.timestamp', '2026-11-22T10:00:00'],
    ['SetValue', 'cmi.interactions.0.id', 'q-extra'],
    ['SetValue', 'cmi.interactions.0.type', 'fill-in'],
    ['SetValue', 'cmi.interactions.0.objectives.0.id', 'obj-service'],
    ['SetValue', 'cmi.interactions.0.correct_responses.0.pattern', '{case_matters=false}您好'],
    ['SetValue', 'cmi.interactions.0.learner_response', '你好'],
  ];
  const first = await play('Scorm2004API', l, [['Initialize', ''], ...set, ['SetValue', 'cmi.exit', 'suspend'], ['Terminate', '']]);
  for (const [method, element, result, error] of first.returns) expect({ method, element, result, error }).toEqual({ method, element, result: 'true', error: '0' });

  const resumed = await launch(t, learner, sco2004);
  const reads = ['cmi.learner_preference.audio_level', 'cmi.learner_preference.language', 'cmi.learner_preference.audio_captioning', 'cmi.comments_from_learner._count',
    'cmi.comments_from_learner.0.comment', 'cmi.comments_from_learner.0.location', 'cmi.interactions.0.objectives.0.id', 'cmi.interactions.0.correct_responses.0.pattern'];
  const second = await play('Scorm2004API', resumed, [['Initialize', ''], ...reads.map((r): Call => ['GetValue', r]), ['SetValue', 'cmi.exit', 'normal'], ['Terminate', '']]);
  expect(second.returns.slice(1, 1 + reads.length).map((r) => [r[1], r[2], r[3]])).toEqual([
    ['cmi.learner_preference.audio_level', '0.5', '0'],
    ['cmi.learner_preference.language', 'zh-CN', '0'],
    ['cmi.learner_preference.audio_captioning', '1', '0'],
    ['cmi.comments_from_learner._count', '1', '0'],
    ['cmi.comments_from_learner.0.comment', '{lang=zh-CN}第三页的图看不清', '0'],
    ['cmi.comments_from_learner.0.location', 'page-3', '0'],
    ['cmi.interactions.0.objectives.0.id', 'obj-service', '0'],
    ['cmi.interactions.0.correct_responses.0.pattern', '{case_matters=false}您好', '0'],
  ]);

  // The attempt is finished; the next one starts fresh but keeps the learner's preferences.
  const next = await launch(t, learner, sco2004);
  expect(next.entry).toBe('ab-initio');
  expect(next.cmi).toMatchObject({ learner_preference: { audio_level: '0.5', language: 'zh-CN', audio_captioning: '1' } });
  expect(next.cmi.comments_from_learner).toBeUndefined();
  const third = await play('Scorm2004API', next, [['Initialize', ''], ['GetValue', 'cmi.learner_preference.language'], ['GetValue', 'cmi.comments_from_learner._count']]);
  expect(third.returns.slice(1).map((r) => r[2])).toEqual(['zh-CN', '0']);
});

test('SCORM 1.2: comments and student preferences are kept and come back on resume', async () => {
  const l = await launch(t, learner, sco12);
  const first = await play('Scorm12API', l, [
    ['LMSInitialize', ''],
    ['LMSSetValue', 'cmi.comments', '第四页有错字'],
    ['LMSSetValue', 'cmi.student_preference.audio', '80'],
    ['LMSSetValue', 'cmi.student_preference.language', 'zh'],
    ['LMSSetValue', 'cmi.student_preference.speed', '-20'],
    ['LMSSetValue', 'cmi.student_preference.text', '1'],
    ['LMSSetValue', 'cmi.interactions.0.id', 'q1'],
    ['LMSSetValue', 'cmi.interactions.0.type', 'choice'],
    ['LMSSetValue', 'cmi.interactions.0.objectives.0.id', 'obj1'],
    ['LMSSetValue', 'cmi.interactions.0.correct_responses.0.pattern', 'a'],
    ['LMSSetValue', 'cmi.core.exit', 'suspend'],
    ['LMSFinish', ''],
  ]);
  for (const [method, element, result, error] of first.returns) expect({ method, element, result, error }).toEqual({ method, element, result: 'true', error: '0' });
  const row = await attempt(l);
  expect(row.interactions).toEqual([expect.objectContaining({ id: 'q1', objectiveIds: ['obj1'], correctResponses: ['a'] })]);

  const resumed = await launch(t, learner, sco12);
  const reads = ['cmi.comments', 'cmi.student_preference.audio', 'cmi.student_preference.language', 'cmi.student_preference.speed', 'cmi.student_preference.text'];
  const second = await play('Scorm12API', resumed, [['LMSInitialize', ''], ...reads.map((r): Call => ['LMSGetValue', r])]);
  expect(second.returns.slice(1).map((r) => r[2])).toEqual(['第四页有错字', '80', 'zh', '-20', '1']);
});
