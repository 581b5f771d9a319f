import { Client } from 'pg';
import type { DataSource } from 'typeorm';
import { migrate, MIGRATION_LOCK, type Database } from '../../src/bootstrap';
import type { Config } from '../../src/config';
import { COMPLETION_ORDER, SUCCESS_ORDER } from '../../src/modules/progress/progress.rules';
import { connect, createTestDatabase, type TestDatabase } from '../support/db';

let db: TestDatabase;
let owner: DataSource;

beforeAll(async () => {
  db = await createTestDatabase();
  owner = await connect(db, true);
});
afterAll(async () => {
  await owner.destroy();
  await db.drop();
});

const userObjects = async (): Promise<string[]> =>
  ((await owner.query(`
    SELECT c.relname AS name FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
     WHERE n.nspname = 'public' AND c.relname NOT IN ('migrations', 'migrations_id_seq')
       AND NOT EXISTS (SELECT 1 FROM pg_index i WHERE i.indexrelid = c.oid AND i.indrelid = 'migrations'::regclass)
    UNION ALL
    SELECT p.proname FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace WHERE n.nspname = 'public'
    ORDER BY 1`)) as { name: string }[]).map((r) => r.name);

test('every migration reverts, leaving nothing behind, and the whole chain applies again', async () => {
  const applied = (await owner.query('SELECT count(*)::int AS n FROM migrations')) as { n: number }[];
  const before = await userObjects();
  expect(before.length).toBeGreaterThan(0);
  for (let i = 0; i < applied[0].n; i++) await owner.undoLastMigration({ transaction: 'each' });
  expect(await userObjects()).toEqual([]);
  await owner.runMigrations({ transaction: 'each' });
  expect(await userObjects()).toEqual(before);
  expect(await owner.driver.createSchemaBuilder().log()).toMatchObject({ upQueries: [] });
});

test('the progress function merges statuses in the orders progress.rules declares', async () => {
  const [fn] = (await owner.query(`SELECT pg_get_functiondef('record_activity_progress'::regproc) AS def`)) as { def: string }[];
  const sqlArray = (order: readonly string[]) => `ARRAY['${order.join("', '")}']`;
  expect(fn.def).toContain(sqlArray(COMPLETION_ORDER));
  expect(fn.def).toContain(sqlArray(SUCCESS_ORDER));
});

test('processes that start together migrate one at a time: migrate() waits for the lock; eight at once all succeed', async () => {
  // migrate() reads only whether the application role has a URL of its own.
  const config = { appDatabaseUrl: undefined } as unknown as Config;
  const database: Database = { ownerUrl: db.ownerUrl, appUrl: '', stop: async () => undefined };
  const secrets = { serverSecret: 'migrate-lock-test', appDbPassword: process.env.COURSEGRAPH_TEST_APP_PASSWORD! };
  const run = () => migrate(config, database, secrets, () => undefined);

  const holder = new Client({ connectionString: db.ownerUrl });
  await holder.connect();
  try {
    await holder.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK]);
    let finished = false;
    const waiting = run().then(() => void (finished = true));
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(finished).toBe(false);
    await holder.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK]);
    await waiting;
    expect(finished).toBe(true);
  } finally {
    await holder.end();
  }
  // Each one alters the application role: without the lock some fail with "tuple concurrently updated".
  expect(await Promise.all(Array.from({ length: 8 }, run))).toEqual(Array.from({ length: 8 }, () => []));
}, 60_000);
