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
