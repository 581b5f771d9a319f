/**
 * SCORM 2004 sequencing on the server (issue 11, "Sequencing, the first useful part"): controlMode
 * launch order, forwardOnly, hidden items, the pre-test pattern, delivery controls, rollup rules
 * on a cluster, the availability field, and the player's navigation, over HTTP with small
 * packages built here.
 */
import { Role } from '../../src/shared/permissions';
import { startTestApp, type TestApp } from '../support/app';
import { blankCmi2004, withValues } from '../support/cmi-fixtures';
import { gqlOk, userGid } from '../support/catalog';
import { commit, launch, scormCourse } from '../support/scorm-course';
import { packageFromFixture } from '../support/scorm-package';
import { buildZip } from '../support/zip-builder';
import { seedOrg, type SeededOrg } from '../support/seed';

let t: TestApp;
let org: SeededOrg;
let author: string;
let admin: string;
let learners = 0;

/** A SCO item; `sequencing` goes inside it. */
const sco = (id: string, sequencing = '', attrs = ''): string => `<item identifier="${id}" identifierref="r_${id}"${attrs}><title>${id}</title>${sequencing}</item>`;
const seq = (inner: string, idRef = ''): string => `<imsss:sequencing${idRef ? ` IDRef="${idRef}"` : ''}>${inner}</imsss:sequencing>`;

/** A SCORM 2004 4th edition package of the given items and organization sequencing, each SCO a page of its own. */
async function sequencedZip(items: string, orgSequencing: string, collection = ''): Promise<Buffer> {
  const ids = [...items.matchAll(/identifierref="r_([^"]+)"/g)].map((m) => m[1]);
  const manifest = `<?xml version="1.0" encoding="UTF-8"?>
<manifest identifier="cg.seq" version="1" xmlns="http://www.imsglobal.org/xsd/imscp_v1p1" xmlns:adlcp="http://www.adlnet.org/xsd/adlcp_v1p3"
  xmlns:adlseq="http://www.adlnet.org/xsd/adlseq_v1p3" xmlns:imsss="http://www.imsglobal.org/xsd/imsss">
  <metadata><schema>ADL SCORM</schema><schemaversion>2004 4th Edition</schemaversion></metadata>
  <organizations default="org"><organization identifier="org"><title>Sequenced</title>${items}${orgSequencing}</organization></organizations>
  <resources>${ids.map((id) => `<resource identifier="r_${id}" type="webcontent" adlcp:scormType="sco" href="${id}.html"><file href="${id}.html"/></resource>`).join('')}</resources>
  ${collection ? `<imsss:sequencingCollection>${collection}</imsss:sequencingCollection>` : ''}
</manifest>`;
  return buildZip([{ name: 'imsmanifest.xml', data: manifest }, ...ids.map((id) => ({ name: `${id}.html`, data: `<!doctype html><title>${id}</title>` }))]);
}

interface Learner { token: string; gid: string }
async function newLearner(): Promise<Learner> {
  const key = `l${++learners}`;
  const gid = userGid(await org.user(key));
  return { token: await t.token(org.id, `seq-${key}`), gid };
}

/** A published course of the package, assigned to the learners; activity ids in package order. */
const course = async (code: string, zip: Buffer, who: Learner[]) => scormCourse(t, author, admin, zip, code, who.map((l) => l.gid));

async function tryLaunch(who: Learner, activityId: string): Promise<{ code: string; message: string } | null> {
  const data = await gqlOk<{ launchActivity: { launch: unknown; errors: { code: string; message: string }[] } }>(t,
    'mutation($input: LaunchActivityInput!) { launchActivity(input: $input) { launch { attemptId } errors { code message } } }', { input: { activityId } }, who.token);
  return data.launchActivity.errors[0] ?? null;
}

