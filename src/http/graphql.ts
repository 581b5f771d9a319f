import { ApolloServer, type ApolloServerPlugin } from '@apollo/server';
import { fastifyApolloDrainPlugin, fastifyApolloHandler } from '@as-integrations/fastify';
import {
  ApolloServerPluginCacheControlDisabled,
  ApolloServerPluginInlineTraceDisabled,
  ApolloServerPluginLandingPageDisabled,
  ApolloServerPluginUsageReportingDisabled,
} from '@apollo/server/plugin/disabled';
import { costLimitRule } from '@escape.tech/graphql-armor-cost-limit';
import { maxAliasesRule } from '@escape.tech/graphql-armor-max-aliases';
import { maxDepthRule } from '@escape.tech/graphql-armor-max-depth';
import type { FastifyInstance, RouteHandlerMethod } from 'fastify';
import { GraphQLError, type GraphQLSchema, type ValidationContext } from 'graphql';
import type { Config } from '../config';
import type { JwtVerifier } from '../shared/auth';
import type { ContextDeps, Locale, Principal, RequestContext } from '../shared/context';
import { AppError, formatError, httpStatusOf } from '../shared/errors';
import { checkOperationText } from '../shared/text';
import { buildAppSchema } from '../schema';
import type { Metrics } from './metrics';
import { PersistedQueryList, mustPersist } from './persisted-queries';
import { LEARNER_VIEW_OPERATIONS } from '../modules/learner-view/learner-view.operations';
import { contextOf, principalOf } from './request-context';
import { jitGateway } from './jit-executor';

type GraphQLContext = RequestContext & { authError?: unknown };

/**
 * The language each error is answered in. Apollo gives the error formatter no context, but hands
 * the same error objects to `didEncounterErrors` first, which has it. (An AsyncLocalStorage did
 * this before: on Node 20 it turns on promise hooks for the whole process, a cost on every
 * promise of every request.)
 */
const errorLocale = new WeakMap<object, Locale>();

const errorLocalePlugin: ApolloServerPlugin<GraphQLContext> = {
  async requestDidStart() {
    return {
      async didEncounterErrors({ contextValue, errors }) {
        for (const error of errors) errorLocale.set(error, contextValue.locale);
      },
    };
  },
};

/**
 * Opens the request's tenant transaction once the operation is known (and, with the caller's
 * roles known, holds learner-facing callers to the persisted-query allowlist); commits when the
 * response goes out.
 */
function transactionPlugin(config: Config, metrics: Metrics, allowlist: PersistedQueryList | undefined): ApolloServerPlugin<GraphQLContext> {
  return {
    async requestDidStart() {
      let operationType = 'unknown';
      return {
        async didResolveOperation({ contextValue, operation, request, document }) {
          operationType = operation?.operation ?? 'unknown';
          if (contextValue.authError) throw withHttpStatus(contextValue.authError);
          const badText = checkOperationText(request.variables, document);
          if (badText) throw withHttpStatus(badText);
          try {
            await contextValue.begin(operationType === 'query');
          } catch (err) {
            throw withHttpStatus(err);
          }
          const persisted = request.extensions?.persistedQuery as { sha256Hash?: unknown } | undefined;
          if (allowlist && mustPersist(config.persistedQueries.mode, contextValue) && !allowlist.has(persisted?.sha256Hash)) {
            throw withHttpStatus(new AppError('FORBIDDEN', 'This client runs persisted operations only: send extensions.persistedQuery.sha256Hash of an operation in the allowlist'));
          }
        },
        async willSendResponse({ contextValue, response }) {
          const ok = response.body.kind === 'single' && !response.body.singleResult.errors?.length;
          metrics.graphqlOperations.inc({ type: operationType, outcome: ok ? 'ok' : 'error' });
          if (!contextValue.started) return;
          try {
            await contextValue.finish(true);
          } catch (err) {
            contextValue.log.error({ err }, 'commit failed');
            response.http.status = 500;
            response.body = { kind: 'single', singleResult: { errors: [new GraphQLError('Internal server error', { extensions: { code: 'INTERNAL_SERVER_ERROR' } })] } };
          }
          if (config.env !== 'production') response.http.headers.set('x-sql-statements', String(contextValue.statementCount));
        },
      };
    },
  };
}

