/**
 * Runs the real scorm-again 3.4.3 client (its browser bundle in a jsdom window, see
 * scorm-again-runner.js for why in a child process), lets a scripted SCO talk to it, captures
 * the exact commit requests it sends and feeds them to the server-side validators. If
 * scorm-again's wire format drifts from what the validators expect, this test breaks.
 */
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { readCommitEnvelope, validateCommit12, validateCommit2004, type AttemptState, type CommitValidation } from '../../../src/modules/scorm/engine/cmi';

interface CapturedRequest {
  transport: 'xhr' | 'beacon';
  url: string;
  contentType: string;
  body: string;
}

interface PlayResult {
  /** [method, first argument, return value, last error code] per call. */
  returns: string[][];
  requests: CapturedRequest[];
}

const COMMIT_URL = 'https://lms.example/scorm/commit/attempt-token';
const SETTINGS = {
  lmsCommitUrl: COMMIT_URL,
  dataCommitFormat: 'json',
  includeCommitSequence: true,
  terminateCommitParam: 'final',
  autocommit: false,
  logLevel: 5,
};

function play(api: 'Scorm2004API' | 'Scorm12API', initial: object, calls: string[][]): PlayResult {
  const stdout = execFileSync(process.execPath, [path.join(__dirname, '../../support/scorm-again-runner.js')], {
    cwd: path.resolve(__dirname, '../../..'),
    input: JSON.stringify({ api, settings: SETTINGS, initial, calls }),
    encoding: 'utf8',
    stdio: ['pipe', 'pipe', 'pipe'],
    maxBuffer: 16 * 1024 * 1024,
  });
  return JSON.parse(stdout) as PlayResult;
}

function validated(request: CapturedRequest, version: 'SCORM_2004' | 'SCORM_1.2'): { state: AttemptState; sequence?: number } {
  const envelope = readCommitEnvelope(request.body, version);
  if (!envelope.ok) throw new Error(envelope.message);
  const validate: (cmi: unknown) => CommitValidation = version === 'SCORM_1.2' ? validateCommit12 : validateCommit2004;
  const result = validate(envelope.cmi);
  if (!result.ok) throw new Error(`${result.errorCode} ${result.element}: ${result.message}`);
  return { state: result.state, sequence: envelope.commitSequence };
}

/** Every call must have succeeded in the client, or the test would prove nothing. */
function expectAllAccepted(result: PlayResult): void {
  for (const [method, element, returned, lastError] of result.returns) {
    expect({ method, element, returned, lastError }).toEqual({ method, element, returned: 'true', lastError: '0' });
  }
}

// Emoji, control characters, quotes and a line separator: 64000 UTF-16 units. (NUL is refused
// as a commit, since PostgreSQL text cannot hold it: see the commit route's tests.)
const SUSPEND_DATA = `😀\u0001\u0002\t"\\\u2028é${'s'.repeat(63990)}`;

