import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { parse, validate, type DocumentNode, type GraphQLSchema } from 'graphql';
import { Role } from '../shared/permissions';
import type { PersistedQueryMode } from '../config';
import type { RequestContext } from '../shared/context';

/** One operation of an Apollo persisted query manifest. */
export interface PersistedOperation {
  id: string;
  name: string;
  type: 'query' | 'mutation' | 'subscription';
  body: string;
}

/**
 * The manifest Apollo's generator (`@apollo/generate-persisted-query-manifest`) writes: each
 * operation as Apollo Client sends it (`__typename` added, fragments appended), by the sha256 of
 * that text, which is the id Apollo's persisted query link sends.
 */
export interface PersistedQueryManifest {
  format: 'apollo-persisted-query-manifest';
  version: 1;
  operations: PersistedOperation[];
}

const sha256 = (text: string): string => createHash('sha256').update(text).digest('hex');

/**
 * The operations clients may run by their id, the sha256 of their text (what Apollo Client sends
 * as `extensions.persistedQuery.sha256Hash`). Every operation is checked against the schema when
 * the list is built, so a stale manifest stops the server at start rather than failing learners.
 */
export class PersistedQueryList {
  private constructor(private readonly bodies: ReadonlyMap<string, string>) {}

  /** `builtIn`: operations the service's own pages send (the learner view), allowed with the manifest's. */
  static fromManifest(manifest: unknown, schema: GraphQLSchema, builtIn: readonly PersistedOperation[] = []): PersistedQueryList {
    const m = manifest as Partial<PersistedQueryManifest> | null;
    if (!m || m.format !== 'apollo-persisted-query-manifest' || m.version !== 1 || !Array.isArray(m.operations)) {
      throw new Error('not an Apollo persisted query manifest (format "apollo-persisted-query-manifest", version 1, operations)');
    }
    const bodies = new Map<string, string>();
    for (const op of [...m.operations, ...builtIn]) {
      const label = `operation ${JSON.stringify(op?.name ?? op?.id)}`;
      if (typeof op?.id !== 'string' || typeof op.body !== 'string') throw new Error(`${label} needs an id and a body`);
      if (op.id !== sha256(op.body)) throw new Error(`${label}: its id is not the sha256 of its body`);
      let document: DocumentNode;
      try {
        document = parse(op.body);
      } catch (err) {
        throw new Error(`${label} does not parse: ${(err as Error).message}`);
      }
      const errors = validate(schema, document);
      if (errors.length) throw new Error(`${label} does not fit the schema: ${errors[0].message}`);
      bodies.set(op.id, op.body);
    }
    return new PersistedQueryList(bodies);
  }

  static load(file: string, schema: GraphQLSchema, builtIn: readonly PersistedOperation[] = []): PersistedQueryList {
    let json: unknown;
    try {
      json = JSON.parse(readFileSync(file, 'utf8'));
    } catch (err) {
      throw new Error(`cannot read the persisted query manifest ${file}: ${(err as Error).message}`);
    }
    return PersistedQueryList.fromManifest(json, schema, builtIn);
  }

  get size(): number {
    return this.bodies.size;
  }

  has(id: unknown): boolean {
    return typeof id === 'string' && this.bodies.has(id);
  }

  /**
   * Apollo's persisted query cache, serving the list: a client may send just the id. It is read
   * only, so a client cannot add operations by sending a query with its hash.
   */
  get cache() {
    const bodies = this.bodies;
    return {
      get: async (key: string) => bodies.get(key.startsWith('apq:') ? key.slice(4) : key),
      set: async () => undefined,
      delete: async () => false,
    };
  }
}

/** Whether a caller must send a persisted operation under `mode`. */
export function mustPersist(mode: PersistedQueryMode, ctx: RequestContext): boolean {
  if (mode === 'all') return true;
  if (mode === 'off') return false;
  const { principal } = ctx;
  return principal.kind === 'anonymous' || (principal.kind === 'user' && ctx.roles.every((role) => role === Role.LEARNER));
}