/** The allowlist a configuration names; a mode that needs one without a file is a configuration error. */
function persistedQueryList(config: Config, schema: GraphQLSchema): PersistedQueryList | undefined {
  const { mode, file } = config.persistedQueries;
  if (!file) {
    if (mode !== 'off') throw new Error(`PERSISTED_QUERIES=${mode} needs PERSISTED_QUERIES_FILE (an Apollo persisted query manifest)`);
    return undefined;
  }
  // The learner view (GET /learn) is a learner-facing client of its own: its operations are always allowed.
  return PersistedQueryList.load(file, schema, LEARNER_VIEW_OPERATIONS);
}

function withHttpStatus(err: unknown): unknown {
  if (err instanceof AppError) {
    return new GraphQLError(err.message, { originalError: err, extensions: { code: err.code, http: { status: httpStatusOf(err.code) } } });
  }
  return err;
}

/** Limit rules report a validation error (a 400 with BAD_USER_INPUT) instead of throwing (a 500). */
const asValidationError = {
  exposeLimits: true,
  propagateOnRejection: false,
  onReject: [(ctx: ValidationContext | null, err: GraphQLError) => ctx?.reportError(err)],
};

/** Mounts POST/GET /graphql with limits, masking and one tenant transaction per operation. */
export async function mountGraphQL(app: FastifyInstance, deps: ContextDeps, jwt: JwtVerifier, metrics: Metrics): Promise<ApolloServer<GraphQLContext>> {
  const { config } = deps;
  const production = config.env === 'production';
  const schema = await buildAppSchema();
  const allowlist = persistedQueryList(config, schema);
  if (allowlist) app.log.info({ operations: allowlist.size, mode: config.persistedQueries.mode }, 'persisted-query allowlist loaded');
  const apollo = new ApolloServer<GraphQLContext>({
    gateway: jitGateway(schema),
    // With an allowlist, Apollo serves its operations by id and registers nothing new.
    ...(allowlist ? { persistedQueries: { cache: allowlist.cache } } : {}),
    introspection: !production,
    includeStacktraceInErrorResponses: false,
    hideSchemaDetailsFromClientErrors: production,
    csrfPrevention: true,
    parseOptions: { maxTokens: config.limits.tokens },
    validationRules: [
      maxDepthRule({ n: config.limits.depth, ...asValidationError }),
      maxAliasesRule({ n: config.limits.aliases, ...asValidationError }),
      costLimitRule({ maxCost: config.limits.cost, ...asValidationError }),
    ],
    formatError: (formatted, error) =>
      formatError(formatted, error, (original) => app.log.error({ err: original }, 'unexpected error in GraphQL request'), errorLocale.get(error as object)),
    plugins: [
      fastifyApolloDrainPlugin(app),
      transactionPlugin(config, metrics, allowlist),
      errorLocalePlugin,
      ApolloServerPluginCacheControlDisabled(),
      ApolloServerPluginInlineTraceDisabled(),
      ApolloServerPluginUsageReportingDisabled(),
      ...(production ? [ApolloServerPluginLandingPageDisabled()] : []),
    ],
  });
  await apollo.start();
  const handler = fastifyApolloHandler(apollo, {
    context: async (req) => {
      let principal: Principal = { kind: 'anonymous' };
      let authError: unknown;
      try {
        principal = await principalOf(req, deps, jwt);
      } catch (err) {
        authError = err;
      }
      const ctx: GraphQLContext = contextOf(req, deps, principal);
      ctx.authError = authError;
      return ctx;
    },
  });
  app.route({ method: ['GET', 'POST', 'OPTIONS'], url: '/graphql', handler: handler as unknown as RouteHandlerMethod });
  return apollo;
}
