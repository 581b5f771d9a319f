import 'reflect-metadata';
import { openRuntime, startFailure } from './app';
import { startRuntimeWorker } from './jobs/worker';

/**
 * `npm run worker`: the job worker on its own, for deployments that run it apart from the API
 * (any number of them). Migrates like the server does; SIGTERM lets running jobs finish.
 */
async function main(): Promise<void> {
  const rt = await openRuntime();
  await startRuntimeWorker(rt);
  let stopping = false;
  const stop = async (signal: string): Promise<void> => {
    if (stopping) return;
    stopping = true;
    rt.log.info({ signal }, 'worker shutting down: finishing running jobs');
    const timer = setTimeout(() => process.exit(1), 25_000).unref();
    await rt.close();
    clearTimeout(timer);
    process.exit(0);
  };
  process.on('SIGTERM', () => void stop('SIGTERM'));
  process.on('SIGINT', () => void stop('SIGINT'));
}

main().catch((err: unknown) => {
  process.stderr.write(`Coursegraph worker failed to start: ${startFailure(err)}\n`);
  process.exit(1);
});
