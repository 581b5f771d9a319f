import DataLoader from 'dataloader';
import Fastify, { type FastifyRequest } from 'fastify';
import { GraphQLDateTimeISO } from 'graphql-scalars';
import mercurius, { type IResolvers } from 'mercurius';
import { Pool, type PoolClient } from 'pg';
import { JwtVerifier } from '../src/shared/auth';
import { isUuid, toGlobalId } from '../src/shared/ids';
import type { BenchEnv } from './harness';
import { listen, POOL_SIZE } from './harness';

/**
 * The yardstick: what a performance-minded team would write for the learner catalog and `viewer`
 * with the fastest Node GraphQL stack at hand. Mercurius compiles operations with graphql-jit
 * (`jit: 1`), resolvers batch through DataLoaders on plain `pg`, rows come back already shaped
 * like the response (narrow columns, text of the caller's language chosen in SQL, ids encoded
 * once). It is fair to the project: same database and app role (RLS on), the same token check,
 * one read-only transaction per request with the tenant set in its first round trip, the caller
 * looked up in it, a pool as large as the app's, and nothing cached across requests.
 */
const SCHEMA = `
  scalar DateTimeISO
  enum EnrollmentStatus { COMPLETED IN_PROGRESS NOT_STARTED OVERDUE WITHDRAWN }
  enum ActivityKind { ASSESSMENT PAGE SCORM VIDEO }
  enum CompletionStatus { COMPLETED INCOMPLETE NOT_ATTEMPTED UNKNOWN }
  enum SuccessStatus { FAILED PASSED UNKNOWN }
  type Query { viewer: Viewer! }
  type Viewer { id: ID! enrollments(first: Int = 20): EnrollmentConnection! }
  type EnrollmentConnection { nodes: [Enrollment!]! }
  type Enrollment { id: ID! status: EnrollmentStatus! progressPercent: Int! dueAt: DateTimeISO revision: CourseRevision course: Course! }
  type CourseRevision { number: Int! }
  type Course { id: ID! code: String! title: String! modules: [CourseModule!]! }
  type CourseModule { id: ID! title: String! position: Int! activities: [Activity!]! }
  type Activity { id: ID! kind: ActivityKind! title: String! required: Boolean! progress: ActivityProgress }
  type ActivityProgress { completionStatus: CompletionStatus! successStatus: SuccessStatus! scoreScaled: Float progressMeasure: Float completed: Boolean! }
`;

declare module 'mercurius' {
  interface MercuriusContext {
    peer?: PeerContext;
  }
}

interface EnrollmentRow { id: string; rawId: string; courseId: string; revisionId: string }
interface ModuleRow { id: string; rawId: string; enrollmentId: string }
type Row = Record<string, unknown>;

/** One request's transaction, caller and loaders. */
class PeerContext {
  readonly loaders: ReturnType<typeof loadersFor>;
  constructor(readonly client: PoolClient, readonly orgId: string, readonly userId: string) {
    this.loaders = loadersFor(this);
  }

  async rows<T = Row>(sql: string, params: unknown[]): Promise<T[]> {
    return (await this.client.query(sql, [this.orgId, ...params])).rows as T[];
  }
}

const title = (alias: string): string => `${alias}.title->>'zh-CN' AS title`;
function grouped<T>(keys: readonly string[], rows: T[], keyOf: (row: T) => string): T[][] {
  const map = new Map<string, T[]>(keys.map((k) => [k, []]));
  for (const row of rows) map.get(keyOf(row))!.push(row);
  return keys.map((k) => map.get(k)!);
}

function loadersFor(ctx: PeerContext) {
  const one = (sql: string) => new DataLoader<string, Row>(async (ids) => {
    const rows = await ctx.rows<Row & { rawId: string }>(sql, [ids]);
    const map = new Map(rows.map((r) => [r.rawId, r]));
    return ids.map((id) => map.get(id)!);
  });
  return {
    course: one(`SELECT id AS "rawId", code, ${title('c')} FROM course c WHERE organization_id = $1 AND id = ANY($2::uuid[])`),
    revision: one(`SELECT id AS "rawId", number FROM course_revision WHERE organization_id = $1 AND id = ANY($2::uuid[])`),
    modules: new DataLoader<string, Row[]>(async (ids) => grouped(ids, await ctx.rows<Row & { revisionId: string }>(
      `SELECT m.id AS "rawId", m.revision_id AS "revisionId", ${title('m')}, m.position FROM course_module m
        WHERE m.organization_id = $1 AND m.revision_id = ANY($2::uuid[]) ORDER BY m.position, m.id`, [ids]), (r) => r.revisionId)),
    activities: new DataLoader<string, Row[]>(async (ids) => grouped(ids, await ctx.rows<Row & { moduleId: string }>(
      `SELECT a.id AS "rawId", a.module_id AS "moduleId", a.key, a.kind, ${title('a')}, a.required FROM activity a
        WHERE a.organization_id = $1 AND a.module_id = ANY($2::uuid[]) ORDER BY a.position, a.id`, [ids]), (r) => r.moduleId)),
    progress: new DataLoader<string, Map<string, Row>>(async (ids) => {
      const rows = await ctx.rows<Row & { enrollmentId: string; key: string }>(
        `SELECT p.enrollment_id AS "enrollmentId", p.activity_key AS key, upper(replace(p.completion_status, ' ', '_')) AS "completionStatus",
                upper(p.success_status) AS "successStatus", p.score_scaled AS "scoreScaled", p.progress_measure AS "progressMeasure", p.completed
           FROM activity_progress p WHERE p.organization_id = $1 AND p.enrollment_id = ANY($2::uuid[])`, [ids]);
      return grouped(ids, rows, (r) => r.enrollmentId).map((list) => new Map(list.map((r) => [r.key, r])));
    }),
  };
}

