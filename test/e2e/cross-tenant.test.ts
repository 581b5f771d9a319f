import {
  getNamedType, isEnumType, isInputObjectType, isInterfaceType, isListType, isNonNullType, isObjectType, isScalarType,
  type GraphQLField, type GraphQLInputType, type GraphQLNamedType, type GraphQLSchema,
} from 'graphql';
import { buildAppSchema } from '../../src/schema';
import { newId, toGlobalId } from '../../src/shared/ids';
import { Role } from '../../src/shared/permissions';
import { startTestApp, type TestApp } from '../support/app';
import { seedOrg, type SeededOrg } from '../support/seed';
import { seedTenantData } from '../support/tenant-data';

/**
 * Walks every root query and mutation of the schema as tenant B's org admin, feeding tenant A's
 * ids into every ID argument. New fields are covered without new tests.
 */
let t: TestApp;
let schema: GraphQLSchema;
let a: SeededOrg;
let tokenB: string;
/** Global ids of tenant A's rows, by GraphQL type. */
let idsOfA: Map<string, string>;
let secretsOfA: string[];

/** The table behind a Node type (snake_case of its name unless listed). */
const TABLE_OF: Record<string, string> = { User: 'app_user', CertificationExport: 'report_export' };
const tableOf = (type: string): string => TABLE_OF[type] ?? type.replace(/([a-z0-9])([A-Z])/g, '$1_$2').toLowerCase();

beforeAll(async () => {
  t = await startTestApp();
  schema = await buildAppSchema();
  a = await seedOrg(t.owner, 'walk-a');
  const b = await seedOrg(t.owner, 'walk-b');
  await b.user('admin', [Role.ORG_ADMIN]);
  tokenB = await t.token(b.id, 'walk-b-admin');
  await seedTenantData(t, a);
  const tables = (await t.owner.query(`SELECT table_name FROM information_schema.columns WHERE table_schema = 'public' AND column_name = 'organization_id'`)) as { table_name: string }[];
  tenantTables = new Set(tables.map((r) => r.table_name));
  idsOfA = new Map();
  for (const type of tenantNodeTypes()) {
    if (type === 'Organization') {
      idsOfA.set(type, toGlobalId(type, a.id));
      continue;
    }
    const rows = (await t.owner.query(`SELECT id FROM ${tableOf(type)} WHERE organization_id = $1 LIMIT 1`, [a.id])) as { id: string }[];
    if (rows[0]) idsOfA.set(type, toGlobalId(type, rows[0].id));
  }
  secretsOfA = [a.id, a.slug, ...[...idsOfA.values()]];
});
afterAll(() => t.close());

function nodeTypes(): string[] {
  return Object.values(schema.getTypeMap())
    .filter((type) => isObjectType(type) && type.getInterfaces().some((i) => i.name === 'Node'))
    .map((type) => type.name);
}

/** Node types stored per tenant; platform types (templates) are shared by design. */
let tenantTables: Set<string>;
function tenantNodeTypes(): string[] {
  return nodeTypes().filter((type) => type === 'Organization' || tenantTables.has(tableOf(type)));
}

/** A harmless value of an input type; ID leaves take `id`. */
function valueFor(type: GraphQLInputType, id: string): unknown {
  if (isNonNullType(type)) return valueFor(type.ofType, id);
  if (isListType(type)) return [valueFor(type.ofType, id)];
  if (isEnumType(type)) return type.getValues()[0].value;
  if (isInputObjectType(type) && type.isOneOf) {
    const [first] = Object.values(type.getFields());
    return { [first.name]: valueFor(first.type, id) };
  }
  if (isInputObjectType(type)) {
    const out: Record<string, unknown> = {};
    for (const field of Object.values(type.getFields())) {
      if (isNonNullType(field.type) || takesId(field.type)) out[field.name] = valueFor(field.type, id);
    }
    return out;
  }
  const scalars: Record<string, unknown> = { ID: id, String: 'x', Int: 1, Float: 1, Boolean: false, DateTimeISO: '2030-01-01T00:00:00.000Z', JSON: {} };
  return scalars[type.name] ?? 'x';
}

/** Does this argument (or an input inside it) take an ID? */
function takesId(type: GraphQLInputType, seen = new Set<string>()): boolean {
  const named = getNamedType(type);
  if (named.name === 'ID') return true;
  if (!isInputObjectType(named) || seen.has(named.name)) return false;
  seen.add(named.name);
  return Object.values(named.getFields()).some((f) => takesId(f.type, seen));
}

