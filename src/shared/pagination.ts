import { ArgsType, Field, Int, ObjectType, type ClassType } from 'type-graphql';
import type { ObjectLiteral, SelectQueryBuilder } from 'typeorm';
import { badInput } from './errors';
import { isStorableText } from './text';

/** `first`/`after` arguments shared by every connection field. */
@ArgsType()
export class PageArgs {
  @Field(() => Int, { nullable: true, description: 'Page size (default 20, at most the server cap).' })
  first?: number;

  @Field(() => String, { nullable: true, description: 'Cursor of the last item of the previous page.' })
  after?: string;
}

@ObjectType()
export class PageInfo {
  @Field()
  hasNextPage: boolean;

  @Field(() => String, { nullable: true })
  endCursor: string | null;
}

/** What a service returns for a page: items, paging, and a lazy total. */
export interface Page<T> {
  nodes: T[];
  pageInfo: PageInfo;
  totalCount: () => Promise<number>;
}

/** Builds the `XConnection` / `XEdge` pair for a node type. */
export function Connection<T extends object>(node: ClassType<T>, name: string) {
  @ObjectType(`${name}Edge`)
  class Edge {
    @Field(() => node)
    node: T;

    @Field()
    cursor: string;
  }

  @ObjectType(`${name}Connection`)
  class ConnectionType {
    @Field(() => [node])
    nodes: T[];

    @Field(() => [Edge])
    edges(): Edge[] {
      const self = this as unknown as Page<T> & { cursors?: string[] };
      return self.nodes.map((n, i) => ({ node: n, cursor: self.cursors?.[i] ?? '' }));
    }

    @Field(() => PageInfo)
    pageInfo: PageInfo;

    @Field(() => Int)
    totalCount(): Promise<number> {
      return (this as unknown as Page<T>).totalCount();
    }
  }
  return ConnectionType;
}

/** Clamps a requested page size to [1, cap]. */
export function pageSize(first: number | undefined, cap: number, fallback = 20): number {
  if (first === undefined || first === null) return Math.min(fallback, cap);
  if (!Number.isInteger(first) || first < 1) throw badInput('`first` must be a positive integer');
  return Math.min(first, cap);
}

/**
 * What a sort column holds, so a cursor's values are checked before they reach SQL (a value that
 * decodes but does not fit its column would otherwise fail in PostgreSQL as a 500).
 */
export type CursorKind = 'text' | 'uuid' | 'timestamp';

/** One sort column of a keyset page: its SQL, how a row's value is read, and what it holds. */
export interface CursorColumn<T> {
  sql: string;
  key: (row: T) => unknown;
  kind: CursorKind;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const MAX_CURSOR_TEXT = 1000;
// Four-digit years from 0001, as toISOString writes them and PostgreSQL reads them.
const ISO_INSTANT = /^(?!0000)\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

function fitsKind(value: unknown, kind: CursorKind): boolean {
  if (typeof value !== 'string') return false;
  if (kind === 'uuid') return UUID.test(value);
  // Cursors carry what toISOString wrote (or 'infinity' for an open end): nothing else round-trips.
  if (kind === 'timestamp') return value === 'infinity' || (ISO_INSTANT.test(value) && new Date(value).toISOString() === value);
  return value.length <= MAX_CURSOR_TEXT && isStorableText(value);
}

/** An opaque keyset cursor of a row's sort values. */
export const encodeCursor = (values: unknown[]): string => Buffer.from(JSON.stringify(values)).toString('base64url');

/** Decodes a cursor of `kinds`; throws BAD_USER_INPUT unless each value fits its kind. */
export function decodeCursor(cursor: string, kinds: CursorKind[]): unknown[] {
  let values: unknown;
  try {
    values = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    values = null;
  }
  if (Array.isArray(values) && values.length === kinds.length && values.every((v, i) => fitsKind(v, kinds[i]))) return values;
  throw badInput('Malformed cursor');
}

/** `(sort columns) > (cursor values)` (`<` for DESC), each value bound by `bind` (which returns its placeholder). */
export function afterCursorSql<T>(columns: CursorColumn<T>[], values: unknown[], direction: 'ASC' | 'DESC', bind: (value: unknown, i: number) => string): string {
  return `(${columns.map((c) => c.sql).join(', ')}) ${direction === 'ASC' ? '>' : '<'} (${values.map(bind).join(', ')})`;
}

/**
 * A keyset page ordered by `columns` (the last one unique, e.g. the id): `read` returns at most
 * `limit` rows after the cursor's sort values (none for the first page), each refused as malformed
 * unless it fits its column's kind; `count` runs only when a client asks for the total.
 */
export async function keysetPage<T>(
  args: PageArgs,
  cap: number,
  columns: CursorColumn<T>[],
  read: (limit: number, after: unknown[] | undefined) => Promise<T[]>,
  count: () => Promise<number>,
): Promise<Page<T> & { cursors: string[] }> {
  const size = pageSize(args.first, cap);
  const after = args.after ? decodeCursor(args.after, columns.map((c) => c.kind)) : undefined;
  const rows = await read(size + 1, after);
  const nodes = rows.slice(0, size);
  const cursorOf = (row: T): string => encodeCursor(columns.map((c) => c.key(row)));
  // Every node's cursor only for clients that ask for edges: a dashboard asks for nodes.
  let cursors: string[] | undefined;
  return {
    nodes,
    get cursors() {
      return (cursors ??= nodes.map(cursorOf));
    },
    pageInfo: { hasNextPage: rows.length > size, endCursor: nodes.length ? cursorOf(nodes[nodes.length - 1]) : null },
    totalCount: count,
  };
}

/** `keysetPage` over a TypeORM query: `qb` ordered by `columns`, all in `direction`. */
export function paginate<T extends ObjectLiteral>(
  qb: SelectQueryBuilder<T>,
  args: PageArgs,
  cap: number,
  columns: CursorColumn<T>[],
  direction: 'ASC' | 'DESC' = 'ASC',
): Promise<Page<T> & { cursors: string[] }> {
  const countQb = qb.clone();
  return keysetPage(args, cap, columns, (limit, after) => {
    if (after) qb.andWhere(afterCursorSql(columns, after, direction, (_, i) => `:cursor${i}`), Object.fromEntries(after.map((v, i) => [`cursor${i}`, v])));
    for (const [i, c] of columns.entries()) {
      if (i === 0) qb.orderBy(c.sql, direction);
      else qb.addOrderBy(c.sql, direction);
    }
    return qb.limit(limit).getMany();
  }, () => countQb.getCount());
}
