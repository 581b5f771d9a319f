/**
 * Sequencing rules over the fixture manifests that use sequencing (the Golf samples): what import
 * compiles and what the rules then allow, for learner states a package goes through.
 */
import { parseManifest, type Manifest } from '../../../src/modules/scorm/engine/manifest';
import type { LeafState } from '../../../src/modules/scorm/engine/sequencing-formula';
import type { ScormActivityContent } from '../../../src/modules/scorm/scorm-activity';
import { sequencedSco } from '../../../src/modules/scorm/sequencing.loader';
import { SequencingBlock, availability, flowStep, packageCompleted, type LearnerSequencingState, type SequencedSco } from '../../../src/modules/scorm/sequencing.rules';
import { fixtureManifest } from '../../support/scorm-package';

function scosOf(name: string): SequencedSco[] {
  const parsed = parseManifest(fixtureManifest(name));
  if (!parsed.ok) throw new Error(parsed.reason);
  return (parsed.manifest as Manifest).scos.map((s) => sequencedSco(s.identifier, { ...s, packageId: 'p', version: 'SCORM_2004' } as ScormActivityContent));
}

const passed: LeafState = { completion: 'completed', success: 'passed', attempts: 1 };
const failed: LeafState = { completion: 'completed', success: 'failed', attempts: 1 };
const learner = (states: Record<string, LeafState>, resumable: string[] = []): LearnerSequencingState => ({ states: new Map(Object.entries(states)), resumable: new Set(resumable) });
const verdicts = (scos: SequencedSco[], l: LearnerSequencingState) =>
  Object.fromEntries(scos.map((s, i) => { const v = availability(scos, i, l, 'launch'); return [s.identifier, v.available ? (v.skipped ? 'skipped' : 'ok') : v.reason]; }));

test('forced sequential (Golf): each SCO is disabled until the one before it is satisfied, read through shared objectives of the IDRef collection', () => {
  const scos = scosOf('SequencingForcedSequential_SCORM20043rdEdition');
  // deliveryControls come from the sequencingCollection the items reference by IDRef: the content decides, not the LMS.
  const parsed = parseManifest(fixtureManifest('SequencingForcedSequential_SCORM20043rdEdition'));
  expect(parsed.ok && parsed.manifest.scos.map((s) => [s.completionSetByContent, s.objectiveSetByContent])).toEqual(scos.map(() => [true, true]));
  expect(scos.map((s) => s.sequencing.path.map((c) => c.id))).toEqual(scos.map(() => ['golf_sample_default_org']));
  expect(verdicts(scos, learner({}))).toEqual({ playing_item: 'ok', etuqiette_item: 'DISABLED', handicapping_item: 'DISABLED', havingfun_item: 'DISABLED', assessment_item: 'DISABLED' });
  expect(verdicts(scos, learner({ playing_item: failed }))).toMatchObject({ etuqiette_item: 'DISABLED' });
  expect(verdicts(scos, learner({ playing_item: passed }))).toEqual({ playing_item: 'ok', etuqiette_item: 'ok', handicapping_item: 'DISABLED', havingfun_item: 'DISABLED', assessment_item: 'DISABLED' });
  expect(packageCompleted(scos, learner({ playing_item: passed }))).toBe(false);
  const all = Object.fromEntries(scos.map((s) => [s.identifier, passed]));
  expect(packageCompleted(scos, learner(all))).toBe(true);
});

test('pre or post test (Golf): a passed pre-test completes the organization; the post test opens once the content is completed; the pre-test is taken once', () => {
  const scos = scosOf('SequencingPreOrPostTestRollup_SCORM20043rdEdition');
  const lessons = ['playing_item', 'etuqiette_item', 'handicapping_item', 'havingfun_item'];
  expect(verdicts(scos, learner({}))).toMatchObject({ pretest_item: 'ok', playing_item: 'ok', posttest_item: 'DISABLED' });
  // One attempt of the pre-test (limitConditions attemptLimit="1") disables it; an open attempt still resumes.
  expect(verdicts(scos, learner({ pretest_item: failed }))).toMatchObject({ pretest_item: 'DISABLED', posttest_item: 'DISABLED' });
  expect(availability(scos, 0, learner({ pretest_item: { ...failed, completion: 'incomplete' } }, ['pretest_item']), 'launch')).toEqual({ available: true, skipped: false });
  expect(packageCompleted(scos, learner({ pretest_item: failed }))).toBe(false);
  expect(packageCompleted(scos, learner({ pretest_item: passed }))).toBe(true);

  const contentDone = Object.fromEntries(lessons.map((id) => [id, { completion: 'completed', success: 'unknown', attempts: 1 }]));
  expect(verdicts(scos, learner({ pretest_item: failed, ...contentDone }))).toMatchObject({ posttest_item: 'ok' });
  expect(packageCompleted(scos, learner({ pretest_item: failed, ...contentDone }))).toBe(false);
  expect(packageCompleted(scos, learner({ pretest_item: failed, ...contentDone, posttest_item: passed }))).toBe(true);
  expect(verdicts(scos, learner({ pretest_item: failed, ...contentDone, posttest_item: passed }))).toMatchObject({ posttest_item: 'DISABLED' });
});

test('continue and previous follow the flow and pass over skipped SCOs; forwardOnly refuses previous', () => {
  const scos = scosOf('SequencingForcedSequential_SCORM20043rdEdition');
  expect(flowStep(scos, 0, 1, learner({}))).toEqual({ index: 1 });
  expect(flowStep(scos, 0, -1, learner({}))).toMatchObject({ reason: SequencingBlock.NO_TARGET });
  const forwardOnly = scos.map((s) => ({ ...s, sequencing: { ...s.sequencing, path: s.sequencing.path.map((c) => ({ ...c, forwardOnly: true })) } }));
  expect(flowStep(forwardOnly, 2, -1, learner({}))).toMatchObject({ reason: SequencingBlock.FORWARD_ONLY });
  const skipping = scos.map((s, i) => (i === 1 ? { ...s, sequencing: { ...s.sequencing, skippedWhen: true } } : s));
  expect(flowStep(skipping, 0, 1, learner({}))).toEqual({ index: 2 });
});

test('packages without sequencing, and SCORM 1.2, compile nothing: every SCO is a free choice', () => {
  for (const name of ['ContentPackagingOneFilePerSCO_SCORM20043rdEdition', 'ContentPackagingOneFilePerSCO_SCORM12']) {
    const parsed = parseManifest(fixtureManifest(name));
    expect(parsed.ok && parsed.manifest.scos.every((s) => s.sequencing === undefined)).toBe(true);
    const scos = scosOf(name);
    expect(Object.values(verdicts(scos, learner({})))).toEqual(scos.map(() => 'ok'));
  }
});
