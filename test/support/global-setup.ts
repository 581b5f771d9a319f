import { mkdtempSync, chmodSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Client } from 'pg';
import { startEmbeddedCluster, ensureDatabase, type EmbeddedCluster } from '../../src/db/embedded';
import { enableAppRoleLogin } from '../../src/db/app-role';
import { createDataSource } from '../../ormconfig';
import { installJobQueue } from '../../src/jobs/queue-schema';

export const TEMPLATE_DB = 'coursegraph_template';
export const APP_PASSWORD = 'coursegraph-test-app';

declare global {
  var __COURSEGRAPH_CLUSTER__: EmbeddedCluster | undefined;
}

/**
 * Starts one PostgreSQL for the run (embedded under the system temp folder, or TEST_DATABASE_URL),
 * builds a template database with the migrations, and tells the test files where it is. Each test
 * file then clones the template into a database of its own.
 */
export default async function globalSetup(): Promise<void> {
  let adminUrl = process.env.TEST_DATABASE_URL;
  if (!adminUrl) {
    const dir = mkdtempSync(path.join(tmpdir(), 'coursegraph-test-'));
    chmodSync(dir, 0o755);
    const cluster = await startEmbeddedCluster(dir, { home: process.env.EMBEDDED_PG_HOME });
    globalThis.__COURSEGRAPH_CLUSTER__ = cluster;
    adminUrl = cluster.adminUrl;
  }
  const admin = new Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1`, [TEMPLATE_DB]);
  await admin.query(`DROP DATABASE IF EXISTS ${TEMPLATE_DB}`);
  await admin.end();
  await ensureDatabase(adminUrl, TEMPLATE_DB);
  const templateUrl = withDatabase(adminUrl, TEMPLATE_DB);
  await installJobQueue(templateUrl);
  const ds = createDataSource(templateUrl);
  await ds.initialize();
  await ds.runMigrations();
  await ds.destroy();
  await enableAppRoleLogin(templateUrl, APP_PASSWORD);
  process.env.COURSEGRAPH_TEST_ADMIN_URL = adminUrl;
  process.env.COURSEGRAPH_TEST_TEMPLATE = TEMPLATE_DB;
  process.env.COURSEGRAPH_TEST_APP_PASSWORD = APP_PASSWORD;
}

export function withDatabase(url: string, database: string): string {
  const u = new URL(url);
  u.pathname = `/${database}`;
  return u.toString();
}
