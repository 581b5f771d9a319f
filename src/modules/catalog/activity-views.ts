import { MapperKind, mapSchema } from '@graphql-tools/utils';
import {
  getNamedType, getOperationAST, isAbstractType, isObjectType, Kind,
  type DocumentNode, type FragmentDefinitionNode, type GraphQLCompositeType, type GraphQLObjectType, type GraphQLSchema, type SelectionSetNode,
} from 'graphql';
import type { RequestContext } from '../../shared/context';
import { toGlobalId } from '../../shared/ids';
import type { Activity, ActivityKind } from '../course/content.entity';
import { ACTIVITY_TYPE } from '../course/content.resolver';
import { pickText } from '../course/localized';
import type { ActivityProgress } from '../progress/progress.entity';
import { ownProgress } from '../progress/progress.loader';

/**
 * Activities as the learner catalog shows them, built by their module's `activities` resolver: the
 * global id, the title in the caller's language and the progress as plain properties, so that the
 * compiled operation reads them instead of calling a resolver for each. graphql-jit allocates, for
 * every resolver call, a resolve info, the response path and three closures: a catalog of 600
 * activities made 1,800 such calls for these three fields alone, most of the gap to a server whose
 * rows carry them (measured in the README's Benchmarks).
 *
 * An operation is served this way only when every activity it selects comes from
 * `CourseModule.activities` and only the fields below are selected on it, so no other resolver of
 * `Activity` ever sees a view (`servesActivityViews`); it is compiled against a copy of the schema
 * without the three fields' resolvers (`activityViewSchema`). Anything else is compiled as before.
 */
export interface ActivityView {
  id: string;
  key: string;
  kind: ActivityKind;
  title: string;
  position: number;
  required: boolean;
  progress?: ActivityProgress | null;
}

/** The fields of `Activity` a view answers (`__typename` is the type's own). */
const VIEW_FIELDS: ReadonlySet<string> = new Set(['__typename', 'id', 'key', 'kind', 'title', 'position', 'required', 'progress']);

/** The fields whose resolvers a view replaces with its properties. */
const VIEW_RESOLVED = ['id', 'title', 'progress'];

/** The one field whose activities are views. */
const SOURCE = { type: 'CourseModule', field: 'activities' };

/** A copy of `schema` in which `Activity`'s `id`, `title` and `progress` read the view's properties. */
export function activityViewSchema(schema: GraphQLSchema): GraphQLSchema {
  return mapSchema(schema, {
    [MapperKind.OBJECT_FIELD]: (config, fieldName, typeName) => (typeName === ACTIVITY_TYPE && VIEW_RESOLVED.includes(fieldName) ? { ...config, resolve: undefined } : config),
  });
}

/**
 * Whether the operation can be served with views: a query that selects activities, all through
 * `CourseModule.activities`, only `VIEW_FIELDS` on them (fragments included), and no field whose
 * type is an interface or union `Activity` belongs to (`node`), which would resolve them elsewhere.
 */
export function servesActivityViews(schema: GraphQLSchema, document: DocumentNode, operationName: string | undefined): boolean {
  const operation = getOperationAST(document, operationName);
  const activity = schema.getType(ACTIVITY_TYPE);
  const root = operation && schema.getRootType(operation.operation);
  // Queries only: a mutation keeps the schema its savepoints and input checks were written for.
  if (operation?.operation !== 'query' || !root || !isObjectType(activity)) return false;
  const fragments = new Map<string, FragmentDefinitionNode>();
  for (const d of document.definitions) if (d.kind === Kind.FRAGMENT_DEFINITION) fragments.set(d.name.value, d);
  let selectsActivities = false;
  const holdsActivity = (type: GraphQLCompositeType): boolean => isAbstractType(type) && schema.getPossibleTypes(type).includes(activity);
  const fits = (set: SelectionSetNode, parent: GraphQLCompositeType, fromSource: boolean): boolean =>
    set.selections.every((s) => {
      if (s.kind === Kind.FRAGMENT_SPREAD) {
        const fragment = fragments.get(s.name.value);
        const on = fragment && schema.getType(fragment.typeCondition.name.value);
        return !!on && (isObjectType(on) || isAbstractType(on)) && fits(fragment.selectionSet, on, fromSource);
      }
      if (s.kind === Kind.INLINE_FRAGMENT) {
        const on = s.typeCondition ? schema.getType(s.typeCondition.name.value) : parent;
        return !!on && (isObjectType(on) || isAbstractType(on)) && fits(s.selectionSet, on, fromSource);
      }
      const name = s.name.value;
      if (parent === activity && (!fromSource || !VIEW_FIELDS.has(name))) return false;
      if (name === '__typename') return true;
      if (holdsActivity(parent)) return false;
      const field = (parent as GraphQLObjectType).getFields()[name];
      if (!field) return false;
      const type = getNamedType(field.type);
      const source = parent.name === SOURCE.type && name === SOURCE.field;
      if (type === activity) {
        if (!source) return false;
        selectsActivities = true;
      }
      if (!s.selectionSet) return true;
      if (!isObjectType(type) && !isAbstractType(type)) return false;
      return !holdsActivity(type) && fits(s.selectionSet, type, source);
    });
  return fits(operation.selectionSet, root, false) && selectsActivities;
}

const viewContexts = new WeakSet<RequestContext>();

/** Marks a request as running an operation compiled for views (`servesActivityViews`). */
export function serveActivityViews(ctx: RequestContext): void {
  viewContexts.add(ctx);
}

/** Whether `CourseModule.activities` answers this request with views. */
export function answersWithViews(ctx: RequestContext): boolean {
  return viewContexts.has(ctx);
}

/**
 * The views of a module's activities, with `progress` (the activity key → progress of the learner
 * whose it is; undefined when not selected) as `ActivityCatalogResolver.progress` answers it:
 * the viewer's own scores hidden where an assessment's review policy shows them nothing (`own`);
 * a learner's reached through an enrollment as recorded.
 */
export async function activityViews(ctx: RequestContext, activities: Activity[], progress: Map<string, ActivityProgress> | undefined, own: boolean): Promise<ActivityView[]> {
  const views = activities.map((a): ActivityView => ({
    id: toGlobalId(ACTIVITY_TYPE, a.id), key: a.key, kind: a.kind, title: pickText(a.title, ctx.locale), position: a.position, required: a.required,
    progress: progress && (progress.get(a.key) ?? null),
  }));
  if (own && progress) {
    // Answered at once but for assessments with progress, which wait for their review policies (one batched statement).
    const shown = views.map((view, i) => ownProgress(ctx, activities[i], view.progress ?? null));
    if (shown.some((p) => p instanceof Promise)) (await Promise.all(shown)).forEach((p, i) => (views[i].progress = p));
  }
  return views;
}
