import type { DataSource, EntityManager } from 'typeorm';
import { APP_ROLE } from '../../src/db/app-role';
import { newId } from '../../src/shared/ids';
import { connect, createTestDatabase, type TestDatabase } from '../support/db';
import { seedOrg } from '../support/seed';

let db: TestDatabase;
let owner: DataSource;
let app: DataSource;

beforeAll(async () => {
  db = await createTestDatabase();
  owner = await connect(db, true);
  app = await connect(db);
});
afterAll(async () => {
  await app.destroy();
  await owner.destroy();
  await db.drop();
});

/** Tables that carry organization_id: by definition tenant-owned. */
async function tenantTables(): Promise<string[]> {
  const rows = (await owner.query(`
    SELECT c.table_name FROM information_schema.columns c
    JOIN information_schema.tables t ON t.table_name = c.table_name AND t.table_schema = c.table_schema
    WHERE c.table_schema = 'public' AND c.column_name = 'organization_id' AND t.table_type = 'BASE TABLE'
    ORDER BY 1`)) as { table_name: string }[];
  return rows.map((r) => r.table_name);
}

describe('tenancy in the database', () => {
  test('every tenant table has RLS enabled, forced, and the tenant policy', async () => {
    const tables = await tenantTables();
    expect(tables).toEqual(expect.arrayContaining(['app_user', 'api_key', 'audit_event']));
    for (const table of tables) {
      const [cls] = (await owner.query(`SELECT relrowsecurity, relforcerowsecurity FROM pg_class WHERE oid = $1::regclass`, [table])) as { relrowsecurity: boolean; relforcerowsecurity: boolean }[];
      expect({ table, enabled: cls.relrowsecurity, forced: cls.relforcerowsecurity }).toEqual({ table, enabled: true, forced: true });
      const all = (await owner.query(`SELECT policyname, qual, with_check, cmd, roles::text[] AS roles FROM pg_policies WHERE tablename = $1`, [table])) as { policyname: string; qual: string; with_check: string; cmd: string; roles: string[] }[];
      // The exceptions: the public lookups' owners read the one certificate whose code, and the LTI
      // registrations whose issuer, they were called with.
      const extra = all.filter((p) => p.policyname !== 'tenant_isolation');
      const lookups: Record<string, string> = { certificate: 'verify_by_code', lti_platform: 'lti_lookup_by_issuer' };
      expect(extra.map((p) => [table, p.policyname, p.cmd, p.roles.includes(APP_ROLE) || p.roles.includes('public')])).toEqual(lookups[table] ? [[table, lookups[table], 'SELECT', false]] : []);
      const policies = all.filter((p) => p.policyname === 'tenant_isolation');
      expect(policies).toHaveLength(1);
      expect(policies[0].cmd).toBe('ALL');
      for (const expr of [policies[0].qual, policies[0].with_check]) {
        expect(expr.replace(/\s+/g, ' ')).toContain(`organization_id = (NULLIF(current_setting('app.organization_id'::text, true), ''::text))::uuid`);
      }
    }
  });

  test('every primary key and unique index of a tenant table starts with organization_id', async () => {
    for (const table of await tenantTables()) {
      const indexes = (await owner.query(`
        SELECT i.indexrelid::regclass::text AS name, a.attname AS first_column
        FROM pg_index i JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = i.indkey[0]
        WHERE i.indrelid = $1::regclass AND (i.indisunique OR i.indisprimary)`, [table])) as { name: string; first_column: string }[];
      expect(indexes.length).toBeGreaterThan(0);
      // The one exception: an LTI registration's (issuer, client id) names one tenant across the service.
      for (const idx of indexes.filter((i) => i.name !== 'uq_lti_platform_client')) expect({ table, index: idx.name, first: idx.first_column }).toEqual({ table, index: idx.name, first: 'organization_id' });
    }
  });

  test('foreign keys between tenant tables include organization_id', async () => {
    const tenant = new Set(await tenantTables());
    const fks = (await owner.query(`
      SELECT conrelid::regclass::text AS child, confrelid::regclass::text AS parent, conname,
             (SELECT array_agg(attname::text) FROM pg_attribute WHERE attrelid = conrelid AND attnum = ANY(conkey)) AS columns
      FROM pg_constraint WHERE contype = 'f'`)) as { child: string; parent: string; conname: string; columns: string[] }[];
    const between = fks.filter((fk) => tenant.has(fk.child) && tenant.has(fk.parent));
    expect(between.length).toBeGreaterThan(0);
    for (const fk of between) expect({ fk: fk.conname, hasOrg: fk.columns.includes('organization_id') }).toEqual({ fk: fk.conname, hasOrg: true });
  });

  test('the application role owns nothing and cannot bypass RLS', async () => {
    const [role] = (await owner.query(`SELECT rolsuper, rolbypassrls, rolcreaterole, rolcreatedb FROM pg_roles WHERE rolname = $1`, [APP_ROLE])) as Record<string, boolean>[];
    expect(role).toEqual({ rolsuper: false, rolbypassrls: false, rolcreaterole: false, rolcreatedb: false });
    const owned = (await owner.query(`SELECT relname FROM pg_class WHERE relowner = (SELECT oid FROM pg_roles WHERE rolname = $1)`, [APP_ROLE])) as unknown[];
    expect(owned).toEqual([]);
    const [who] = (await app.query('SELECT current_user AS u')) as { u: string }[];
    expect(who.u).toBe(APP_ROLE);
    await expect(app.query('CREATE TABLE sneaky (id int)')).rejects.toThrow();
    await expect(app.query('ALTER TABLE app_user DISABLE ROW LEVEL SECURITY')).rejects.toThrow();
    await expect(app.query('DELETE FROM audit_event')).rejects.toThrow();
  });

  test("the database's functions run as their caller under RLS (but the one public lookup), and only the application role may call them", async () => {
    const functions = (await owner.query(`
      SELECT p.proname, p.prosecdef, has_function_privilege($1, p.oid, 'EXECUTE') AS app,
             has_function_privilege('public', p.oid, 'EXECUTE') AS anyone, p.proconfig AS config
        FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
       WHERE n.nspname = 'public' ORDER BY 1`, [APP_ROLE])) as { proname: string; prosecdef: boolean; app: boolean; anyone: boolean; config: string[] | null }[];
    expect(functions.map((f) => f.proname)).toEqual(['enrollment_completed_event', 'job_queue_stats', 'lti_find_platform', 'lti_score_changed_event', 'outbox_event_enqueue', 'record_activity_progress', 'scorm_commit', 'scorm_cover_package', 'scorm_seq_holds', 'user_placed_event', 'verify_certificate']);
    // Those that run as the owner, with a fixed search path: two reach the job queue (which the
    // application role cannot), verify_certificate is the public lookup by verification code and
    // lti_find_platform the LTI launch's lookup of its registration by (issuer, client id).
    const definers = ['job_queue_stats', 'lti_find_platform', 'outbox_event_enqueue', 'verify_certificate'];
    // Trigger functions are not called: nobody holds EXECUTE on them.
    const triggers = ['enrollment_completed_event', 'lti_score_changed_event', 'outbox_event_enqueue', 'user_placed_event'];
    for (const f of functions) {
      expect({ ...f, config: undefined }).toEqual({ proname: f.proname, prosecdef: definers.includes(f.proname), app: !triggers.includes(f.proname), anyone: false, config: undefined });
      if (f.prosecdef) expect(f.config).toContain('search_path=pg_catalog, pg_temp');
    }
  });

  test('the application role cannot touch the job queue except through the outbox', async () => {
    await expect(app.query(`SELECT graphile_worker.add_job('outbox', '{}'::json)`)).rejects.toThrow(/permission denied/);
    await expect(app.query(`SELECT count(*) FROM graphile_worker._private_jobs`)).rejects.toThrow(/permission denied/);
    expect(await app.query('SELECT pending::int FROM job_queue_stats()')).toEqual([{ pending: expect.any(Number) }]);
  });

  test('without the tenant setting the application role reads no rows and cannot write any', async () => {
    const org = await seedOrg(owner, 'rls');
    await org.user('someone');
    expect(await owner.query('SELECT count(*)::int AS n FROM app_user')).toEqual([{ n: 1 }]);
    expect(await app.query('SELECT count(*)::int AS n FROM app_user')).toEqual([{ n: 0 }]);
    await expect(app.query(`INSERT INTO app_user (organization_id, id, external_id, name) VALUES ($1, $2, 'x', 'x')`, [org.id, newId()])).rejects.toThrow(/row-level security/);
  });

  test("with one tenant set, another tenant's rows are invisible and cannot be written", async () => {
    const a = await seedOrg(owner, 'tenant-a');
    const b = await seedOrg(owner, 'tenant-b');
    await a.user('alice');
    await b.user('bob');
    const asTenantA = <T>(fn: (m: EntityManager) => Promise<T>): Promise<T> =>
      app.transaction(async (m) => {
        await m.query(`SELECT set_config('app.organization_id', $1, true)`, [a.id]);
        return fn(m);
      });
    expect(await asTenantA((m) => m.query('SELECT external_id FROM app_user'))).toEqual([{ external_id: 'tenant-a-alice' }]);
    const [, updated] = (await asTenantA((m) => m.query(`UPDATE app_user SET name = 'hacked' WHERE organization_id = $1`, [b.id]))) as [unknown[], number];
    expect(updated).toBe(0);
    await expect(asTenantA((m) => m.query(`INSERT INTO app_user (organization_id, id, external_id, name) VALUES ($1, $2, 'y', 'y')`, [b.id, newId()]))).rejects.toThrow(/row-level security/);
    expect(await owner.query(`SELECT name FROM app_user WHERE external_id = 'tenant-b-bob'`)).toEqual([{ name: 'bob of tenant-b' }]);
  });

  test('entities and migrations agree: a generated migration would be empty', async () => {
    const diff = await owner.driver.createSchemaBuilder().log();
    expect(diff.upQueries.map((q) => q.query)).toEqual([]);
  });
});
