import type { Scenario } from './scenario';
import { sequencedCommit } from './scenario';

/** What a load run saw: writes the service acknowledged, and every other outcome by kind. */
export interface LoadResult {
  /** Per learner, the highest commit sequence answered `result: true`. */
  ackedSequence: number[];
  /** External ids of users whose creation was acknowledged. */
  ackedUsers: string[];
  /** Acknowledged writes, commits and users together. */
  acks: number;
  outcomes: Record<string, number>;
  /** Requests that failed with no HTTP answer, and when (ms since epoch). */
  connectionErrors: number[];
}

/** Tells a load loop to stop, and waits for it. */
export interface Load {
  result: LoadResult;
  stop(): Promise<LoadResult>;
}

function tally(result: LoadResult, outcome: string): void {
  result.outcomes[outcome] = (result.outcomes[outcome] ?? 0) + 1;
}

/**
 * SCORM commits (each learner's in sequence) and GraphQL writes (a user created per request) as
 * fast as the service answers, until stopped, or until `stopOnRefusal` and the service refuses a
 * connection (it is shutting down).
 */
export function startLoad(s: Scenario, tag: string, firstSequence: number, options: { stopOnRefusal?: boolean } = {}): Load {
  const result: LoadResult = { ackedSequence: s.learners.map(() => 0), ackedUsers: [], acks: 0, outcomes: {}, connectionErrors: [] };
  let running = true;
  const failed = (err: unknown): void => {
    result.connectionErrors.push(Date.now());
    tally(result, `error:${(err as { cause?: { code?: string } }).cause?.code ?? 'other'}`);
    if (options.stopOnRefusal) running = false;
  };
  const committer = async (i: number): Promise<void> => {
    for (let seq = firstSequence; running; seq += 1) {
      try {
        const res = await sequencedCommit(s.learners[i].launch.commitUrl, seq);
        tally(result, `commit:${res.status}:${res.body.result}`);
        if (res.status === 200 && res.body.result) {
          result.ackedSequence[i] = seq;
          result.acks += 1;
        }
      } catch (err) {
        failed(err);
      }
    }
  };
  const writer = async (w: number): Promise<void> => {
    for (let n = 0; running; n += 1) {
      const externalId = `${tag}-w${w}-${n}`;
      try {
        const res = await s.api.gql<{ upsertUsers: { users: unknown[]; errors: unknown[] } }>(
          'mutation($input: UpsertUsersInput!) { upsertUsers(input: $input) { users { id } errors { code } } }',
          { input: { users: [{ externalId, name: externalId }] } }, { token: s.admin });
        const ok = res.status === 200 && res.body.data?.upsertUsers.users.length === 1;
        tally(result, `graphql:${res.status}:${ok ? 'ok' : (res.body.errors?.[0]?.extensions?.code ?? 'payload-error')}`);
        if (ok) {
          result.ackedUsers.push(externalId);
          result.acks += 1;
        }
      } catch (err) {
        failed(err);
      }
    }
  };
  const loops = [...s.learners.map((_, i) => committer(i)), writer(0), writer(1)];
  return {
    result,
    async stop() {
      running = false;
      await Promise.all(loops);
      return result;
    },
  };
}
