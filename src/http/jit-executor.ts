import type { GatewayExecutor, GatewayInterface } from '@apollo/server-gateway-interface';
import { execute, GraphQLError, type DocumentNode, type ExecutionResult, type GraphQLSchema, type SourceLocation } from 'graphql';
import { compileQuery, isCompiledQuery, type CompiledQuery } from 'graphql-jit';

/**
 * Runs of an operation by graphql-js before it is compiled: compiling costs more than one run, so
 * an operation sent once (an ad-hoc query, a probe of the schema) is not worth it.
 */
const COMPILE_AFTER = 1;

/** An operation's runs so far, then its compiled form, or null where graphql-jit could not compile it. */
interface Entry {
  runs: number;
  query?: CompiledQuery['query'] | null;
}

/**
 * graphql-jit's errors only pose as graphql-js's (no `extensions` object, which Apollo reads):
 * the same error as graphql-js would have made of it, at the same place in the query.
 */
function asGraphQLError(error: GraphQLError): GraphQLError {
  const made = new GraphQLError(error.message, { path: error.path, originalError: error.originalError ?? undefined });
  return Object.assign(made, { locations: error.locations as SourceLocation[] | undefined });
}

/**
 * Executes operations with graphql-jit, which compiles each operation into a function once and
 * runs it without graphql-js's per-field interpretation (the learner catalog resolves thousands
 * of fields). Apollo still parses, validates (limits included), runs the plugins and formats the
 * errors: only execution changes. Where graphql-jit's answer would differ from graphql-js's,
 * graphql-js answers: variables that do not coerce (its errors carry the variable's node, which
 * Apollo needs to report BAD_USER_INPUT) and operations graphql-jit cannot compile.
 */
export function jitExecutor(schema: GraphQLSchema): GatewayExecutor {
  // Apollo keeps one parsed document per operation text (its document store), so documents are stable keys.
  const compiled = new WeakMap<DocumentNode, Map<string, Entry>>();
  const compiledOf = (document: DocumentNode, operationName: string | null): Entry['query'] => {
    let byName = compiled.get(document);
    if (!byName) compiled.set(document, (byName = new Map()));
    let entry = byName.get(operationName ?? '');
    if (!entry) byName.set(operationName ?? '', (entry = { runs: 0 }));
    if (entry.query === undefined && ++entry.runs > COMPILE_AFTER) {
      const result = compileQuery(schema, document, operationName ?? undefined);
      entry.query = isCompiledQuery(result) ? result.query : null;
    }
    return entry.query;
  };
  return async ({ document, operationName, request, context }) => {
    const variables = request.variables ?? {};
    const graphqlJs = (): Promise<ExecutionResult> | ExecutionResult =>
      execute({ schema, document, operationName, contextValue: context, variableValues: variables });
    const query = compiledOf(document, operationName);
    if (!query) return graphqlJs();
    const result = await query(undefined, context, variables);
    // Without data, the variables did not coerce: nothing ran, and graphql-js reports it as Apollo expects.
    if (!('data' in result)) return graphqlJs();
    return result.errors ? { ...result, errors: result.errors.map(asGraphQLError) } : result;
  };
}

/**
 * Apollo Server 5 takes a custom executor only through its gateway interface: this one serves a
 * fixed schema (no federation, no updates) and executes with `jitExecutor`.
 */
export function jitGateway(schema: GraphQLSchema): GatewayInterface {
  return {
    onSchemaLoadOrUpdate(callback) {
      callback({ apiSchema: schema, coreSupergraphSdl: '' });
      return () => undefined;
    },
    load: async () => ({ executor: jitExecutor(schema) }),
    stop: async () => undefined,
  };
}
