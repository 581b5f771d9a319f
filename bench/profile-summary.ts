import type { Profiler } from 'node:inspector';

type Node = Profiler.ProfileNode;

/** Share of busy samples per function: `self` where the sample was taken, `total` anywhere on its stack. */
export function summarize(profile: Profiler.Profile, top: number): { busy: number; self: [string, number][]; total: [string, number][] } {
  const byId = new Map<number, Node>(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map<number, number>();
  for (const n of profile.nodes) for (const child of n.children ?? []) parent.set(child, n.id);
  const label = (n: Node): string => {
    const url = n.callFrame.url.replace(/^.*node_modules\//, '').replace(/^.*\/dist\//, '');
    return `${n.callFrame.functionName || '(anonymous)'}${url ? ` ${url}:${n.callFrame.lineNumber + 1}` : ''}`;
  };
  const self = new Map<string, number>();
  const total = new Map<string, number>();
  let busy = 0;
  for (const id of profile.samples ?? []) {
    const node = byId.get(id)!;
    if (node.callFrame.functionName === '(idle)') continue;
    busy++;
    self.set(label(node), (self.get(label(node)) ?? 0) + 1);
    const seen = new Set<string>();
    for (let at: number | undefined = id; at !== undefined; at = parent.get(at)) {
      const key = label(byId.get(at)!);
      if (!seen.has(key)) total.set(key, (total.get(key) ?? 0) + 1);
      seen.add(key);
    }
  }
  const ranked = (m: Map<string, number>): [string, number][] => [...m].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0])).slice(0, top).map(([k, v]) => [k, v / Math.max(busy, 1)]);
  return { busy, self: ranked(self), total: ranked(total) };
}
