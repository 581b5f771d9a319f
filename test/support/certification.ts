import pino from 'pino';
import { RequestContext, type ContextDeps } from '../../src/shared/context';
import { resolveCaller } from '../../src/modules/user/caller';
import { toGlobalId } from '../../src/shared/ids';
import { TEST_SERVER_SECRET, type TestApp } from './app';
import { buildCourse, mutateOk, type BuiltCourse } from './catalog';

/** Runs `fn` as the system principal of a tenant (what a job does). */
export function asSystem<T>(t: TestApp, organizationId: string, fn: (ctx: RequestContext) => Promise<T>): Promise<T> {
  const deps: ContextDeps = { dataSource: t.ds, config: t.config, serverSecret: TEST_SERVER_SECRET, resolveCaller };
  return RequestContext.run(deps, { kind: 'system', organizationId, label: 'test' }, pino({ level: 'silent' }), fn);
}

/** A published course of `pages` PAGE activities carrying `rule` (SetCertificationRuleInput without courseId). */
export async function certifiedCourse(t: TestApp, token: string, code: string, rule: Record<string, unknown>, pages = 2): Promise<BuiltCourse> {
  const course = await buildCourse(t, token, code, [pages], { publish: false });
  await mutateOk(t, token, 'setCertificationRule', 'SetCertificationRuleInput', { courseId: course.id, ...rule }, 'rule { validityKind }');
  await mutateOk(t, token, 'publishCourse', 'CourseIdInput', { id: course.id }, 'course { id }');
  return course;
}

/** The learner views every given PAGE activity. */
export async function completePages(t: TestApp, token: string, activityIds: string[]): Promise<void> {
  for (const activityId of activityIds) await mutateOk(t, token, 'recordActivityProgress', 'RecordActivityProgressInput', { activityId, completed: true }, 'progress { completed }');
}

/** The raw uuid of a global id. */
export const rawId = (globalId: string): string => Buffer.from(globalId, 'base64url').toString('utf8').split(':')[1];

export const enrollmentGid = (id: string): string => toGlobalId('Enrollment', id);
