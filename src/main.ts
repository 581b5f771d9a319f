import 'reflect-metadata';
import { openRuntime } from './app';
import { buildServer } from './server';
import { ensureDemoPlatformAdmin, isEmpty, loadDemoData } from './demo/load';
import { startRuntimeWorker } from './jobs/worker';

/** Boots the service: database, migrations, demo data on a fresh install, HTTP. */
async function main(): Promise<void> {
  const rt = await openRuntime();
  const { config, log } = rt;
  if (process.env.DEMO_DATA !== 'false' && (await isEmpty(rt.deps))) {
    log.info('empty database: loading the demo tenants');
    await ensureDemoPlatformAdmin(rt.db.ownerUrl);
    await loadDemoData(rt.deps, log);
  }
  const app = await buildServer({ dataSource: rt.dataSource, config, serverSecret: rt.secrets.serverSecret });
  await app.listen({ port: config.port, host: config.host });
  if (config.worker.enabled) await startRuntimeWorker(rt);
  const url = `${config.publicUrl}/graphql`;
  process.stdout.write(
    `\nCoursegraph is running: ${url}\n` +
      `Mint a demo token:   npm run cli -- token --org unicom-xiaoshan --role LEARNER\n` +
      `Then: curl -s ${url} -H "authorization: Bearer <token>" -H 'content-type: application/json' -d '{"query":"{ viewer { user { name } roles } }"}'\n\n`,
  );

  let stopping = false;
  const shutdown = async (signal: string): Promise<void> => {
    if (stopping) return;
    stopping = true;
    log.info({ signal }, 'shutting down: finishing in-flight requests');
    const timer = setTimeout(() => process.exit(1), 25_000).unref();
    try {
      await app.close();
      await rt.close();
    } finally {
      clearTimeout(timer);
    }
    process.exit(0);
  };
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
  process.on('SIGINT', () => void shutdown('SIGINT'));
}

main().catch((err: unknown) => {
  process.stderr.write(`Coursegraph failed to start: ${err instanceof Error ? err.stack ?? err.message : String(err)}\n`);
  process.exit(1);
});
