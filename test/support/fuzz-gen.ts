import {
  getNamedType, isEnumType, isInputObjectType, isInterfaceType, isListType, isNonNullType, isObjectType, isScalarType, isUnionType,
  type GraphQLArgument, type GraphQLField, type GraphQLInputType, type GraphQLNamedType, type GraphQLObjectType, type GraphQLSchema,
} from 'graphql';
import { randomIndex, seededRandom } from '../../src/modules/assessment/engine/prng';

/** A seeded source of choices: the same seed gives the same run. */
export class Dice {
  private readonly next: () => number;
  constructor(seed: string) {
    this.next = seededRandom(seed);
  }

  int(n: number): number {
    return randomIndex(this.next, n);
  }

  chance(p: number): boolean {
    return this.next() / 0x100000000 < p;
  }

  pick<T>(items: readonly T[]): T {
    return items[this.int(items.length)];
  }
}

/** Ids the generator mixes in: real ones of the caller's tenant, another tenant's, and wrong ones. */
export interface FuzzIds {
  own: string[];
  foreign: string[];
}

const b64 = (s: string): string => Buffer.from(s).toString('base64url');

/** Strings that have broken services before: empty, huge, control and bidi characters, NUL, lone surrogates, injection-shaped. */
export function oddString(d: Dice): string {
  return d.pick([
    '', ' ', 'a', '0', '-1', 'null', 'true', '{}', '[]', '\u0000', 'a\u0000b', '\ud800', '\udfff', 'x\ud83d', '😀🀄', '\u202eevil',
    '\u0007\u001b', 'é'.normalize('NFD'), '杭州/萧山分公司/营业厅', '/'.repeat(300), '../'.repeat(40), '%2e%2e/%00', '<script>x</script>',
    "' OR '1'='1", "'; DROP TABLE x; --", '\\', '"', '${x}', 'x'.repeat(5000), '长'.repeat(20000), 'a b'.repeat(30000),
    'infinity', 'NaN', '1e309', '2026-02-30T00:00:00Z', '9999-12-31T23:59:59.999Z', '0000-00-00', 'javascript:alert(1)',
  ]);
}

/** Ids: real, another tenant's, of the wrong type, malformed, or cursors that decode to the wrong values. */
export function oddId(d: Dice, ids: FuzzIds): string {
  if (d.chance(0.5)) return d.pick(ids.own);
  return d.pick([
    () => d.pick(ids.own), () => d.pick(ids.foreign), () => oddString(d), () => b64(`User:${oddString(d)}`),
    () => b64('Course:00000000-0000-0000-0000-000000000000'), () => b64(`Nope:${d.pick(ids.own)}`),
    () => b64(JSON.stringify(d.pick([[1, 2], ['x', 'y'], [null], ['2026-01-01T00:00:00.000Z', 'x'], ['\u0000', '\u0000'], {}]))),
  ])();
}

function scalarValue(d: Dice, name: string, ids: FuzzIds): unknown {
  if (d.chance(0.08)) return d.pick([oddString(d), 2 ** 31, 2 ** 53 - 1, -(2 ** 31) - 1, 1.5, -0, 1e308, true, null, [], {}]);
  switch (name) {
    case 'ID': return oddId(d, ids);
    case 'Int': return d.pick([0, 1, 5, 20, 100, 101, -1, 2 ** 31 - 1]);
    case 'Float': return d.pick([0, 0.5, 1, -1, 100, 1e-9]);
    case 'Boolean': return d.chance(0.5);
    case 'DateTime': return d.pick(['2026-12-31T00:00:00Z', '2000-01-01T00:00:00.000Z', 'yesterday', '+275760-09-13T00:00:00Z']);
    case 'JSON': case 'JSONObject': return d.pick([{}, { a: 1 }, [1, 2], 'x', { deep: nested(d.int(60)) }, { '\u0000': 1 }]);
    // Text PostgreSQL cannot hold comes often: every string argument must refuse it cleanly.
    default: return d.chance(0.5) ? oddString(d) : d.chance(0.3) ? d.pick(['a\u0000', '\ud800x']) : `v${d.int(1000)}`;
  }
}

/** The value with every string cut to 100 characters and every list to 4 items. */
function shrink(value: unknown): unknown {
  if (typeof value === 'string') return value.slice(0, 100);
  if (Array.isArray(value)) return value.slice(0, 4).map(shrink);
  if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, shrink(v)]));
  return value;
}

const nested = (depth: number): unknown => (depth === 0 ? 'leaf' : { n: nested(depth - 1) });

