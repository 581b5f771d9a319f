import { fromGlobalId, toGlobalId } from '../../src/shared/ids';
import type { GqlClient, TestApp } from './app';
import type { SeededUser } from './seed';

/** A mutation payload's shape: the result under some key, and errors. */
export interface PayloadErrors {
  errors: { code: string; message: string; path: string[] }[];
}

/** GraphQL data as tests read it: shapes are checked with `expect`, not with types. */
export type GqlData = Record<string, any>;

/** Global id of a seeded user. */
export const userGid = (u: SeededUser): string => toGlobalId('User', u.id);

/** Runs an operation and fails the test on any GraphQL error; returns `data`. */
export async function gqlOk<T = GqlData>(t: GqlClient, query: string, variables: Record<string, unknown>, token: string): Promise<T> {
  const res = await t.gql<T>(query, variables, { token });
  if (res.body.errors?.length) throw new Error(`GraphQL errors: ${JSON.stringify(res.body.errors)}`);
  return res.body.data as T;
}

/** Runs a mutation `name(input: $input)` selecting `selection`; returns its payload (errors included). */
export async function mutate<T = GqlData>(t: GqlClient, token: string, name: string, inputType: string, input: Record<string, unknown>, selection: string): Promise<T & PayloadErrors> {
  const data = await gqlOk<Record<string, T & PayloadErrors>>(t,
    `mutation M($input: ${inputType}!) { ${name}(input: $input) { ${selection} errors { code message path } } }`, { input }, token);
  return data[name];
}

/** Like mutate, but fails the test when the payload has errors. */
export async function mutateOk<T = GqlData>(t: GqlClient, token: string, name: string, inputType: string, input: Record<string, unknown>, selection: string): Promise<T> {
  const payload = await mutate<T>(t, token, name, inputType, input, selection);
  if (payload.errors.length) throw new Error(`${name} failed: ${JSON.stringify(payload.errors)}`);
  return payload;
}

const zh = (text: string) => ({ zhCN: text, en: `${text} (en)` });

/** A course built through the API: its id, module ids and activity ids (per module). */
export interface BuiltCourse {
  id: string;
  modules: string[];
  activities: string[][];
}

/** Creates a course with `modules[i]` PAGE activities in module i; publishes it unless told not to. */
export async function buildCourse(
  t: TestApp,
  token: string,
  code: string,
  modules: number[],
  options: { publish?: boolean; selfEnrollment?: boolean; tags?: string[] } = {},
): Promise<BuiltCourse> {
  const created = await mutateOk<{ course: { id: string } }>(t, token, 'createCourse', 'CreateCourseInput',
    { code, title: zh(`课程 ${code}`), selfEnrollment: options.selfEnrollment ?? false, tags: options.tags ?? [] }, 'course { id }');
  const built: BuiltCourse = { id: created.course.id, modules: [], activities: [] };
  for (const [i, count] of modules.entries()) {
    const m = await mutateOk<{ module: { id: string } }>(t, token, 'createModule', 'CreateModuleInput', { courseId: built.id, title: zh(`第${i + 1}章`) }, 'module { id }');
    built.modules.push(m.module.id);
    const ids: string[] = [];
    for (let j = 0; j < count; j++) ids.push(await addPage(t, token, m.module.id, `第${j + 1}节`));
    built.activities.push(ids);
  }
  if (options.publish ?? true) await mutateOk(t, token, 'publishCourse', 'CourseIdInput', { id: built.id }, 'course { id }');
  return built;
}

/** Adds a PAGE activity; returns its id. */
export async function addPage(t: TestApp, token: string, moduleId: string, title: string, html = `<p>${title}</p>`): Promise<string> {
  const a = await mutateOk<{ activity: { id: string } }>(t, token, 'createActivity', 'CreateActivityInput',
    { moduleId, kind: 'PAGE', title: zh(title), page: { html } }, 'activity { id }');
  return a.activity.id;
}

/**
 * Assigns a course to users; returns the enrollment ids. A due date in the past (which the API
 * refuses) is history: the enrollments are assigned, then the owner moves their due date back.
 */
export async function assign(t: TestApp, token: string, courseId: string, users: SeededUser[], dueAt?: Date): Promise<string[]> {
  const past = dueAt !== undefined && dueAt.getTime() <= Date.now();
  const p = await mutateOk<{ enrollments: { id: string }[] }>(t, token, 'assignCourse', 'AssignCourseInput',
    { courseId, userIds: users.map(userGid), dueAt: past ? undefined : dueAt?.toISOString() }, 'enrollments { id }');
  const ids = p.enrollments.map((e) => e.id);
  if (past) await t.owner.query(`UPDATE enrollment SET due_at = $2 WHERE id = ANY($1::uuid[])`, [ids.map((id) => fromGlobalId(id).id), dueAt]);
  return ids;
}
