import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import pino from 'pino';
import type { DataSource } from 'typeorm';
import { loadConfig } from '../src/config';
import { newId } from '../src/shared/ids';
import { resolveCaller } from '../src/modules/user/caller';
import { startWorker } from '../src/jobs/worker';
import { benchDatabase, withBenchCluster } from './harness';

/** Completions queued at once (`BENCH_COMPLETIONS`), and the worker's concurrency (`BENCH_WORKER_CONCURRENCY`). */
const COMPLETIONS = Number(process.env.BENCH_COMPLETIONS ?? 10_000);
const CONCURRENCY = Number(process.env.BENCH_WORKER_CONCURRENCY ?? 8);
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** One organization, one certified one-page course, COMPLETIONS learners enrolled on its published revision. */
async function seed(owner: DataSource): Promise<string> {
  const org = newId();
  const q = (sql: string, params: unknown[] = []) => owner.query(sql, [org, ...params]);
  await q(`INSERT INTO organization (id, slug, name, industry) VALUES ($1, 'bench-issuance', '基准公司', 'bench')`);
  await q(`INSERT INTO app_user (organization_id, id, external_id, name, roles)
    SELECT $1, gen_random_uuid(), 'learner-' || i, '学员' || i, '{LEARNER}' FROM generate_series(1, $2::int) i`, [COMPLETIONS]);
  await q(`INSERT INTO course (organization_id, id, code, status, title, tags, published_at)
    VALUES ($1, gen_random_uuid(), 'CERT', 'PUBLISHED', '{"zh-CN": "认证课程"}', '{}', now())`);
  const rule = { requirePassed: false, minScore: null, validity: { kind: 'MONTHS', months: 12 }, recertificationWindowDays: 30 };
  await q(`INSERT INTO course_revision (organization_id, id, course_id, number, status, published_at, certification_rule)
    SELECT $1, gen_random_uuid(), id, 1, 'PUBLISHED', now(), $2::jsonb FROM course WHERE organization_id = $1`, [JSON.stringify(rule)]);
  await q(`UPDATE course c SET published_revision_id = r.id FROM course_revision r WHERE r.organization_id = $1 AND c.organization_id = $1 AND r.course_id = c.id`);
  await q(`INSERT INTO enrollment (organization_id, id, user_id, course_id, revision_id, source, status, assigned_by, started_at)
    SELECT $1, gen_random_uuid(), u.id, c.id, c.published_revision_id, 'ADMIN', 'IN_PROGRESS', 'bench', now()
      FROM app_user u, course c WHERE u.organization_id = $1 AND c.organization_id = $1`);
  return org;
}

/** The baseline: the same certificates as one plain INSERT … SELECT into a copy of the table, in the same run. */
async function baseline(owner: DataSource, org: string): Promise<number> {
  await owner.query(`CREATE TABLE bench_certificate (LIKE certificate INCLUDING DEFAULTS)`);
  const started = performance.now();
  await owner.query(
    `INSERT INTO bench_certificate (organization_id, id, number, verification_code, status_list_index, user_id, course_id, revision_id, enrollment_id,
       cycle, holder_name, course_title, score, issued_at, valid_from, valid_until, status, issued_by, recertification_window_days)
     SELECT e.organization_id, gen_random_uuid(), 'BENCH-2026-' || lpad(row_number() OVER ()::text, 6, '0'), upper(substr(md5(random()::text), 1, 20)),
            row_number() OVER (), e.user_id, e.course_id, e.revision_id, e.id, e.cycle, u.name, '{"zh-CN": "认证课程"}', NULL, now(), now(),
            now() + interval '12 months', 'ACTIVE', 'bench', 30
       FROM enrollment e JOIN app_user u ON u.organization_id = e.organization_id AND u.id = e.user_id WHERE e.organization_id = $1`,
    [org],
  );
  return performance.now() - started;
}

/**
 * Certificates issued per second by the job queue: COMPLETIONS enrollments complete in one
 * statement (so their events and jobs are all queued), then one worker process turns them into
 * certificates (and their audit rows, emails and deliveries) until none is left; against a
 * plain INSERT … SELECT of the same rows.
 */
export async function runIssuanceBench(): Promise<void> {
  await withBenchCluster(async (adminUrl) => {
    const { ownerUrl, owner, ds } = await benchDatabase(adminUrl, 'issuance');
    const dataDir = mkdtempSync(path.join(tmpdir(), 'coursegraph-bench-mail-'));
    try {
      const org = await seed(owner);
      const baselineMs = await baseline(owner, org);
      await owner.query(`UPDATE enrollment SET status = 'COMPLETED', completed_at = now(), progress_percent = 100 WHERE organization_id = $1`, [org]);
      const config = loadConfig({ NODE_ENV: 'development', JWT_SECRET: 'bench-secret-0123456789abcdef', SERVER_SECRET: 'x', APP_DB_PASSWORD: 'x', DATA_DIR: dataDir, LOG_LEVEL: 'silent' });
      const deps = { dataSource: ds, config, serverSecret: 'bench-server-secret', resolveCaller };
      const started = performance.now();
      const worker = await startWorker(deps, pino({ level: 'warn' }), { connectionString: ownerUrl, concurrency: CONCURRENCY, pollIntervalMs: 1000, rescueIntervalMs: 30_000 });
      const issued = async () => ((await owner.query(`SELECT count(*)::int AS n FROM certificate`)) as { n: number }[])[0].n;
      while ((await issued()) < COMPLETIONS) await sleep(200);
      const projectMs = performance.now() - started;
      await worker.stop();
      const rate = (ms: number) => COMPLETIONS / (ms / 1000);
      process.stdout.write(`\nissuance (${COMPLETIONS} completions queued, one worker of concurrency ${CONCURRENCY})\n` +
        `  baseline  ${rate(baselineMs).toFixed(0).padStart(7)} certificates/s (INSERT … SELECT, ${baselineMs.toFixed(0)} ms)\n` +
        `  project   ${rate(projectMs).toFixed(0).padStart(7)} certificates/s (${(projectMs / 1000).toFixed(1)} s, every job of every event)\n` +
        `  ratio     ${(baselineMs / projectMs).toFixed(3)} of the baseline's throughput\n`);
    } finally {
      await ds.destroy();
      await owner.destroy();
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
}
