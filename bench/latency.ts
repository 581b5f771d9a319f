import type { EventEmitter } from 'node:events';

/**
 * The latencies of one autocannon run without each connection's first response. autocannon starts
 * a request's clock before its connection is up, so the first request of each of its fresh
 * connections also counts the wait for the server to take that connection in, and a Node server
 * busy with the requests of the connections it already has takes new ones in about one per
 * event-loop turn: at 50 connections those first requests were the whole p99 of every GraphQL
 * contender (a bare Fastify route that works 15 ms a request shows it: p99 3× p50 counting them,
 * 1.0× without). wrk starts the clock once the connection is up; so does this. The responses left
 * out still count in the throughput.
 */
export class SteadyLatency {
  private readonly seen = new WeakSet<object>();
  private readonly values: number[] = [];
  private sorted = true;

  /** Records the responses of an autocannon run (its `response` events). */
  listen(run: EventEmitter): this {
    run.on('response', (client: object, _status: number, _bytes: number, ms: number) => this.record(client, ms));
    return this;
  }

  record(connection: object, ms: number): void {
    if (!this.seen.has(connection)) {
      this.seen.add(connection);
      return;
    }
    this.values.push(ms);
    this.sorted = false;
  }

  get count(): number {
    return this.values.length;
  }

  /** The latency at `percent` (nearest rank), 0 when nothing was recorded. */
  percentile(percent: number): number {
    if (!this.values.length) return 0;
    if (!this.sorted) {
      this.values.sort((a, b) => a - b);
      this.sorted = true;
    }
    const rank = Math.ceil((percent / 100) * this.values.length);
    return this.values[Math.min(this.values.length, Math.max(rank, 1)) - 1];
  }
}
