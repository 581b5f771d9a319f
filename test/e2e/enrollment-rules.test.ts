import pino from 'pino';
import { RequestContext, type ContextDeps } from '../../src/shared/context';
import { fromGlobalId } from '../../src/shared/ids';
import { Role } from '../../src/shared/permissions';
import { resolveCaller } from '../../src/modules/user/caller';
import { Activity } from '../../src/modules/course/content.entity';
import { Enrollment, EnrollmentSource, EnrollmentStatus } from '../../src/modules/enrollment/enrollment.entity';
import { enroll } from '../../src/modules/enrollment/enrollment.write';
import { progressService } from '../../src/modules/progress/progress.service';
import {
  STORED_STATUSES, completionRecorded, dueDateMovable, effectiveStatus, overdueSql, reassignedStatus, rolledUpStatus, startedStatus,
} from '../../src/modules/enrollment/enrollment.rules';
import { startTestApp, TEST_SERVER_SECRET, type TestApp } from '../support/app';
import { seedOrg, type SeededOrg, type SeededUser } from '../support/seed';
import { buildCourse, gqlOk } from '../support/catalog';

/** The SQL that repeats enrollment.rules (roll-up, upsert, OVERDUE filter, start, completion trigger), run against it. */
let t: TestApp;
let org: SeededOrg;
let admin: string;
let deps: ContextDeps;
let courseId: string;
let activities: string[];
const log = pino({ level: 'silent' });
const DAY = 86_400_000;

beforeAll(async () => {
  t = await startTestApp();
  org = await seedOrg(t.owner, 'rules');
  await org.user('admin', [Role.ORG_ADMIN]);
  admin = await t.token(org.id, org.users.admin.externalId);
  deps = { dataSource: t.ds, config: t.config, serverSecret: TEST_SERVER_SECRET, resolveCaller };
  const course = await buildCourse(t, admin, 'RULES', [2]);
  courseId = fromGlobalId(course.id).id;
  activities = course.activities[0].map((gid) => fromGlobalId(gid).id);
});
afterAll(() => t.close());

const asSystem = <T>(fn: (ctx: RequestContext) => Promise<T>) => RequestContext.run(deps, { kind: 'system', organizationId: org.id, label: 'test' }, log, fn);
let n = 0;

/** A fresh learner enrolled, with the enrollment's stored facts set as the owner. */
async function enrollment(facts: { status: EnrollmentStatus; dueAt?: Date | null; startedAt?: Date | null; completedAt?: Date | null }): Promise<{ id: string; user: SeededUser }> {
  const user = await org.user(`l${++n}`);
  const { enrollments } = await asSystem((ctx) => enroll(ctx, courseId, [{ userId: user.id, source: EnrollmentSource.ADMIN }]));
  await t.owner.query(`UPDATE enrollment SET status = $2, due_at = $3, started_at = $4, completed_at = $5 WHERE id = $1`,
    [enrollments[0].id, facts.status, facts.dueAt ?? null, facts.startedAt ?? null, facts.completedAt ?? null]);
  return { id: enrollments[0].id, user };
}
const statusOf = async (id: string) => ((await t.owner.query(`SELECT status FROM enrollment WHERE id = $1`, [id])) as { status: EnrollmentStatus }[])[0].status;

test('the OVERDUE filter and every status filter select what effectiveStatus says', async () => {
  const now = Date.now();
  const rows: { id: string; expected: EnrollmentStatus }[] = [];
  for (const status of STORED_STATUSES) {
    for (const dueAt of [null, new Date(now - DAY), new Date(now + DAY)]) {
      const { id } = await enrollment({ status, dueAt, completedAt: status === EnrollmentStatus.COMPLETED ? new Date(now) : null });
      rows.push({ id, expected: effectiveStatus({ status, dueAt }, now) });
      const [sql] = (await t.owner.query(`SELECT ${overdueSql('e')} AS overdue FROM enrollment e WHERE id = $1`, [id])) as { overdue: boolean }[];
      expect({ status, dueAt, overdue: sql.overdue }).toEqual({ status, dueAt, overdue: rows.at(-1)!.expected === EnrollmentStatus.OVERDUE });
    }
  }
  for (const status of Object.values(EnrollmentStatus)) {
    const data = await gqlOk(t, `query($s: EnrollmentStatus) { enrollments(first: 100, filter: { status: $s }) { nodes { id status } } }`, { s: status }, admin);
    const listed = (data.enrollments.nodes as { id: string; status: string }[]).map((e) => fromGlobalId(e.id).id).filter((id) => rows.some((r) => r.id === id));
    expect(listed.sort()).toEqual(rows.filter((r) => r.expected === status).map((r) => r.id).sort());
  }
});

