import { Client } from 'pg';

/** What every pg client of this process sent while a piece of work ran. */
export interface SentQueries {
  /** Statement texts, in order. */
  sent: string[];
  /** Statements sent to a client that was still running (or queueing) another. */
  overlapping: string[];
  /** Texts of the statements sent as named (prepared) statements. */
  named: string[];
}

/** Runs `fn` with pg's `Client#query` watched (in-process test apps use the same pg module). */
export async function watchQueries<T>(fn: () => Promise<T>): Promise<SentQueries & { result: T }> {
  const seen: SentQueries = { sent: [], overlapping: [], named: [] };
  const send = Client.prototype.query;
  const spy = jest.spyOn(Client.prototype, 'query').mockImplementation(function (this: Client & { activeQuery: unknown; queryQueue: unknown[] }, ...args: any[]) {
    const text = String(typeof args[0] === 'string' ? args[0] : args[0]?.text);
    seen.sent.push(text);
    if (typeof args[0] === 'object' && args[0]?.name) seen.named.push(text);
    if (this.activeQuery || this.queryQueue.length) seen.overlapping.push(text);
    return (send as (...a: any[]) => any).apply(this, args);
  });
  try {
    return { ...seen, result: await fn() };
  } finally {
    spy.mockRestore();
  }
}
