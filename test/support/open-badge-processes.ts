import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';

/**
 * The processes the Open Badges tests run beside jest, which cannot load the ES-module signing
 * libraries: the built service (test/support/open-badge-lab.js) and an independent verifier
 * (test/support/badge-verifier.js, verifier-core) that fetches documents only from one origin.
 */
const root = path.resolve(__dirname, '../..');

/** The JWT secret the lab's service verifies bearer tokens with. */
export const LAB_JWT_SECRET = 'lab-jwt-secret-0123456789abcdef';

/** Starts the lab; resolves once it listens. */
export function startLab(env: NodeJS.ProcessEnv): Promise<ChildProcess> {
  const child = spawn('node', ['test/support/open-badge-lab.js'], { cwd: root, env: { PATH: process.env.PATH, ...env } });
  let out = '';
  child.stderr!.on('data', (d: Buffer) => (out += d.toString()));
  return new Promise((resolve, reject) => {
    child.stdout!.on('data', (d: Buffer) => (out += d.toString()) && out.includes('ready') && resolve(child));
    child.on('exit', (code) => reject(new Error(`lab exited with ${code}:\n${out}`)));
  });
}

/** Stops a child process with SIGTERM and waits for it. */
export async function stopProcess(child: ChildProcess | undefined): Promise<void> {
  if (!child || child.exitCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGTERM');
  await exited;
}

/** What verifier-core reports of one credential. */
export interface Verification { checks: Record<string, boolean>; errors: string[]; fetched: string[]; refused: string[] }

/** What verifier-core logs for a good, unrevoked badge (no issuer registry is configured). */
export const VALID = { valid_signature: true, revocation_status: true, expiration: true, registered_issuer: false };

export interface BadgeVerifier {
  verify(...credentials: object[]): Promise<Verification[]>;
  close(): void;
}

/** One verifier process that fetches from `origin` only; answers in request order. */
export function startVerifier(origin: string): BadgeVerifier {
  const child = spawn('node', ['test/support/badge-verifier.js', origin], { cwd: root });
  const pending: { resolve(results: Verification[]): void; reject(error: Error): void }[] = [];
  let out = '';
  let err = '';
  child.stderr!.on('data', (d: Buffer) => (err += d.toString()));
  child.stdout!.on('data', (d: Buffer) => {
    out += d.toString();
    for (let nl = out.indexOf('\n'); nl >= 0; nl = out.indexOf('\n')) {
      pending.shift()?.resolve(JSON.parse(out.slice(0, nl)));
      out = out.slice(nl + 1);
    }
  });
  child.on('exit', (code) => pending.splice(0).forEach((p) => p.reject(new Error(`verifier exited with ${code}: ${err}`))));
  return {
    verify: (...credentials) => new Promise((resolve, reject) => {
      pending.push({ resolve, reject });
      child.stdin!.write(`${JSON.stringify(credentials)}\n`);
    }),
    close: () => child.stdin!.end(),
  };
}
