import { drainPool, poolQuery } from '../../src/db/pool';
import { connect, createTestDatabase, type TestDatabase } from '../support/db';

let db: TestDatabase;
beforeAll(async () => {
  db = await createTestDatabase();
});
afterAll(() => db.drop());

test('closing waits for statements under way: a transaction in flight still commits', async () => {
  const ds = await connect(db);
  const runner = ds.createQueryRunner();
  await runner.connect();
  const work = (async () => {
    await runner.query('BEGIN');
    await runner.query('SELECT pg_sleep(0.3)');
    const [row] = (await runner.query('SELECT 42 AS answer')) as { answer: number }[];
    await runner.query('COMMIT');
    await runner.release();
    return row.answer;
  })();
  await new Promise((resolve) => setTimeout(resolve, 50));
  expect(await drainPool(ds, 5000)).toBe(true);
  await ds.destroy();
  await expect(work).resolves.toBe(42);
});

test('draining gives up after its timeout when a connection is never returned', async () => {
  const ds = await connect(db);
  const runner = ds.createQueryRunner();
  await runner.connect();
  expect(await drainPool(ds, 100)).toBe(false);
  await runner.release();
  expect(await drainPool(ds, 100)).toBe(true);
  expect(await poolQuery<{ n: number }>(ds, 'SELECT 1 AS n', [])).toEqual([{ n: 1 }]);
  await ds.destroy();
});
