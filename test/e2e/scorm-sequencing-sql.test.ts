/**
 * `scorm_seq_holds` (SQL, the roll-up inside a commit) against `holds` (TypeScript, availability):
 * the formulas import compiles from the Golf sequencing samples and hand-made ones, over many
 * learner states, must come out the same.
 */
import type { DataSource } from 'typeorm';
import { parseManifest } from '../../src/modules/scorm/engine/manifest';
import { holds, type Formula, type LeafState } from '../../src/modules/scorm/engine/sequencing-formula';
import { connect, createTestDatabase, type TestDatabase } from '../support/db';
import { fixtureManifest } from '../support/scorm-package';

let db: TestDatabase;
let app: DataSource;
beforeAll(async () => {
  db = await createTestDatabase();
  app = await connect(db);
});
afterAll(async () => {
  await app.destroy();
  await db.drop();
});

const FIXTURES = ['SequencingForcedSequential_SCORM20043rdEdition', 'SequencingPreOrPostTestRollup_SCORM20043rdEdition', 'SequencingPostTestRollup_SCORM20043rdEdition',
  'SequencingSimpleRemediation_SCORM20043rdEdition', 'SequencingRandomTest_SCORM20043rdEdition'];

function compiled(): { formulas: Formula[]; scos: string[] } {
  const formulas: Formula[] = [true, false, { atLeast: 2, of: [{ sco: 'a', is: 'completed' }, { sco: 'b', is: 'failed' }, { not: { sco: 'c', is: 'attempted' } }] },
    { all: [{ sco: 'a', is: 'progressKnown' }, { any: [{ sco: 'b', is: 'objectiveKnown' }, { sco: 'zz', is: 'attemptsAtLeast', n: 2 }] }] }];
  const scos = new Set(['a', 'b', 'c']);
  for (const name of FIXTURES) {
    const parsed = parseManifest(fixtureManifest(name));
    if (!parsed.ok) throw new Error(parsed.reason);
    for (const sco of parsed.manifest.scos) {
      scos.add(sco.identifier);
      const s = sco.sequencing;
      formulas.push(...[s?.disabledWhen, s?.skippedWhen, s?.hiddenWhen, s?.packageCompletedWhen].filter((f): f is Formula => f !== undefined));
    }
  }
  return { formulas, scos: [...scos] };
}

/** A deterministic spread of states (a small LCG keeps the cases the same on every run). */
function states(scos: string[], count: number): Record<string, [string, string, number]>[] {
  let seed = 7;
  const next = (n: number) => { seed = (seed * 1103515245 + 12345) % 2147483648; return seed % n; };
  const completion = ['unknown', 'not attempted', 'incomplete', 'completed'];
  const success = ['unknown', 'failed', 'passed'];
  return Array.from({ length: count }, () => Object.fromEntries(scos.filter(() => next(4) > 0).map((id) => [id, [completion[next(4)], success[next(3)], next(3)] as [string, string, number]])));
}

test('the SQL evaluator agrees with the TypeScript one on every compiled formula and state', async () => {
  const { formulas, scos } = compiled();
  expect(formulas.length).toBeGreaterThan(20);
  const cases = formulas.flatMap((f) => states(scos, 25).map((s) => ({ f, s })));
  const rows = (await app.query(
    "SELECT scorm_seq_holds(x.e->'f', x.e->'s') AS holds FROM jsonb_array_elements($1::jsonb) WITH ORDINALITY AS x(e, n) ORDER BY x.n",
    [JSON.stringify(cases)],
  )) as { holds: boolean }[];
  const expected = cases.map(({ f, s }) => holds(f, new Map(Object.entries(s).map(([id, [completion, success, attempts]]) => [id, { completion, success, attempts } as LeafState]))));
  expect(rows.map((r) => r.holds)).toEqual(expected);
  // Not a constant: both outcomes occur.
  expect(new Set(expected).size).toBe(2);
});
