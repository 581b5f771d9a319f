import type { RequestContext } from '../../shared/context';
import { newId } from '../../shared/ids';
import { Activity, type ActivityContent, type ActivityKind, type CompletionKind, CourseModule } from './content.entity';
import type { LocalizedText } from './localized';

/** An activity as copied between revisions and stored in template versions. */
export interface ActivitySnapshot {
  key: string;
  kind: ActivityKind;
  title: LocalizedText;
  required: boolean;
  completionKind: CompletionKind;
  completionThreshold: number | null;
  content: ActivityContent;
}

/** A module and its activities, in order. */
export interface ModuleSnapshot {
  key: string;
  title: LocalizedText;
  description: LocalizedText | null;
  activities: ActivitySnapshot[];
}

/** The catalog fields a template carries over to an adopted course. */
export interface CourseFieldsSnapshot {
  title: LocalizedText;
  description: LocalizedText | null;
  tags: string[];
  estimatedMinutes: number | null;
  coverUrl: string | null;
}

/** What a template version stores: the course's catalog fields and its content. */
export interface ContentSnapshot {
  course: CourseFieldsSnapshot;
  modules: ModuleSnapshot[];
}

/** The content of a revision as plain data (module and activity keys kept). */
export async function readContent(ctx: RequestContext, revisionId: string): Promise<ModuleSnapshot[]> {
  const where = { organizationId: ctx.orgId, revisionId };
  const modules = await ctx.manager.find(CourseModule, { where, order: { position: 'ASC', id: 'ASC' } });
  const activities = await ctx.manager.find(Activity, { where, order: { position: 'ASC', id: 'ASC' } });
  return modules.map((m) => ({
    key: m.key,
    title: m.title,
    description: m.description,
    activities: activities.filter((a) => a.moduleId === m.id).map((a) => ({
      key: a.key, kind: a.kind, title: a.title, required: a.required,
      completionKind: a.completionKind, completionThreshold: a.completionThreshold, content: a.content,
    })),
  }));
}

/** Writes modules and activities into a (draft) revision: two statements whatever the size. */
export async function writeContent(ctx: RequestContext, courseId: string, revisionId: string, modules: ModuleSnapshot[]): Promise<void> {
  const organizationId = ctx.orgId;
  const moduleRows: Partial<CourseModule>[] = [];
  const activityRows: Partial<Activity>[] = [];
  modules.forEach((m, i) => {
    const moduleId = newId();
    moduleRows.push({ organizationId, id: moduleId, courseId, revisionId, key: m.key, position: i + 1, title: m.title, description: m.description });
    m.activities.forEach((a, j) => activityRows.push({
      organizationId, id: newId(), courseId, revisionId, moduleId, key: a.key, position: j + 1, kind: a.kind, title: a.title,
      required: a.required, completionKind: a.completionKind, completionThreshold: a.completionThreshold, content: a.content,
    }));
  });
  if (moduleRows.length) await ctx.manager.insert(CourseModule, moduleRows);
  if (activityRows.length) await ctx.manager.insert(Activity, activityRows);
}
