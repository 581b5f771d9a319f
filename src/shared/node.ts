import { Field, ID, InterfaceType } from 'type-graphql';
import type { RequestContext } from './context';
import { notFound } from './errors';
import { fromGlobalId, toGlobalId } from './ids';

/** Relay's Node: anything with a global id that `node(id)` can fetch. */
@InterfaceType({ description: 'An object with a global id.' })
export abstract class Node {
  @Field(() => ID)
  id: string;
}

type Fetcher = (ctx: RequestContext, id: string) => Promise<object | null>;
const fetchers = new Map<string, Fetcher>();

/** A module registers how `node(id)` finds its type; fetchers must scope by the context's tenant. */
export function registerNode(type: string, fetch: Fetcher): void {
  fetchers.set(type, fetch);
}

/** Fetches any node by global id; unknown types and other tenants' ids answer NOT_FOUND. */
export async function fetchNode(ctx: RequestContext, globalId: string): Promise<object> {
  const { type, id } = fromGlobalId(globalId);
  const fetch = fetchers.get(type);
  const found = fetch ? await fetch(ctx, id) : null;
  if (!found) throw notFound();
  return found;
}

export { toGlobalId };