test("record_activity_progress's roll-up is rolledUpStatus: all required done completes, never regresses", async () => {
  for (const status of [EnrollmentStatus.NOT_STARTED, EnrollmentStatus.IN_PROGRESS, EnrollmentStatus.COMPLETED]) {
    for (const done of [1, 2]) {
      const { id } = await enrollment({ status: EnrollmentStatus.NOT_STARTED });
      const revision = ((await t.owner.query(`SELECT revision_id FROM activity WHERE id = $1`, [activities[0]])) as { revision_id: string }[])[0].revision_id;
      const call = (activityId: string) => t.ds.transaction(async (m) => {
        await m.query(`SELECT set_config('app.organization_id', $1, true)`, [org.id]);
        await m.query(`SELECT record_activity_progress($1, $2, a.key, a.id, $3, 'completed', 'unknown', NULL, NULL, NULL, NULL, 1, 1, 0, true) FROM activity a WHERE a.id = $4`,
          [org.id, id, revision, activityId]);
      });
      if (done === 2) await call(activities[1]);
      await t.owner.query(`UPDATE enrollment SET status = $2, completed_at = CASE WHEN $2 = 'COMPLETED' THEN now() END WHERE id = $1`, [id, status]);
      await call(activities[0]);
      expect({ status, done, after: await statusOf(id) }).toEqual({ status, done, after: rolledUpStatus(status, done, 2) });
    }
  }
});

test('two activities completed at the same moment both count: the enrollment reaches 100 % and COMPLETED', async () => {
  const { id } = await enrollment({ status: EnrollmentStatus.IN_PROGRESS });
  const revision = ((await t.owner.query(`SELECT revision_id FROM activity WHERE id = $1`, [activities[0]])) as { revision_id: string }[])[0].revision_id;
  const runners = [t.ds.createQueryRunner(), t.ds.createQueryRunner()];
  try {
    const report = async (i: number) => {
      await runners[i].query(`SELECT set_config('app.organization_id', $1, true)`, [org.id]);
      await runners[i].query(`SELECT record_activity_progress($1, $2, a.key, a.id, $3, 'completed', 'unknown', NULL, NULL, NULL, NULL, 1, 1, 0, true) FROM activity a WHERE a.id = $4`,
        [org.id, id, revision, activities[i]]);
    };
    for (const r of runners) await r.startTransaction();
    await report(0);
    // The second report starts while the first is uncommitted, and waits for it.
    const [{ pid }] = (await runners[1].query('SELECT pg_backend_pid() AS pid')) as { pid: number }[];
    const second = report(1);
    for (let waiting = false; !waiting;) {
      await new Promise((resolve) => setTimeout(resolve, 20));
      waiting = ((await t.owner.query(`SELECT wait_event_type = 'Lock' AS waiting FROM pg_stat_activity WHERE pid = $1`, [pid])) as { waiting: boolean }[])[0].waiting;
    }
    await runners[0].commitTransaction();
    await second;
    await runners[1].commitTransaction();
  } finally {
    await Promise.all(runners.map((r) => r.release()));
  }
  const [row] = (await t.owner.query(`SELECT status, progress_percent, completed_at FROM enrollment WHERE id = $1`, [id])) as { status: string; progress_percent: number; completed_at: Date | null }[];
  expect(row).toEqual({ status: 'COMPLETED', progress_percent: 100, completed_at: expect.any(Date) });
});

test('assigning again reactivates as reassignedStatus says, moves due dates as dueDateMovable says, and the first activity starts as startedStatus says', async () => {
  const at = new Date();
  const oldDue = new Date(at.getTime() + DAY);
  const newDue = new Date(at.getTime() + 9 * DAY);
  for (const status of STORED_STATUSES) {
    for (const startedAt of [null, at]) {
      for (const completedAt of [null, at]) {
        for (const moveDueDates of [false, true]) {
          const { id, user } = await enrollment({ status, startedAt, completedAt, dueAt: oldDue });
          await asSystem((ctx) => enroll(ctx, courseId, [{ userId: user.id, source: EnrollmentSource.ADMIN, dueAt: newDue }], { moveDueDates }));
          const [row] = (await t.owner.query(`SELECT due_at FROM enrollment WHERE id = $1`, [id])) as { due_at: Date }[];
          const facts = { status, startedAt, completedAt, moveDueDates };
          expect({ ...facts, after: await statusOf(id), due: row.due_at }).toEqual({
            ...facts, after: reassignedStatus({ status, startedAt, completedAt }), due: moveDueDates && dueDateMovable({ status, completedAt }) ? newDue : oldDue,
          });
        }
      }
    }
    const { id } = await enrollment({ status });
    await asSystem(async (ctx) => {
      const e = await ctx.manager.findOneByOrFail(Enrollment, { organizationId: org.id, id });
      await progressService.fixRevision(ctx, e, await ctx.manager.findOneByOrFail(Activity, { organizationId: org.id, id: activities[0] }));
    });
    expect({ status, after: await statusOf(id) }).toEqual({ status, after: startedStatus(status) });
  }
});

test('the completion trigger writes enrollment.completed exactly when completionRecorded says', async () => {
  const at = new Date();
  for (const before of [null, at]) {
    for (const after of [null, at, new Date(at.getTime() + 1000)]) {
      const { id } = await enrollment({ status: EnrollmentStatus.IN_PROGRESS, completedAt: before });
      await t.owner.query(`DELETE FROM outbox_event WHERE entity_id = $1`, [id]);
      await t.owner.query(`UPDATE enrollment SET completed_at = $2 WHERE id = $1`, [id, after]);
      const events = ((await t.owner.query(`SELECT count(*)::int AS n FROM outbox_event WHERE type = 'enrollment.completed' AND entity_id = $1`, [id])) as { n: number }[])[0].n;
      expect({ before, after, events }).toEqual({ before, after, events: completionRecorded({ status: EnrollmentStatus.IN_PROGRESS, completedAt: before }, { status: EnrollmentStatus.IN_PROGRESS, completedAt: after }) ? 1 : 0 });
    }
  }
});
