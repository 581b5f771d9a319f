import { EventEmitter } from 'node:events';
import { SteadyLatency } from '../../../bench/latency';

test("each connection's first response is left out, the rest give nearest-rank percentiles", () => {
  const run = new EventEmitter();
  const latency = new SteadyLatency().listen(run);
  const [a, b] = [{}, {}];
  // The first response of each connection waited for the connection itself: not a request latency.
  run.emit('response', a, 200, 10, 2_000);
  run.emit('response', b, 200, 10, 1_500);
  for (let i = 1; i <= 100; i++) run.emit('response', i % 2 ? a : b, 200, 10, i);
  expect(latency.count).toBe(100);
  expect(latency.percentile(50)).toBe(50);
  expect(latency.percentile(99)).toBe(99);
  expect(latency.percentile(100)).toBe(100);
  expect(latency.percentile(0)).toBe(1);
  run.emit('response', a, 200, 10, 0.5);
  expect(latency.percentile(0)).toBe(0.5);
});

test('nothing recorded gives 0', () => {
  const latency = new SteadyLatency();
  latency.record({}, 5);
  expect(latency.count).toBe(0);
  expect(latency.percentile(99)).toBe(0);
});
