import type { GatewayExecutor, GatewayInterface, GatewaySchemaLoadOrUpdateCallback } from '@apollo/server-gateway-interface';
import { GraphQLError, execute, getVariableValues, type DocumentNode, type ExecutionResult, type GraphQLSchema } from 'graphql';
import { compileQuery, isCompiledQuery, type CompiledQuery } from 'graphql-jit';

/** An operation run once so far (by graphql-js), or compiled. */
type Compiled = 'seen' | CompiledQuery | ExecutionResult;

/**
 * graphql-jit's errors inherit from graphql-js's GraphQLError without its constructor: no
 * `extensions` object when the cause has none, which Apollo's error formatting reads. Made real
 * GraphQLErrors, they keep the message, path, locations and the original error.
 */
function asGraphQLError(error: GraphQLError): GraphQLError {
  if (error.constructor === GraphQLError) return error;
  const real = new GraphQLError(error.message, { path: error.path, originalError: error.originalError, extensions: error.extensions });
  Object.defineProperty(real, 'locations', { value: error.locations, enumerable: error.locations !== undefined, writable: true, configurable: true });
  return real;
}

/**
 * Executes operations with graphql-jit instead of graphql-js, through Apollo Server's one
 * documented executor hook (the gateway interface: Apollo still parses, validates, runs the
 * plugins and formats errors). graphql-js walks the selection anew on every request, allocating
 * an argument map, a resolve info and a path per field; graphql-jit compiles each operation once
 * into a function. Compiling costs more than running once, so an operation's first execution is
 * graphql-js's and it is compiled when it comes again (as mercurius's `jit: 1`): front ends repeat
 * their operations, while one-off ones (explorers, fuzzers, attackers) never pay for a compile.
 * Compiled operations are keyed by the parsed document, which Apollo's document cache keeps while
 * the operation is in use, so they live as long as it does.
 */
export function jitGateway(schema: GraphQLSchema): GatewayInterface {
  const compiled = new WeakMap<DocumentNode, Map<string | undefined, Compiled>>();
  /** The compiled operation, or undefined the first time an operation is seen. */
  const compiledFor = (document: DocumentNode, operationName: string | undefined): Exclude<Compiled, 'seen'> | undefined => {
    let byName = compiled.get(document);
    if (!byName) compiled.set(document, (byName = new Map()));
    const entry = byName.get(operationName);
    if (entry === undefined) {
      byName.set(operationName, 'seen');
      return undefined;
    }
    if (entry !== 'seen') return entry;
    const fresh = compileQuery(schema, document, operationName, { disablingCapturingStackErrors: true });
    byName.set(operationName, fresh);
    return fresh;
  };
  const executor: GatewayExecutor = async (request) => {
    const operationName = request.operationName ?? undefined;
    const variables = request.request.variables ?? {};
    const query = compiledFor(request.document, operationName);
    if (!query) return execute({ schema, document: request.document, operationName, variableValues: variables, contextValue: request.context });
    if (!isCompiledQuery(query)) return query;
    // Before graphql-jit, graphql-js coerces the variables: its errors carry the variable's node, which
    // Apollo reads to answer BAD_USER_INPUT with a 400 (graphql-jit's do not, and it checks some less).
    if (request.operation.variableDefinitions?.length) {
      const coerced = getVariableValues(schema, request.operation.variableDefinitions, variables, { maxErrors: 50 });
      if (coerced.errors) return { errors: coerced.errors };
    }
    const result = await query.query(undefined, request.context, variables);
    return result.errors ? { ...result, errors: result.errors.map(asGraphQLError) } : result;
  };
  return {
    onSchemaLoadOrUpdate(callback: GatewaySchemaLoadOrUpdateCallback) {
      callback({ apiSchema: schema, coreSupergraphSdl: '' });
      return () => undefined;
    },
    load: async () => ({ executor }),
    stop: async () => undefined,
  };
}