/** A value for an input type: mostly well-typed with odd content, sometimes the wrong type outright. */
export function inputValue(d: Dice, type: GraphQLInputType, ids: FuzzIds, depth = 0): unknown {
  if (isNonNullType(type)) return d.chance(0.02) ? null : inputValue(d, type.ofType, ids, depth);
  if (d.chance(0.03)) return null;
  if (isListType(type)) {
    const n = d.chance(0.05) ? 600 : d.int(4);
    const items = Array.from({ length: n }, () => inputValue(d, type.ofType, ids, depth + 1));
    // Six hundred items test the item limits; six hundred huge strings would only make a body of
    // tens of megabytes that this client, sharing the server's event loop, takes seconds to encode.
    return n > 100 ? items.map((item) => shrink(item)) : items;
  }
  if (isEnumType(type)) return d.chance(0.9) ? d.pick(type.getValues()).value : oddString(d);
  if (isScalarType(type)) return scalarValue(d, type.name, ids);
  if (isInputObjectType(type)) {
    if (depth > 4) return {};
    const out: Record<string, unknown> = {};
    for (const field of Object.values(type.getFields())) {
      if (isNonNullType(field.type) || d.chance(0.6)) out[field.name] = inputValue(d, field.type, ids, depth + 1);
    }
    if (d.chance(0.05)) out[`extra${d.int(9)}`] = 'x';
    return out;
  }
  return null;
}

/** A selection set for an output type: scalars, some objects (deeper now and then), aliases, fragments on abstract types. */
function selection(d: Dice, schema: GraphQLSchema, type: GraphQLNamedType, depth: number, maxDepth: number): string {
  if (isUnionType(type) || isInterfaceType(type)) {
    const impls = isUnionType(type) ? type.getTypes() : schema.getPossibleTypes(type);
    const impl = d.pick(impls);
    return `{ __typename ... on ${impl.name} ${selection(d, schema, impl, depth + 1, maxDepth)} }`;
  }
  if (!isObjectType(type)) return '';
  const fields = Object.values((type as GraphQLObjectType).getFields());
  const chosen = new Set<GraphQLField<unknown, unknown>>();
  for (let i = 0; i < 1 + d.int(4); i++) chosen.add(d.pick(fields));
  const parts = ['__typename'];
  for (const field of chosen) {
    const named = getNamedType(field.type);
    const leaf = isScalarType(named) || isEnumType(named);
    if (!leaf && depth >= maxDepth) continue;
    if (field.args.some((a) => isNonNullType(a.type)) && depth > 0 && d.chance(0.5)) continue;
    const alias = d.chance(0.1) ? `a${d.int(1000)}: ` : '';
    const args = depth > 0 && field.args.length && d.chance(0.3) ? `(first: ${d.pick([1, 0, -1, 500])})` : '';
    const usable = field.args.some((a) => a.name === 'first') ? args : '';
    parts.push(`${alias}${field.name}${usable}${leaf ? '' : ` ${selection(d, schema, named, depth + 1, maxDepth) || '{ __typename }'}`}`);
  }
  return `{ ${parts.join(' ')} }`;
}

/** About four times the server's default body limit (MAX_BODY_BYTES). */
const MAX_OPERATION_CHARS = 4_000_000;

/** One GraphQL request built from the schema: a root field with arguments (as variables or literals) and a selection. */
export function fuzzOperation(d: Dice, schema: GraphQLSchema, ids: FuzzIds): { query: string; variables: Record<string, unknown> } {
  const mutation = d.chance(0.5);
  const root = (mutation ? schema.getMutationType() : schema.getQueryType())!;
  const field = d.pick(Object.values(root.getFields()));
  const variables: Record<string, unknown> = {};
  const declared: string[] = [];
  const args = field.args.filter((a) => isNonNullType(a.type) || d.chance(0.5)).map((arg: GraphQLArgument) => {
    const value = arg.name === 'after' && d.chance(0.7) ? oddId(d, ids) : inputValue(d, arg.type, ids);
    if (d.chance(0.8)) {
      variables[arg.name] = value;
      declared.push(`$${arg.name}: ${d.chance(0.05) ? 'String' : String(arg.type)}`);
      return `${arg.name}: $${arg.name}`;
    }
    return `${arg.name}: ${literal(value)}`;
  });
  const maxDepth = d.chance(0.05) ? 20 : 1 + d.int(4);
  const sel = selection(d, schema, getNamedType(field.type), 0, maxDepth);
  const one = `${field.name}${args.length ? `(${args.join(', ')})` : ''} ${sel}`;
  // Forty aliases of a field whose literal arguments are megabytes would be a body of hundreds of
  // megabytes: encoding it alone stalls the event loop this client shares with the server for
  // seconds. Bodies stay within a few times the server's limit, which is all a 413 needs.
  const aliases = d.chance(0.03) ? Math.max(1, Math.min(40, Math.floor(MAX_OPERATION_CHARS / one.length))) : 1;
  const body = Array.from({ length: aliases }, (_, i) => `${aliases > 1 ? `f${i}: ` : ''}${one}`).join(' ');
  const op = mutation ? 'mutation' : 'query';
  return { query: `${op}${declared.length ? `(${declared.join(', ')})` : ''} { ${body} }`, variables };
}

/** A GraphQL literal for a JSON value (enum-looking strings stay strings: the server must refuse them cleanly). */
function literal(value: unknown): string {
  if (value === null || value === undefined) return 'null';
  if (Array.isArray(value)) return `[${value.map(literal).join(', ')}]`;
  if (typeof value === 'object') return `{ ${Object.entries(value).map(([k, v]) => `${/^[_A-Za-z][_0-9A-Za-z]*$/.test(k) ? k : 'bad'}: ${literal(v)}`).join(', ')} }`;
  if (typeof value === 'number') return Number.isFinite(value) ? String(value) : '0';
  return JSON.stringify(value);
}
