import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import type { DataSource } from 'typeorm';
import { createDataSource } from '../../ormconfig';
import { appUrlFrom } from '../../src/db/app-role';

/** A database of the test file's own, cloned from the migrated template. */
export interface TestDatabase {
  name: string;
  ownerUrl: string;
  appUrl: string;
  drop(): Promise<void>;
}

function env(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set: run the tests through jest (globalSetup)`);
  return value;
}

export function withDatabase(url: string, database: string): string {
  const u = new URL(url);
  u.pathname = `/${database}`;
  return u.toString();
}

/** Creates a fresh database from the template the global setup built with the migrations. */
export async function createTestDatabase(): Promise<TestDatabase> {
  const adminUrl = env('COURSEGRAPH_TEST_ADMIN_URL');
  const name = `cg_test_${randomBytes(6).toString('hex')}`;
  const admin = new Client({ connectionString: adminUrl });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE ${name} TEMPLATE ${env('COURSEGRAPH_TEST_TEMPLATE')}`);
  } finally {
    await admin.end();
  }
  const ownerUrl = withDatabase(adminUrl, name);
  return {
    name,
    ownerUrl,
    appUrl: appUrlFrom(ownerUrl, env('COURSEGRAPH_TEST_APP_PASSWORD')),
    async drop() {
      const c = new Client({ connectionString: adminUrl });
      await c.connect();
      try {
        await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      } finally {
        await c.end();
      }
    },
  };
}

/** A DataSource on a test database (as the app role unless `asOwner`). */
export async function connect(db: TestDatabase, asOwner = false): Promise<DataSource> {
  const ds = createDataSource(asOwner ? db.ownerUrl : db.appUrl, { extra: { max: 10 } });
  await ds.initialize();
  return ds;
}
