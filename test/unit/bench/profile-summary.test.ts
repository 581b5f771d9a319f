import type { Profiler } from 'node:inspector';
import { summarize } from '../../../bench/profile-summary';

const frame = (functionName: string, url = ''): Profiler.ProfileNode['callFrame'] => ({ functionName, url, scriptId: '0', lineNumber: 9, columnNumber: 0 });

test('busy samples are shared out by function itself and along its stack, recursion counted once, idle left out', () => {
  const profile: Profiler.Profile = {
    startTime: 0, endTime: 5,
    nodes: [
      { id: 1, callFrame: frame('(root)'), children: [2, 5] },
      { id: 2, callFrame: frame('handle', 'file:///app/node_modules/pg/lib/client.js'), children: [3] },
      { id: 3, callFrame: frame('parse', 'file:///app/dist/src/db/lean.js'), children: [4] },
      { id: 4, callFrame: frame('parse', 'file:///app/dist/src/db/lean.js') },
      { id: 5, callFrame: frame('(idle)') },
    ],
    samples: [4, 3, 2, 5, 5],
  };
  const { busy, self, total } = summarize(profile, 10);
  expect(busy).toBe(3);
  expect(self).toEqual([['parse src/db/lean.js:10', 2 / 3], ['handle pg/lib/client.js:10', 1 / 3]]);
  expect(total).toEqual([['(root)', 1], ['handle pg/lib/client.js:10', 1], ['parse src/db/lean.js:10', 2 / 3]]);
  expect(summarize(profile, 1).self).toHaveLength(1);
});
