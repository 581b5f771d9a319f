import type { DataSource, EntityTarget } from 'typeorm';

/** How to read an entity's rows with plain SQL: the select list and how to turn rows into instances. */
export interface LeanReader<T> {
  /** `alias."column" AS "property"` for every mapped column (minus the excluded ones). */
  columns: string;
  /** Rows → entity instances, without running constructors or TypeORM's result transformer. */
  hydrate(rows: object[]): T[];
  /** The select list of `fromArrays`: every column but the tenant's (`organization_id`), in a fixed order. */
  tenantColumns: string;
  /**
   * Rows read as arrays (`TenantTransaction.preparedArrays`) selecting `tenantColumns` then the
   * `extra` columns → instances of the tenant `organizationId`, the extra columns as properties
   * named by `extra`.
   */
  fromArrays<E extends object = object>(rows: unknown[][], organizationId: string, extra?: readonly (keyof E & string)[]): (T & E)[];
}

type Build = (row: unknown[], organizationId: string) => object;

const cache = new Map<string, LeanReader<unknown>>();

/**
 * A reader for hot read paths (the learner catalog): hundreds of rows per request, where TypeORM's
 * hydration (and the entity constructors, which mint ids) dominated the CPU time. Timestamps travel
 * as epoch milliseconds, because parsing PostgreSQL's text timestamps cost more than the queries
 * (`date_part`, a float8, not `extract`, which computes in numeric since PostgreSQL 14).
 * The instances keep the entity's prototype, so `instanceof` holds.
 *
 * `fromArrays` is the hottest form: pg builds no object per row (`rowMode: 'array'`), the tenant's
 * id, the same on every row, is neither sent nor decoded, and each instance is built by a function
 * generated once per column list, which assigns every property in the same order (one hidden
 * class, no keyed stores): the catalog spent a quarter of its Node CPU decoding rows.
 */
export function leanReader<T>(ds: DataSource, entity: EntityTarget<T> & { prototype: T }, alias: string, exclude: string[] = []): LeanReader<T> {
  const metadata = ds.getMetadata(entity);
  const key = `${metadata.name}:${alias}:${exclude.join(',')}`;
  let reader = cache.get(key) as LeanReader<unknown> | undefined;
  if (!reader) {
    const columns = metadata.columns.filter((c) => !exclude.includes(c.propertyName));
    const dates = new Set(columns.filter((c) => c.type === 'timestamptz').map((c) => c.propertyName));
    const select = (list: typeof columns): string =>
      list.map((c) =>
        dates.has(c.propertyName)
          ? `date_part('epoch', ${alias}."${c.databaseName}") * 1000 AS "${c.propertyName}"`
          : `${alias}."${c.databaseName}" AS "${c.propertyName}"`).join(', ');
    const proto = entity.prototype as object;
    // Every column but the tenant's, which `fromArrays` sets from its argument.
    const own = columns.filter((c) => c.databaseName !== 'organization_id');
    const builders = new Map<string, Build>();
    reader = {
      columns: select(columns),
      hydrate: (rows) => rows.map((row) => {
        const out = Object.assign(Object.create(proto) as Record<string, unknown>, row);
        for (const d of dates) if (out[d] !== null) out[d] = new Date(out[d] as number);
        return out;
      }),
      tenantColumns: select(own),
      fromArrays: (rows, organizationId, extra = []) => {
        const extraKey = extra.join(',');
        let build = builders.get(extraKey);
        if (!build) builders.set(extraKey, (build = builder(proto, own.map((c) => c.propertyName), dates, extra)));
        return rows.map((row) => build(row, organizationId)) as never;
      },
    };
    cache.set(key, reader);
  }
  return reader as LeanReader<T>;
}

/**
 * `(row, organizationId) => instance` for rows of `names` then `extra`: generated code, because a
 * loop of keyed stores costs several times more per row. The names are the entity's property names
 * and the caller's constants, written as JSON string literals.
 */
function builder(proto: object, names: string[], dates: Set<string>, extra: readonly string[]): Build {
  const assign = [...names, ...extra].map((name, i) => {
    const value = dates.has(name) ? `row[${i}] === null ? null : new Date(row[${i}])` : `row[${i}]`;
    return `o[${JSON.stringify(name)}] = ${value};`;
  });
  const make = new Function('proto', `return function build(row, organizationId) { const o = Object.create(proto); o.organizationId = organizationId; ${assign.join(' ')} return o; };`) as (p: object) => Build;
  return make(proto);
}