/** Launches and terminates the SCO with these values (a final commit). */
async function finish(who: Learner, activityId: string, values: Record<string, string>): Promise<void> {
  const l = await launch(t, who.token, activityId);
  expect((await commit(l.commitUrl, withValues(blankCmi2004(), values), 1, true)).body).toEqual({ result: true, errorCode: 0 });
}
const PASSED = { completion_status: 'completed', success_status: 'passed' };

const AVAILABILITY = `query($id: ID!) { course(id: $id) { viewerEnrollment { status }
  modules { progress { completed requiredCount } activities { id required availability { launchable reason message skipped } } } } }`;
interface Listed { id: string; required: boolean; availability: { launchable: boolean; reason: string | null; message: string | null; skipped: boolean } }
async function listing(who: Learner, courseId: string): Promise<{ status: string; moduleCompleted: boolean; activities: Listed[]; statements: number }> {
  const res = await t.gql<{ course: { viewerEnrollment: { status: string }; modules: { progress: { completed: boolean }; activities: Listed[] }[] } }>(AVAILABILITY, { id: courseId }, { token: who.token });
  expect(res.body.errors).toBeUndefined();
  const c = res.body.data!.course;
  return { status: c.viewerEnrollment.status, moduleCompleted: c.modules[0].progress.completed, activities: c.modules.flatMap((m) => m.activities), statements: res.statements };
}
const reasons = (activities: Listed[]) => activities.map((a) => (a.availability.launchable ? (a.availability.skipped ? 'skipped' : 'ok') : a.availability.reason));

beforeAll(async () => {
  t = await startTestApp();
  org = await seedOrg(t.owner, 'seq');
  await org.user('author', [Role.AUTHOR]);
  await org.user('admin', [Role.ORG_ADMIN]);
  [author, admin] = await Promise.all(['author', 'admin'].map((k) => t.token(org.id, `seq-${k}`)));
});
afterAll(() => t.close());

const FLOW_ONLY = seq('<imsss:controlMode choice="false" flow="true"/>');

test('forced sequential (flow, choice="false"): the second SCO is refused until the first is completed, with the reason; going back is allowed', async () => {
  const who = await newLearner();
  const { courseId, activityIds: [a, b, c] } = await course('FLOW', await sequencedZip(sco('a') + sco('b') + sco('c'), FLOW_ONLY), [who]);
  expect(await tryLaunch(who, b)).toEqual({ code: 'SEQUENCING', message: expect.stringMatching(/^FLOW_ORDER：请先完成“a”/) });
  expect(reasons((await listing(who, courseId)).activities)).toEqual(['ok', 'FLOW_ORDER', 'FLOW_ORDER']);

  // Launched and left incomplete: the flow waits on it.
  const open = await launch(t, who.token, a);
  await commit(open.commitUrl, withValues(blankCmi2004(), { completion_status: 'incomplete', exit: 'suspend' }), 1, true);
  expect(await tryLaunch(who, b)).toMatchObject({ code: 'SEQUENCING' });
  await finish(who, a, PASSED);
  expect(reasons((await listing(who, courseId)).activities)).toEqual(['ok', 'ok', 'FLOW_ORDER']);
  expect(await tryLaunch(who, b)).toBeNull();
  expect(await tryLaunch(who, c)).toMatchObject({ code: 'SEQUENCING', message: expect.stringMatching(/^FLOW_ORDER：请先完成“b”/) });
  expect(await tryLaunch(who, a)).toBeNull();
});

test('forwardOnly: once past a SCO, going back to it is refused; the player\'s previous is refused too', async () => {
  const who = await newLearner();
  const zip = await sequencedZip(sco('a') + sco('b') + sco('c'), seq('<imsss:controlMode choice="false" flow="true" forwardOnly="true"/>'));
  const { courseId, activityIds: [a, b] } = await course('FWD', zip, [who]);
  await finish(who, a, PASSED);
  expect(await tryLaunch(who, a)).toEqual({ code: 'SEQUENCING', message: expect.stringMatching(/^FORWARD_ONLY：/) });
  expect(reasons((await listing(who, courseId)).activities)).toEqual(['FORWARD_ONLY', 'ok', 'FLOW_ORDER']);
  const l = await launch(t, who.token, b);
  const back = await navigate(l.playerUrl, { request: 'previous' });
  expect(back.status).toBe(404);
  expect(JSON.stringify(back.body)).toMatch(/FORWARD_ONLY/);
});

