import type DataLoader from 'dataloader';
import type { RequestContext } from './context';

type LoaderFactory<K, V> = (ctx: RequestContext) => DataLoader<K, V>;

/**
 * Declares a per-request loader. The factory runs once per request context, on that request's
 * transaction and tenant, so batches never cross requests or organizations.
 */
export function defineLoader<K, V>(factory: LoaderFactory<K, V>): (ctx: RequestContext) => DataLoader<K, V> {
  return (ctx) => {
    let loader = ctx.loaders.get(factory) as DataLoader<K, V> | undefined;
    if (!loader) {
      loader = factory(ctx);
      ctx.loaders.set(factory, loader);
    }
    return loader;
  };
}

/** Orders rows fetched for a batch of keys back into key order (null where missing). */
export function byKeys<K, V>(keys: readonly K[], rows: V[], keyOf: (row: V) => K): (V | null)[] {
  const map = new Map<K, V>();
  for (const row of rows) map.set(keyOf(row), row);
  return keys.map((k) => map.get(k) ?? null);
}

/** Groups rows fetched for a batch of keys into one list per key, in key order. */
export function groupByKeys<K, V>(keys: readonly K[], rows: V[], keyOf: (row: V) => K): V[][] {
  const map = new Map<K, V[]>();
  for (const row of rows) {
    const k = keyOf(row);
    const list = map.get(k);
    if (list) list.push(row);
    else map.set(k, [row]);
  }
  return keys.map((k) => map.get(k) ?? []);
}
