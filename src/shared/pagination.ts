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

/**
 * Keyset pagination over `qb` ordered by `columns` (all in `direction`) (the last one unique, e.g. the id). Cursors are
 * the row's sort values, refused as malformed unless each fits its column's kind; `totalCount` runs only when a client asks for it.
 */
export async function paginate<T extends ObjectLiteral>(
  qb: SelectQueryBuilder<T>,
  args: PageArgs,
  cap: number,
  columns: CursorColumn<T>[],
  direction: 'ASC' | 'DESC' = 'ASC',
): Promise<Page<T> & { cursors: string[] }> {
  const size = pageSize(args.first, cap);
  const countQb = qb.clone();
  if (args.after) {
    const values = decodeCursor(args.after, columns.map((c) => c.kind));
    const names = values.map((_, i) => `:cursor${i}`);
    const op = direction === 'ASC' ? '>' : '<';
    qb.andWhere(`(${columns.map((c) => c.sql).join(', ')}) ${op} (${names.join(', ')})`, Object.fromEntries(values.map((v, i) => [`cursor${i}`, v])));
  }
  for (const [i, c] of columns.entries()) {
    if (i === 0) qb.orderBy(c.sql, direction);
    else qb.addOrderBy(c.sql, direction);
  }
  const rows = await qb.limit(size + 1).getMany();
  const nodes = rows.slice(0, size);
  const cursors = nodes.map((row) => encodeCursor(columns.map((c) => c.key(row))));
  return {
    nodes,
    cursors,
    pageInfo: { hasNextPage: rows.length > size, endCursor: cursors.at(-1) ?? null },
    totalCount: () => countQb.getCount(),
  };
}
