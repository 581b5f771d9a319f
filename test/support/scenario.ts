import { randomBytes } from 'node:crypto';
import http from 'node:http';
import type { DataSource } from 'typeorm';
import { createDataSource } from '../../ormconfig';
import { loadConfig } from '../../src/config';
import { mintDevToken } from '../../src/shared/auth';
import { Role } from '../../src/shared/permissions';
import { gqlOver, type GqlClient } from './app';
import { userGid } from './catalog';
import { blankCmi2004, withValues } from './cmi-fixtures';
import { commit, launch, manifest2004, scormCourse, type LaunchResult } from './scorm-course';
import { seedOrg } from './seed';
import { SERVICE_JWT_SECRET } from './service';
import { buildZip } from './zip-builder';

/** A tenant on a running service: an author, an admin, learners launched into one SCORM activity, tokens for all. */
export interface Scenario {
  api: GqlClient;
  owner: DataSource;
  organizationId: string;
  author: string;
  admin: string;
  learners: { token: string; launch: LaunchResult }[];
  activityId: string;
  /** URL of a large file of the package (for slow downloads). */
  bigFileUrl: string;
  bigFileBytes: number;
}

/** A SCORM package whose SCO is small and that also carries `bytes` of random data as big.bin. */
export async function packageWithBigFile(bytes: number): Promise<Buffer> {
  return buildZip([
    { name: 'imsmanifest.xml', data: manifest2004({ title: '大文件课件' }) },
    { name: 'index.html', data: '<!doctype html><title>SCO</title>' },
    { name: 'big.bin', data: randomBytes(bytes) },
  ]);
}

/** Seeds a tenant through the owner connection and builds a published SCORM course over the API. */
export async function seedScenario(url: string, ownerUrl: string, slug: string, learnerCount: number): Promise<Scenario> {
  const owner = createDataSource(ownerUrl, { extra: { max: 2 } });
  await owner.initialize();
  const org = await seedOrg(owner, slug);
  await org.user('author', [Role.AUTHOR]);
  await org.user('admin', [Role.ORG_ADMIN]);
  const people = await Promise.all(Array.from({ length: learnerCount }, (_, i) => org.user(`learner-${i}`)));
  const jwt = loadConfig({ JWT_SECRET: SERVICE_JWT_SECRET }).jwt;
  const token = (key: string) => mintDevToken(jwt, { subject: `${slug}-${key}`, organization: org.id });
  const [author, admin] = await Promise.all([token('author'), token('admin')]);
  const api: GqlClient = { url, gql: gqlOver(url) };
  const bigFileBytes = 12 * 1024 * 1024;
  const { activityIds } = await scormCourse(api, author, admin, await packageWithBigFile(bigFileBytes), `${slug}-c`, people.map(userGid));
  const learners = await Promise.all(people.map(async (_, i) => {
    const learnerToken = await token(`learner-${i}`);
    return { token: learnerToken, launch: await launch(api, learnerToken, activityIds[0]) };
  }));
  const bigFileUrl = learners[0].launch.contentUrl.replace(/index\.html$/, 'big.bin');
  return { api, owner, organizationId: org.id, author, admin, learners, activityId: activityIds[0], bigFileUrl, bigFileBytes };
}

/** A commit whose location records its sequence number (so a test can tell which commit was stored last). */
export function sequencedCommit(commitUrl: string, sequence: number): ReturnType<typeof commit> {
  return commit(commitUrl, withValues(blankCmi2004(), { location: String(sequence), exit: 'suspend' }), sequence);
}

/** The stored location (the last sequence stored) of each attempt, by attempt global id. */
export async function storedLocations(owner: DataSource, attemptGids: string[]): Promise<number[]> {
  const ids = attemptGids.map((gid) => Buffer.from(gid, 'base64url').toString().split(':')[1]);
  const rows = (await owner.query('SELECT id, location FROM activity_attempt WHERE id = ANY($1)', [ids])) as { id: string; location: string }[];
  return ids.map((id) => Number(rows.find((r) => r.id === id)?.location ?? -1));
}

/**
 * Downloads `url` slowly: reads a chunk, then waits, so the response stays in flight for about
 * `ms`. Resolves with the status and the number of bytes received (rejects if the connection is cut).
 */
export function slowDownload(url: string, ms: number, expectedBytes: number): Promise<{ status: number; bytes: number }> {
  return new Promise((resolve, reject) => {
    http.get(url, { agent: false }, (res) => {
      let bytes = 0;
      const pause = Math.max(1, Math.round(ms / (expectedBytes / 65536)));
      res.on('data', (chunk: Buffer) => {
        bytes += chunk.length;
        res.pause();
        setTimeout(() => res.resume(), pause);
      });
      res.on('end', () => resolve({ status: res.statusCode ?? 0, bytes }));
      res.on('error', reject);
      res.on('aborted', () => reject(new Error(`download cut after ${bytes} bytes`)));
    }).on('error', reject);
  });
}

/**
 * Uploads a SCORM package slowly (multipart, written in pieces over about `ms`), calling `midway`
 * once half of it is sent. Resolves with the status and the parsed answer.
 */
export function slowUpload(url: string, token: string, zip: Buffer, ms: number, midway: () => void): Promise<{ status: number; body: Record<string, unknown> }> {
  const boundary = `----cg${randomBytes(8).toString('hex')}`;
  const head = Buffer.from(`--${boundary}\r\ncontent-disposition: form-data; name="file"; filename="slow.zip"\r\ncontent-type: application/zip\r\n\r\n`);
  const body = Buffer.concat([head, zip, Buffer.from(`\r\n--${boundary}--\r\n`)]);
  return new Promise((resolve, reject) => {
    const req = http.request(`${url}/scorm/packages`, {
      method: 'POST', agent: false,
      headers: { authorization: `Bearer ${token}`, 'content-type': `multipart/form-data; boundary=${boundary}`, 'content-length': body.length },
    }, (res) => {
      let text = '';
      res.on('data', (d: Buffer) => (text += d.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: JSON.parse(text) as Record<string, unknown> }));
    });
    req.on('error', reject);
    const pieces = 20;
    const size = Math.ceil(body.length / pieces);
    let i = 0;
    const next = (): void => {
      if (i === pieces / 2) midway();
      if (i === pieces) return void req.end();
      req.write(body.subarray(i * size, (i + 1) * size));
      i += 1;
      setTimeout(next, ms / pieces);
    };
    next();
  });
}
