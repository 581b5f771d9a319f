/** Stops the embedded PostgreSQL the global setup started (if any). */
export default async function globalTeardown(): Promise<void> {
  await globalThis.__COURSEGRAPH_CLUSTER__?.stop();
}
