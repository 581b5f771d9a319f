import { ArgsType, Field, Int, ObjectType, type ClassType } from 'type-graphql';
import type { ObjectLiteral, SelectQueryBuilder } from 'typeorm';
import { badInput } from './errors';

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

const encodeCursor = (values: unknown[]): string => Buffer.from(JSON.stringify(values)).toString('base64url');

function decodeCursor(cursor: string, width: number): unknown[] {
  try {
    const values = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as unknown;
    if (Array.isArray(values) && values.length === width) return values;
  } catch {
    // fall through
  }
  throw badInput('Malformed cursor');
}

/**
 * Keyset pagination over `qb` ordered by `columns` (all in `direction`) (the last one unique, e.g. the id). Cursors are
 * the row's sort values; `totalCount` runs only when a client asks for it.
 */
export async function paginate<T extends ObjectLiteral>(
  qb: SelectQueryBuilder<T>,
  args: PageArgs,
  cap: number,
  columns: { sql: string; key: (row: T) => unknown }[],
  direction: 'ASC' | 'DESC' = 'ASC',
): Promise<Page<T> & { cursors: string[] }> {
  const size = pageSize(args.first, cap);
  const countQb = qb.clone();
  if (args.after) {
    const values = decodeCursor(args.after, columns.length);
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