const navigate = async (playerUrl: string, body: unknown): Promise<{ status: number; body: any }> => {
  const res = await fetch(`${playerUrl}/navigate`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  return { status: res.status, body: await res.json() };
};

test('the player follows the rules: continue goes to the next SCO, a choice the package forbids is refused with the reason', async () => {
  const who = await newLearner();
  const { activityIds: [a] } = await course('NAV', await sequencedZip(sco('a') + sco('b') + sco('c'), FLOW_ONLY), [who]);
  const l = await launch(t, who.token, a);
  const choice = await navigate(l.playerUrl, { request: 'choice', target: 'c' });
  expect(choice).toMatchObject({ status: 400, body: { errors: [{ extensions: { reason: 'SEQUENCING' }, message: expect.stringMatching(/^CHOICE_NOT_ALLOWED/) }] } });
  await commit(l.commitUrl, withValues(blankCmi2004(), PASSED), 1, true);
  const next = await navigate(l.playerUrl, { request: 'continue' });
  expect(next.status).toBe(200);
  const page = await (await fetch(next.body.playerUrl)).text();
  expect(page).toContain('b.html');
});

test('a hidden item (isvisible="false") is not required, not offered, not launchable, and the course completes without it', async () => {
  const who = await newLearner();
  const zip = await sequencedZip(sco('a') + sco('h', '', ' isvisible="false"') + sco('b'), '');
  const { courseId, activityIds: [a, h, b] } = await course('HIDDEN', zip, [who]);
  const before = await listing(who, courseId);
  expect(before.activities.map((x) => x.required)).toEqual([true, false, true]);
  expect(reasons(before.activities)).toEqual(['ok', 'HIDDEN', 'ok']);
  expect(await tryLaunch(who, h)).toMatchObject({ code: 'SEQUENCING', message: expect.stringMatching(/^HIDDEN/) });
  await finish(who, a, PASSED);
  await finish(who, b, PASSED);
  expect((await listing(who, courseId)).status).toBe('COMPLETED');
});

/**
 * The pre-test pattern: the pre-test's primary objective writes a shared objective; the lessons
 * cluster reads it and is skipped once it is satisfied, and a skipped cluster does not count in
 * the organization's completion (rollupConsiderations ifNotSkipped).
 */
const PRETEST = sequencedZip(
  sco('pretest', seq('<imsss:objectives><imsss:primaryObjective objectiveID="pre"><imsss:mapInfo targetObjectiveID="g.pre" writeSatisfiedStatus="true"/></imsss:primaryObjective></imsss:objectives>'))
  + `<item identifier="lessons"><title>Lessons</title>${sco('l1')}${sco('l2')}${seq(`
      <imsss:controlMode flow="true"/>
      <imsss:sequencingRules><imsss:preConditionRule><imsss:ruleConditions><imsss:ruleCondition referencedObjective="pre_read" condition="satisfied"/></imsss:ruleConditions>
        <imsss:ruleAction action="skip"/></imsss:preConditionRule></imsss:sequencingRules>
      <imsss:objectives><imsss:primaryObjective objectiveID="lessons_done"/><imsss:objective objectiveID="pre_read"><imsss:mapInfo targetObjectiveID="g.pre" readSatisfiedStatus="true"/></imsss:objective></imsss:objectives>
      <adlseq:rollupConsiderations requiredForCompleted="ifNotSkipped" requiredForSatisfied="ifNotSkipped"/>`)}</item>`,
  FLOW_ONLY,
);

test('pre-test passed: the lessons are skipped and the course completes', async () => {
  const who = await newLearner();
  const { courseId, activityIds: [pre, l1] } = await course('PRE1', await PRETEST, [who]);
  expect(reasons((await listing(who, courseId)).activities)).toEqual(['ok', 'FLOW_ORDER', 'FLOW_ORDER']);
  await finish(who, pre, PASSED);
  const after = await listing(who, courseId);
  expect(reasons(after.activities)).toEqual(['ok', 'SKIPPED', 'SKIPPED']);
  expect(after.activities[1].availability.skipped).toBe(true);
  // The skipped lessons count as done wherever completion is read: the enrollment and the module.
  expect([after.status, after.moduleCompleted]).toEqual(['COMPLETED', true]);
  expect(await tryLaunch(who, l1)).toMatchObject({ code: 'SEQUENCING', message: expect.stringMatching(/^SKIPPED/) });
});

test('pre-test failed: the lessons open in order, and once they are done the package completes, the failed pre-test included', async () => {
  const who = await newLearner();
  const { courseId, activityIds: [pre, l1, l2] } = await course('PRE2', await PRETEST, [who]);
  await finish(who, pre, { completion_status: 'completed', success_status: 'failed' });
  expect(reasons((await listing(who, courseId)).activities)).toEqual(['ok', 'ok', 'FLOW_ORDER']);
  await finish(who, l1, PASSED);
  expect((await listing(who, courseId)).status).toBe('IN_PROGRESS');
  await finish(who, l2, PASSED);
  // The pre-test's own rule (completed and not failed) is not met, but the organization is completed after roll-up.
  expect((await listing(who, courseId)).status).toBe('COMPLETED');
});

test('delivery controls feed the sequence: by default the LMS completes a SCO that only terminates; with completionSetByContent (from the IDRef collection) it does not', async () => {
  const who = await newLearner();
  const byLms = await course('DC1', await sequencedZip(sco('a') + sco('b'), FLOW_ONLY), [who]);
  await finish(who, byLms.activityIds[0], {});
  expect(await tryLaunch(who, byLms.activityIds[1])).toBeNull();

  const collection = seq('<imsss:deliveryControls completionSetByContent="true" objectiveSetByContent="true"/>').replace('<imsss:sequencing>', '<imsss:sequencing ID="content_decides">');
  const zip = await sequencedZip(sco('a', seq('', 'content_decides')) + sco('b', seq('', 'content_decides')), FLOW_ONLY, collection);
  const byContent = await course('DC2', zip, [who]);
  await finish(who, byContent.activityIds[0], {});
  expect(await tryLaunch(who, byContent.activityIds[1])).toMatchObject({ code: 'SEQUENCING', message: expect.stringMatching(/^FLOW_ORDER/) });
  await finish(who, byContent.activityIds[0], { completion_status: 'completed' });
  expect(await tryLaunch(who, byContent.activityIds[1])).toBeNull();
});

test('rollup rules on a cluster: satisfied when all its children are completed, which opens the post test and completes the organization (any child satisfied)', async () => {
  const who = await newLearner();
  const cluster = `<item identifier="unit"><title>Unit</title>${sco('x')}${sco('y')}${seq(`
    <imsss:rollupRules><imsss:rollupRule childActivitySet="all"><imsss:rollupConditions><imsss:rollupCondition condition="completed"/></imsss:rollupConditions>
      <imsss:rollupAction action="satisfied"/></imsss:rollupRule></imsss:rollupRules>
    <imsss:objectives><imsss:primaryObjective objectiveID="unit"><imsss:mapInfo targetObjectiveID="g.unit" writeSatisfiedStatus="true"/></imsss:primaryObjective></imsss:objectives>`)}</item>`;
  const post = sco('z', seq(`<imsss:sequencingRules><imsss:preConditionRule><imsss:ruleConditions conditionCombination="any">
      <imsss:ruleCondition referencedObjective="unit_read" operator="not" condition="satisfied"/><imsss:ruleCondition referencedObjective="unit_read" operator="not" condition="objectiveStatusKnown"/>
    </imsss:ruleConditions><imsss:ruleAction action="disabled"/></imsss:preConditionRule></imsss:sequencingRules>
    <imsss:objectives><imsss:primaryObjective objectiveID="z"/><imsss:objective objectiveID="unit_read"><imsss:mapInfo targetObjectiveID="g.unit"/></imsss:objective></imsss:objectives>`));
  const organization = seq(`<imsss:rollupRules><imsss:rollupRule childActivitySet="any"><imsss:rollupConditions><imsss:rollupCondition condition="satisfied"/></imsss:rollupConditions>
    <imsss:rollupAction action="completed"/></imsss:rollupRule></imsss:rollupRules>`);
  const { courseId, activityIds: [x, y] } = await course('ROLLUP', await sequencedZip(cluster + post, organization), [who]);
  expect(reasons((await listing(who, courseId)).activities)).toEqual(['ok', 'ok', 'DISABLED']);
  await finish(who, x, PASSED);
  const half = await listing(who, courseId);
  expect([reasons(half.activities), half.status]).toEqual([['ok', 'ok', 'DISABLED'], 'IN_PROGRESS']);
  await finish(who, y, { completion_status: 'completed' });
  const done = await listing(who, courseId);
  expect([reasons(done.activities), done.status]).toEqual([['ok', 'ok', 'ok'], 'COMPLETED']);
});

test('the Golf "forced sequential" sample: each SCO opens once the one before it is satisfied, as the content (not the LMS) decides', async () => {
  const who = await newLearner();
  const { activityIds: [playing, etiquette, , , quiz] } = await course('GOLF', await packageFromFixture('SequencingForcedSequential_SCORM20043rdEdition'), [who]);
  expect(await tryLaunch(who, etiquette)).toEqual({ code: 'SEQUENCING', message: expect.stringMatching(/^DISABLED：“Etiquette”/) });
  expect(await tryLaunch(who, quiz)).toMatchObject({ code: 'SEQUENCING' });
  // Its sequencingCollection (by IDRef) sets completionSetByContent / objectiveSetByContent: a bare Terminate decides nothing.
  await finish(who, playing, {});
  expect(await tryLaunch(who, etiquette)).toMatchObject({ code: 'SEQUENCING' });
  await finish(who, playing, PASSED);
  expect(await tryLaunch(who, etiquette)).toBeNull();
  expect(await tryLaunch(who, quiz)).toMatchObject({ code: 'SEQUENCING' });
});

test('availability of every activity of a course costs the same statements for 3 SCOs as for 12, and nothing for another tenant', async () => {
  const who = await newLearner();
  const items = (n: number) => Array.from({ length: n }, (_, i) => sco(`s${i}`)).join('');
  const small = await course('AV3', await sequencedZip(items(3), FLOW_ONLY), [who]);
  const big = await course('AV12', await sequencedZip(items(12), FLOW_ONLY), [who]);
  await finish(who, big.activityIds[0], PASSED);
  const [few, many] = [await listing(who, small.courseId), await listing(who, big.courseId)];
  expect(reasons(many.activities)).toEqual(['ok', 'ok', ...Array(10).fill('FLOW_ORDER')]);
  expect(many.statements).toBe(few.statements);
  expect(many.statements).toBeLessThanOrEqual(12);

  const other = await seedOrg(t.owner, 'seq-other');
  await other.user('x');
  const stranger = await t.token(other.id, 'seq-other-x');
  const res = await t.gql(AVAILABILITY, { id: big.courseId }, { token: stranger });
  expect(res.body.data?.course ?? null).toBeNull();
});
