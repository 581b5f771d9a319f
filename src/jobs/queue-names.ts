/** The graphile-worker task that runs an outbox event's handlers (the enqueue trigger names it too). */
export const OUTBOX_TASK = 'outbox';

/** The PostgreSQL schema graphile-worker keeps its queue in. */
export const QUEUE_SCHEMA = 'graphile_worker';