const resolvers: IResolvers = {
  DateTimeISO: GraphQLDateTimeISO,
  Query: {
    viewer: (_root, _args, { peer }) => ({ id: toGlobalId('User', peer!.userId) }),
  },
  Viewer: {
    async enrollments(_root, { first }: { first: number }, { peer }) {
      const nodes = await peer!.rows(
        `SELECT e.id AS "rawId", e.course_id AS "courseId", COALESCE(e.revision_id, c.published_revision_id) AS "revisionId",
                CASE WHEN e.status IN ('NOT_STARTED', 'IN_PROGRESS') AND e.due_at < now() THEN 'OVERDUE' ELSE e.status END AS status,
                e.progress_percent AS "progressPercent", e.due_at AS "dueAt"
           FROM enrollment e JOIN course c ON c.organization_id = e.organization_id AND c.id = e.course_id
          WHERE e.organization_id = $1 AND e.user_id = $2 AND e.closed_at IS NULL
          ORDER BY COALESCE(e.due_at, 'infinity'), e.id LIMIT $3`, [peer!.userId, Math.min(Math.max(first, 0), 100)]);
      return { nodes: nodes.map((e) => Object.assign(e, { id: toGlobalId('Enrollment', e.rawId as string) })) };
    },
  },
  Enrollment: {
    revision: (e: EnrollmentRow, _args, { peer }) => peer!.loaders.revision.load(e.revisionId),
    async course(e: EnrollmentRow, _args, { peer }) {
      const c = await peer!.loaders.course.load(e.courseId);
      return { ...c, id: toGlobalId('Course', e.courseId), revisionId: e.revisionId, enrollmentId: e.rawId };
    },
  },
  Course: {
    async modules(c: { revisionId: string; enrollmentId: string }, _args, { peer }) {
      const rows = await peer!.loaders.modules.load(c.revisionId);
      return rows.map((m) => ({ ...m, id: toGlobalId('CourseModule', m.rawId as string), enrollmentId: c.enrollmentId }));
    },
  },
  CourseModule: {
    async activities(m: ModuleRow, _args, { peer }) {
      const [rows, progress] = await Promise.all([peer!.loaders.activities.load(m.rawId), peer!.loaders.progress.load(m.enrollmentId)]);
      return rows.map((a) => ({ ...a, id: toGlobalId('Activity', a.rawId as string), progress: progress.get(a.key as string) ?? null }));
    },
  },
};

/** Opens the request's read-only tenant transaction and finds the caller in it (as the project does). */
async function begin(pool: Pool, jwt: JwtVerifier, req: FastifyRequest): Promise<PeerContext> {
  const claims = await jwt.verify(String(req.headers.authorization).replace(/^Bearer /, ''));
  if (!claims.organization || !isUuid(claims.organization)) throw new Error('the peer takes organization ids only');
  const client = await pool.connect();
  try {
    await client.query(`BEGIN READ ONLY; SELECT set_config('app.organization_id', '${claims.organization}', true)`);
    const { rows } = await client.query<{ id: string }>(`SELECT id FROM app_user WHERE organization_id = $1 AND external_id = $2 AND status = 'ACTIVE'`, [claims.organization, claims.subject]);
    if (!rows[0]) throw new Error('unknown user');
    return new PeerContext(client, claims.organization, rows[0].id);
  } catch (err) {
    client.release(true);
    throw err;
  }
}

async function finish(peer: PeerContext | undefined): Promise<void> {
  if (!peer) return;
  try {
    await peer.client.query('COMMIT');
    peer.client.release();
  } catch (err) {
    peer.client.release(err as Error);
  }
}

/** Starts the peer on its own port, with a pool of the app role's as large as the app's; returns its origin. */
export async function startPeer(env: BenchEnv): Promise<string> {
  const pool = new Pool({ connectionString: env.appUrl, max: POOL_SIZE });
  // An idle connection that fails (the cluster stopping at the end) must not end the bench.
  pool.on('error', () => undefined);
  const jwt = new JwtVerifier(env.config.jwt);
  const app = Fastify({ logger: false });
  await app.register(mercurius, {
    schema: SCHEMA, resolvers, jit: 1, graphiql: false,
    context: async (req) => ({ peer: await begin(pool, jwt, req) }),
  });
  // Committed before the response goes out, as the project does.
  app.graphql.addHook('onResolution', async (_execution, context) => {
    await finish(context.peer);
    context.peer = undefined;
  });
  env.onSettle(async () => {
    while (pool.totalCount > pool.idleCount || pool.waitingCount > 0) await new Promise((resolve) => setTimeout(resolve, 20));
  });
  env.onClose(async () => {
    await app.close();
    await pool.end();
  });
  return listen(app);
}
