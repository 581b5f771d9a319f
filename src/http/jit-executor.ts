import type { GatewayExecutor, GatewayInterface, GatewaySchemaLoadOrUpdateCallback } from '@apollo/server-gateway-interface';
import { GraphQLError, execute, getVariableValues, type DocumentNode, type ExecutionResult, type GraphQLSchema } from 'graphql';
import { compileQuery, isCompiledQuery, type CompiledQuery } from 'graphql-jit';
import { activityViewSchema, serveActivityViews, servesActivityViews } from '../modules/catalog/activity-views';
import type { RequestContext } from '../shared/context';

/** An operation compiled, and whether against the activity-view schema (activity-views.ts). */
interface CompiledOperation {
  query: CompiledQuery | ExecutionResult;
  views: boolean;
}

/** An operation run once so far (by graphql-js), or compiled. */
type Compiled = 'seen' | CompiledOperation;

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
 * the operation is in use, so they live as long as it does. An operation whose activities all come
 * from `CourseModule.activities` and ask only what an activity view has (the learner catalog) is
 * compiled against the view schema and reads those activities as views (catalog/activity-views.ts).
 */
export function jitGateway(schema: GraphQLSchema): GatewayInterface {
  const compiled = new WeakMap<DocumentNode, Map<string | undefined, Compiled>>();
  const viewSchema = activityViewSchema(schema);
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
    const views = servesActivityViews(schema, document, operationName);
    const fresh = { query: compileQuery(views ? viewSchema : schema, document, operationName, { disablingCapturingStackErrors: true }), views };
    byName.set(operationName, fresh);
    return fresh;
  };
  const executor: GatewayExecutor = async (request) => {
    const operationName = request.operationName ?? undefined;
    const variables = request.request.variables ?? {};
    const operation = compiledFor(request.document, operationName);
    if (!operation) return execute({ schema, document: request.document, operationName, variableValues: variables, contextValue: request.context });
    const { query } = operation;
    if (!isCompiledQuery(query)) return query;
    // Before graphql-jit, graphql-js coerces the variables: its errors carry the variable's node, which
    // Apollo reads to answer BAD_USER_INPUT with a 400 (graphql-jit's do not, and it checks some less).
    if (request.operation.variableDefinitions?.length) {
      const coerced = getVariableValues(schema, request.operation.variableDefinitions, variables, { maxErrors: 50 });
      if (coerced.errors) return { errors: coerced.errors };
    }
    if (operation.views) serveActivityViews(request.context as RequestContext);
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
