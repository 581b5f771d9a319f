import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import type { DataSource } from 'typeorm';
import { loadConfig, type Config } from '../../src/config';
import { buildServer } from '../../src/server';
import { freePort } from '../../src/db/embedded';
import { mintDevToken } from '../../src/shared/auth';
import { connect, createTestDatabase, type TestDatabase } from './db';

export const TEST_JWT_SECRET = 'coursegraph-test-jwt-secret-0123456789';
export const TEST_SERVER_SECRET = 'coursegraph-test-server-secret-0123456789';

export interface GqlResponse<T = Record<string, unknown>> {
  status: number;
  headers: Headers;
  body: { data?: T | null; errors?: { message: string; path?: string[]; extensions?: { code?: string } }[] };
  /** SQL statements the request sent (from the x-sql-statements header). */
  statements: number;
}

export interface Auth {
  token?: string;
  apiKey?: string;
  headers?: Record<string, string>;
}

/** A running server on a fresh database, reached over real HTTP. */
export interface TestApp {
  url: string;
  config: Config;
  db: TestDatabase;
  /** Connected as the application role (RLS applies). */
  ds: DataSource;
  /** Connected as the owner (superuser: for seeding and inspecting). */
  owner: DataSource;
  app: FastifyInstance;
  gql<T = Record<string, unknown>>(query: string, variables?: Record<string, unknown>, auth?: Auth): Promise<GqlResponse<T>>;
  token(organizationId: string | undefined, subject: string): Promise<string>;
  close(): Promise<void>;
}

/** What the API helpers need of an app: its URL and GraphQL over HTTP (in this process or a separate service). */
export type GqlClient = Pick<TestApp, 'url' | 'gql'>;

/** GraphQL over HTTP to the service at `url`. */
export function gqlOver(url: string): TestApp['gql'] {
  return async <T>(query: string, variables?: Record<string, unknown>, auth: Auth = {}) => {
    const headers: Record<string, string> = { 'content-type': 'application/json', ...auth.headers };
    if (auth.token) headers.authorization = `Bearer ${auth.token}`;
    if (auth.apiKey) headers.authorization = `Bearer ${auth.apiKey}`;
    const res = await fetch(`${url}/graphql`, { method: 'POST', headers, body: JSON.stringify({ query, variables }) });
    const body = (await res.json()) as GqlResponse<T>['body'];
    return { status: res.status, headers: res.headers, body, statements: Number(res.headers.get('x-sql-statements') ?? NaN) };
  };
}

export function testConfig(overrides: NodeJS.ProcessEnv = {}): Config {
  const contentDir = mkdtempSync(path.join(tmpdir(), 'coursegraph-content-'));
  // A data folder of its own, so that the development mailbox of a test is not the repository's.
  const dataDir = mkdtempSync(path.join(tmpdir(), 'coursegraph-data-'));
  return loadConfig({ NODE_ENV: 'test', JWT_SECRET: TEST_JWT_SECRET, PORT: '0', LOG_LEVEL: 'silent', RATE_LIMIT_PER_MINUTE: '0', CONTENT_DIR: contentDir, DATA_DIR: dataDir, ...overrides });
}

export async function startTestApp(env: NodeJS.ProcessEnv = {}, logStream?: NodeJS.WritableStream): Promise<TestApp> {
  const db = await createTestDatabase();
  const ds = await connect(db);
  const owner = await connect(db, true);
  // A known port up front, so the URLs the service hands out (content, commit, player) are real.
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  // Content and the player on another origin than the API, as in production (CORS on commits).
  let config: Config;
  let app: FastifyInstance;
  try {
    config = testConfig({ PUBLIC_URL: url, CONTENT_BASE_URL: `http://localhost:${port}`, ...env });
    app = await buildServer({ dataSource: ds, config, serverSecret: TEST_SERVER_SECRET, logStream });
    await app.listen({ port, host: '127.0.0.1' });
  } catch (err) {
    // A configuration the server refuses: leave nothing behind.
    await ds.destroy();
    await owner.destroy();
    await db.drop();
    throw err;
  }
  return {
    url, config, db, ds, owner, app,
    gql: gqlOver(url),
    token: (organizationId, subject) => mintDevToken(config.jwt, { subject, organization: organizationId }),
    async close() {
      await app.close();
      await ds.destroy();
      await owner.destroy();
      await db.drop();
      rmSync(config.contentDir, { recursive: true, force: true });
      rmSync(config.dataDir, { recursive: true, force: true });
    },
  };
}