/** Scalars of the returned type, two levels deep, so leaks would show. */
function selection(type: GraphQLNamedType, depth = 0): string {
  if (isInterfaceType(type)) return `__typename ${Object.values(type.getFields()).filter((f) => isScalarType(getNamedType(f.type))).map((f) => f.name).join(' ')}`;
  if (!isObjectType(type)) return '';
  const parts = ['__typename'];
  for (const field of Object.values(type.getFields())) {
    if (field.args.some((arg) => isNonNullType(arg.type))) continue;
    const named = getNamedType(field.type);
    if (isScalarType(named) || isEnumType(named)) parts.push(field.name);
    else if (depth < 2) parts.push(`${field.name} { ${selection(named, depth + 1)} }`);
  }
  return parts.join(' ');
}

function operationFor(kind: 'query' | 'mutation', field: GraphQLField<unknown, unknown>, id: string) {
  const args = field.args.filter((arg) => isNonNullType(arg.type) || takesId(arg.type));
  const vars = Object.fromEntries(args.map((arg) => [arg.name, valueFor(arg.type, id)]));
  const decl = args.length ? `(${args.map((arg) => `$${arg.name}: ${String(arg.type)}`).join(', ')})` : '';
  const call = args.length ? `(${args.map((arg) => `${arg.name}: $${arg.name}`).join(', ')})` : '';
  const sel = selection(getNamedType(field.type));
  return { query: `${kind}${decl} { ${field.name}${call}${sel ? ` { ${sel} }` : ''} }`, variables: vars };
}

function codesOf(body: { data?: unknown; errors?: { extensions?: { code?: string } }[] }): string[] {
  const payloadCodes = Object.values((body.data as Record<string, { errors?: { code: string }[] } | null> | null) ?? {})
    .flatMap((v) => (v && Array.isArray(v.errors) ? v.errors.map((e) => e.code) : []));
  return [...(body.errors ?? []).map((e) => e.extensions?.code ?? '?'), ...payloadCodes].sort();
}

async function snapshotOfA(): Promise<string> {
  const tables = (await t.owner.query(`SELECT DISTINCT table_name FROM information_schema.columns WHERE table_schema = 'public' AND column_name = 'organization_id' ORDER BY 1`)) as { table_name: string }[];
  const parts: unknown[] = [];
  for (const { table_name } of tables) parts.push(await t.owner.query(`SELECT * FROM ${table_name} x WHERE organization_id = $1 ORDER BY x::text`, [a.id])); // some tables (lti_user_link) have no id
  return JSON.stringify(parts);
}

test('every Node type maps to a table, and every tenant Node type has tenant A rows to try', async () => {
  expect([...idsOfA.keys()].sort()).toEqual(tenantNodeTypes().sort());
  const allTables = (await t.owner.query(`SELECT table_name FROM information_schema.tables WHERE table_schema = 'public'`)) as { table_name: string }[];
  const known = new Set(allTables.map((r) => r.table_name));
  for (const type of nodeTypes()) if (type !== 'Organization') expect({ type, table: known.has(tableOf(type)) }).toEqual({ type, table: true });
});

test("tenant B's admin gets NOT_FOUND for tenant A's ids on every root field, learns nothing, changes nothing", async () => {
  const before = await snapshotOfA();
  const roots = [['query', schema.getQueryType()!], ['mutation', schema.getMutationType()!]] as const;
  let checked = 0;
  for (const [kind, root] of roots) {
    for (const field of Object.values(root.getFields())) {
      const withIds = field.args.some((arg) => takesId(arg.type));
      const candidates = withIds ? [...idsOfA.entries()] : [['-', '-'] as [string, string]];
      for (const [type, id] of candidates) {
        const op = operationFor(kind, field, id);
        const res = await t.gql(op.query, op.variables, { token: tokenB });
        const text = JSON.stringify(res.body);
        const label = `${field.name}(${type})`;
        for (const secret of secretsOfA) expect({ label, leaked: text.includes(secret) ? secret : null }).toEqual({ label, leaked: null });
        expect({ label, status: res.status < 500 }).toEqual({ label, status: true });
        if (!withIds) continue;
        const codes = codesOf(res.body);
        const control = operationFor(kind, field, toGlobalId(type, newId()));
        const controlCodes = codesOf((await t.gql(control.query, control.variables, { token: tokenB })).body);
        // Same answer as for an id that exists nowhere: no way to tell A's rows exist.
        expect({ label, codes }).toEqual({ label, codes: controlCodes });
        expect({ label, codes, ok: codes.includes('NOT_FOUND') || (codes.length > 0 && codes.every((c) => c === 'FORBIDDEN')) }).toEqual({ label, codes, ok: true });
        checked++;
      }
    }
  }
  expect(checked).toBeGreaterThan(10);
  expect(await snapshotOfA()).toBe(before);
  // Two requests per root field and Node type: the walk grows with the schema.
}, 120_000);
