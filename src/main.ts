import 'reflect-metadata';
import { openRuntime, startFailure, type Runtime } from './app';
import { buildServer } from './server';
import { ensureDemoPlatformAdmin, isEmpty, loadDemoData } from './demo/load';
import { startRuntimeWorker } from './jobs/worker';
import { closeHttp } from './shutdown';

/** Runs the shutdown once on SIGTERM or SIGINT, then exits 0 (1 when a step failed or it overran). */
function exitOnSignals(rt: Runtime): void {
  const onSignal = (signal: NodeJS.Signals): void => {
    rt.log.info({ signal }, 'shutting down: finishing in-flight requests');
    // A backstop only: every step is bounded on its own.
    setTimeout(() => process.exit(1), rt.config.shutdownGraceMs + 40_000).unref();
    void rt.shutdown.run().then((ok) => process.exit(ok ? 0 : 1));
  };
  process.on('SIGTERM', onSignal);
  process.on('SIGINT', onSignal);
}

/** Boots the service: database, migrations, demo data on a fresh install, HTTP. */
async function main(): Promise<void> {
  const rt = await openRuntime();
  const { config, log } = rt;
  exitOnSignals(rt);
  try {
    if (process.env.DEMO_DATA !== 'false' && (await isEmpty(rt.deps))) {
      log.info('empty database: loading the demo tenants');
      await ensureDemoPlatformAdmin(rt.db.ownerUrl);
      await loadDemoData(rt.deps, log);
    }
    const app = await buildServer({ dataSource: rt.dataSource, config, serverSecret: rt.secrets.serverSecret, database: rt.db.embedded?.health });
    rt.shutdown.add('intake', 'http', () => closeHttp(app, config.shutdownGraceMs, log));
    await app.listen({ port: config.port, host: config.host });
    if (config.worker.enabled) await startRuntimeWorker(rt);
  } catch (err) {
    await rt.close();
    throw err;
  }
  const url = `${config.publicUrl}/graphql`;
  process.stdout.write(
    `\nCoursegraph is running: ${url}\n` +
      `Mint a demo token:   npm run cli -- token --org unicom-xiaoshan --role LEARNER\n` +
      `Then: curl -s ${url} -H "authorization: Bearer <token>" -H 'content-type: application/json' -d '{"query":"{ viewer { user { name } roles } }"}'\n\n`,
  );
}

main().catch((err: unknown) => {
  // One line saying what to do (a configuration's problems one per line); the stack only when asked for.
  process.stderr.write(`Coursegraph failed to start: ${startFailure(err)}\n`);
  if (process.env.LOG_LEVEL === 'debug' && err instanceof Error) process.stderr.write(`${err.stack}\n`);
  process.exit(1);
});
