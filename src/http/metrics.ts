import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { DataSource } from 'typeorm';
import { pgPool } from '../db/pool';
import { queueStats } from '../jobs/queue-stats';
import type { DatabaseHealth } from '../db/postmaster';

/** The service's Prometheus metrics, on a registry of its own (one per server instance). */
export interface Metrics {
  registry: Registry;
  httpDuration: Histogram<'method' | 'route' | 'status'>;
  graphqlOperations: Counter<'type' | 'outcome'>;
  scormCommits: Counter<'outcome'>;
}

/** Whether the supervised embedded PostgreSQL is up, and how often it was restarted. */
function embeddedDatabaseMetrics(registry: Registry, database: DatabaseHealth): void {
  new Gauge({
    name: 'coursegraph_embedded_postgres_up',
    help: 'Whether the embedded PostgreSQL this process supervises is running (1) or not (0)',
    registers: [registry],
    collect() {
      this.set(database.up ? 1 : 0);
    },
  });
  let counted = 0;
  new Counter({
    name: 'coursegraph_embedded_postgres_restarts_total',
    help: 'Times the embedded PostgreSQL died and this process started it again',
    registers: [registry],
    collect() {
      this.inc(database.restarts - counted);
      counted = database.restarts;
    },
  });
}

export function createMetrics(dataSource: DataSource, database?: DatabaseHealth): Metrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  if (database) embeddedDatabaseMetrics(registry, database);
  new Gauge({
    name: 'coursegraph_db_pool_connections',
    help: 'Database pool connections by state',
    labelNames: ['state'],
    registers: [registry],
    collect() {
      const p = pgPool(dataSource);
      if (!p) return;
      this.set({ state: 'total' }, p.totalCount);
      this.set({ state: 'idle' }, p.idleCount);
      this.set({ state: 'waiting' }, p.waitingCount);
    },
  });
  new Gauge({
    name: 'coursegraph_job_queue_jobs',
    help: 'Jobs in the queue by state: pending, running, retrying (pending after a failure), failed (out of attempts)',
    labelNames: ['state'],
    registers: [registry],
    async collect() {
      const stats = await queueStats(dataSource).catch(() => null);
      if (!stats) return;
      for (const [state, n] of Object.entries(stats)) this.set({ state }, n);
    },
  });
  return {
    registry,
    httpDuration: new Histogram({
      name: 'coursegraph_http_request_duration_seconds',
      help: 'HTTP request duration by route and status',
      labelNames: ['method', 'route', 'status'],
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
      registers: [registry],
    }),
    graphqlOperations: new Counter({
      name: 'coursegraph_graphql_operations_total',
      help: 'GraphQL operations by type and outcome',
      labelNames: ['type', 'outcome'],
      registers: [registry],
    }),
    scormCommits: new Counter({
      name: 'coursegraph_scorm_commits_total',
      help: 'SCORM run-time commits by outcome: STORED, STALE (a no-op answered true) or why one was refused',
      labelNames: ['outcome'],
      registers: [registry],
    }),
  };
}