describe('scorm-again commit bodies pass the server validators', () => {
  it('SCORM 2004: an ordinary commit and the final beacon', () => {
    const result = play(
      'Scorm2004API',
      // What launchActivity hands the player; read-only values come back on every commit.
      { learner_id: 'user-1', learner_name: 'Doe, Jane', entry: 'resume', location: 'p1', suspend_data: 'old', completion_threshold: '0.8' },
      [
        ['Initialize', ''],
        ['SetValue', 'cmi.completion_status', 'incomplete'],
        ['SetValue', 'cmi.success_status', 'passed'],
        ['SetValue', 'cmi.score.scaled', '0.8'],
        ['SetValue', 'cmi.score.raw', '80'],
        ['SetValue', 'cmi.score.min', '0'],
        ['SetValue', 'cmi.score.max', '100'],
        ['SetValue', 'cmi.progress_measure', '0.75'],
        ['SetValue', 'cmi.location', 'page-12'],
        ['SetValue', 'cmi.suspend_data', SUSPEND_DATA],
        ['SetValue', 'cmi.interactions.0.id', 'urn:quiz:q1'],
        ['SetValue', 'cmi.interactions.0.type', 'choice'],
        ['SetValue', 'cmi.interactions.0.timestamp', '2024-05-01T10:00:00.0Z'],
        ['SetValue', 'cmi.interactions.0.learner_response', 'a[,]c'],
        ['SetValue', 'cmi.interactions.0.correct_responses.0.pattern', 'a[,]c'],
        ['SetValue', 'cmi.interactions.0.result', 'correct'],
        ['SetValue', 'cmi.interactions.0.weighting', '1'],
        ['SetValue', 'cmi.interactions.0.latency', 'PT4.5S'],
        ['SetValue', 'cmi.interactions.0.description', 'Pick the two right answers'],
        ['SetValue', 'cmi.interactions.1.id', 'q2'],
        ['SetValue', 'cmi.interactions.1.type', 'fill-in'],
        ['SetValue', 'cmi.interactions.1.learner_response', 'Paris'],
        ['SetValue', 'cmi.interactions.1.result', 'incorrect'],
        ['SetValue', 'cmi.objectives.0.id', 'obj-1'],
        ['SetValue', 'cmi.objectives.0.success_status', 'passed'],
        ['SetValue', 'cmi.objectives.0.score.scaled', '0.9'],
        ['SetValue', 'cmi.learner_preference.audio_level', '0.5'],
        ['SetValue', 'cmi.session_time', 'PT1M30S'],
        ['SetValue', 'cmi.exit', 'suspend'],
        ['Commit', ''],
        ['Terminate', ''],
      ],
    );
    expectAllAccepted(result);
    const [commit, beacon] = result.requests;
    expect(result.requests).toHaveLength(2);
    expect(commit).toMatchObject({ transport: 'xhr', url: COMMIT_URL, contentType: 'application/json;charset=UTF-8' });
    expect(beacon).toMatchObject({ transport: 'beacon', url: `${COMMIT_URL}?final=true`, contentType: 'text/plain;charset=utf-8' });

    const first = validated(commit, 'SCORM_2004');
    expect(first.sequence).toBe(1);
    expect(first.state).toMatchObject({
      completionStatus: 'incomplete',
      successStatus: 'passed',
      scoreScaled: 0.8,
      scoreRaw: 80,
      progressMeasure: 0.75,
      location: 'page-12',
      sessionTimeSeconds: 90,
      exit: 'suspend',
      interactions: [
        { id: 'urn:quiz:q1', type: 'choice', learnerResponse: 'a[,]c', result: 'correct', latency: 'PT4.5S', timestamp: '2024-05-01T10:00:00.0Z', weighting: 1 },
        { id: 'q2', type: 'fill-in', learnerResponse: 'Paris', result: 'incorrect' },
      ],
      objectives: [{ id: 'obj-1', successStatus: 'passed', scoreScaled: 0.9 }],
    });
    expect(first.state.suspendData).toBe(SUSPEND_DATA);

    const final = validated(beacon, 'SCORM_2004');
    expect(final.sequence).toBe(2);
    expect(final.state).toEqual(first.state);
    expect(JSON.parse(beacon.body)).toMatchObject({ cmi: { total_time: expect.any(String), learner_id: 'user-1' } });
  });

  it('SCORM 1.2: an ordinary commit and the final beacon', () => {
    const result = play(
      'Scorm12API',
      { core: { student_id: 'user-1', student_name: 'Doe, Jane', lesson_status: 'not attempted', entry: 'ab-initio', credit: 'credit' } },
      [
        ['LMSInitialize', ''],
        ['LMSSetValue', 'cmi.core.lesson_status', 'failed'],
        ['LMSSetValue', 'cmi.core.score.raw', '42'],
        ['LMSSetValue', 'cmi.core.score.min', '0'],
        ['LMSSetValue', 'cmi.core.lesson_location', 'slide-3'],
        ['LMSSetValue', 'cmi.suspend_data', SUSPEND_DATA],
        ['LMSSetValue', 'cmi.interactions.0.id', 'q1'],
        ['LMSSetValue', 'cmi.interactions.0.type', 'true-false'],
        ['LMSSetValue', 'cmi.interactions.0.time', '10:11:12'],
        ['LMSSetValue', 'cmi.interactions.0.student_response', 't'],
        ['LMSSetValue', 'cmi.interactions.0.result', 'wrong'],
        ['LMSSetValue', 'cmi.interactions.0.latency', '00:00:07.25'],
        ['LMSSetValue', 'cmi.objectives.0.id', 'obj-1'],
        ['LMSSetValue', 'cmi.objectives.0.status', 'completed'],
        ['LMSSetValue', 'cmi.core.session_time', '00:02:30'],
        ['LMSSetValue', 'cmi.core.exit', 'suspend'],
        ['LMSCommit', ''],
        ['LMSFinish', ''],
      ],
    );
    expectAllAccepted(result);
    const [commit, beacon] = result.requests;
    expect(commit).toMatchObject({ transport: 'xhr', url: COMMIT_URL });
    expect(beacon).toMatchObject({ transport: 'beacon', url: `${COMMIT_URL}?final=true`, contentType: 'text/plain;charset=utf-8' });
    const first = validated(commit, 'SCORM_1.2');
    expect(first.state).toMatchObject({
      completionStatus: 'completed',
      successStatus: 'failed',
      scoreRaw: 42,
      location: 'slide-3',
      sessionTimeSeconds: 150,
      exit: 'suspend',
      interactions: [{ id: 'q1', type: 'true-false', learnerResponse: 't', result: 'incorrect', latency: 'PT7.25S', timestamp: '10:11:12' }],
      objectives: [{ id: 'obj-1', completionStatus: 'completed', successStatus: 'unknown' }],
    });
    expect(first.state.suspendData).toBe(SUSPEND_DATA);
    expect(validated(beacon, 'SCORM_1.2').state).toEqual(first.state);
  });
});
