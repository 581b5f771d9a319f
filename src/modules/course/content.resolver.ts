import { Arg, Ctx, FieldResolver, ID, Mutation, Resolver, Root } from 'type-graphql';
import type { RequestContext } from '../../shared/context';
import { idOf, toGlobalId } from '../../shared/ids';
import { registerNode } from '../../shared/node';
import { activityService } from './activity.service';
import { contentReadable } from './content.access';
import { Activity, ActivityKind, CourseModule } from './content.entity';
import {
  ActivityPayload, CompletionRule, CreateActivityInput, CreateModuleInput, DeleteContentInput, DeleteContentPayload, ModulePayload,
  PageContent, ReorderActivitiesInput, ReorderModulesInput, UpdateActivityInput, UpdateModuleInput, VideoContent,
} from './content.inputs';
import { contentService } from './content.service';
import { Course, CourseRevision } from './course.entity';
import { CoursePayload } from './course.inputs';
import { activityDetail, moduleById, revisionById } from './course.loader';
import { COURSE_TYPE } from './course.resolver';
import { pickText, Translations, translationsOf } from './localized';
import { getEntityOrThrow } from '../../shared/scoped';

export const MODULE_TYPE = 'CourseModule';
export const ACTIVITY_TYPE = 'Activity';

registerNode(MODULE_TYPE, async (ctx, id) => {
  const module = await ctx.manager.findOneBy(CourseModule, { organizationId: ctx.orgId, id });
  return module && (await contentReadable(ctx, module.courseId, module.revisionId)) ? module : null;
});
registerNode(ACTIVITY_TYPE, async (ctx, id) => {
  const activity = await ctx.manager.findOneBy(Activity, { organizationId: ctx.orgId, id });
  return activity && (await contentReadable(ctx, activity.courseId, activity.revisionId)) ? activity : null;
});

@Resolver(() => CourseModule)
export class CourseModuleResolver {
  @FieldResolver(() => ID)
  id(@Root() module: CourseModule): string {
    return toGlobalId(MODULE_TYPE, module.id);
  }

  @FieldResolver(() => String)
  title(@Root() module: CourseModule, @Ctx() ctx: RequestContext): string {
    return pickText(module.title, ctx.locale);
  }

  @FieldResolver(() => Translations)
  titleTranslations(@Root() module: CourseModule): Translations {
    return translationsOf(module.title);
  }

  @FieldResolver(() => String, { nullable: true })
  description(@Root() module: CourseModule, @Ctx() ctx: RequestContext): string | null {
    return pickText(module.description, ctx.locale);
  }

  @FieldResolver(() => Translations, { nullable: true })
  descriptionTranslations(@Root() module: CourseModule): Translations | null {
    return translationsOf(module.description);
  }

  @FieldResolver(() => CourseRevision)
  async revision(@Root() module: CourseModule, @Ctx() ctx: RequestContext): Promise<CourseRevision> {
    return (await revisionById(ctx).load(module.revisionId))!;
  }

  @Mutation(() => ModulePayload, { description: "Authors: add a module to the course's draft revision." })
  async createModule(@Arg('input', () => CreateModuleInput) input: CreateModuleInput, @Ctx() ctx: RequestContext): Promise<ModulePayload> {
    return { module: await contentService.createModule(ctx, idOf(COURSE_TYPE, input.courseId), input), errors: [] };
  }

  @Mutation(() => ModulePayload, { description: 'Authors: change a draft module.' })
  async updateModule(@Arg('input', () => UpdateModuleInput) input: UpdateModuleInput, @Ctx() ctx: RequestContext): Promise<ModulePayload> {
    return { module: await contentService.updateModule(ctx, idOf(MODULE_TYPE, input.id), input), errors: [] };
  }

  @Mutation(() => DeleteContentPayload, { description: 'Authors: delete a draft module with its activities.' })
  async deleteModule(@Arg('input', () => DeleteContentInput) input: DeleteContentInput, @Ctx() ctx: RequestContext): Promise<DeleteContentPayload> {
    await contentService.deleteModule(ctx, idOf(MODULE_TYPE, input.id));
    return { deletedId: input.id, errors: [] };
  }

  @Mutation(() => CoursePayload, { description: "Authors: put the draft revision's modules in a new order." })
  async reorderModules(@Arg('input', () => ReorderModulesInput) input: ReorderModulesInput, @Ctx() ctx: RequestContext): Promise<CoursePayload> {
    const courseId = idOf(COURSE_TYPE, input.courseId);
    await contentService.reorderModules(ctx, courseId, input.moduleIds.map((id) => idOf(MODULE_TYPE, id)));
    return { course: await getEntityOrThrow(ctx, Course, courseId, 'Course'), errors: [] };
  }
}

@Resolver(() => Activity)
export class ActivityResolver {
  @FieldResolver(() => ID)
  id(@Root() activity: Activity): string {
    return toGlobalId(ACTIVITY_TYPE, activity.id);
  }

  @FieldResolver(() => String)
  title(@Root() activity: Activity, @Ctx() ctx: RequestContext): string {
    return pickText(activity.title, ctx.locale);
  }

  @FieldResolver(() => Translations)
  titleTranslations(@Root() activity: Activity): Translations {
    return translationsOf(activity.title);
  }

  // Lists of activities leave these columns out (`activitiesByModule`); they are loaded, batched, when asked for.
  @FieldResolver(() => Date)
  createdAt(@Root() activity: Activity, @Ctx() ctx: RequestContext): Promise<Date> {
    return activityDetail(ctx, activity, 'createdAt');
  }

  @FieldResolver(() => CompletionRule)
  async completion(@Root() activity: Activity, @Ctx() ctx: RequestContext): Promise<CompletionRule> {
    const [kind, threshold] = await Promise.all([activityDetail(ctx, activity, 'completionKind'), activityDetail(ctx, activity, 'completionThreshold')]);
    return { kind, threshold };
  }

  @FieldResolver(() => PageContent, { nullable: true, description: 'PAGE activities: the sanitized rich text.' })
  async page(@Root() activity: Activity, @Ctx() ctx: RequestContext): Promise<PageContent | null> {
    if (activity.kind !== ActivityKind.PAGE) return null;
    return { html: (await activityDetail(ctx, activity, 'content')).html ?? '' };
  }

  @FieldResolver(() => VideoContent, { nullable: true, description: 'VIDEO activities.' })
  async video(@Root() activity: Activity, @Ctx() ctx: RequestContext): Promise<VideoContent | null> {
    if (activity.kind !== ActivityKind.VIDEO) return null;
    const content = await activityDetail(ctx, activity, 'content');
    return { url: content.url ?? '', durationSeconds: content.durationSeconds ?? null };
  }

  @FieldResolver(() => CourseModule)
  async module(@Root() activity: Activity, @Ctx() ctx: RequestContext): Promise<CourseModule> {
    return (await moduleById(ctx).load(activity.moduleId))!;
  }

  @Mutation(() => ActivityPayload, { description: 'Authors: add an activity to a draft module.' })
  async createActivity(@Arg('input', () => CreateActivityInput) input: CreateActivityInput, @Ctx() ctx: RequestContext): Promise<ActivityPayload> {
    return { activity: await activityService.create(ctx, idOf(MODULE_TYPE, input.moduleId), input), errors: [] };
  }

  @Mutation(() => ActivityPayload, { description: 'Authors: change a draft activity, or move it to another module.' })
  async updateActivity(@Arg('input', () => UpdateActivityInput) input: UpdateActivityInput, @Ctx() ctx: RequestContext): Promise<ActivityPayload> {
    const target = input.moduleId ? idOf(MODULE_TYPE, input.moduleId) : null;
    return { activity: await activityService.update(ctx, idOf(ACTIVITY_TYPE, input.id), input, target), errors: [] };
  }

  @Mutation(() => DeleteContentPayload, { description: 'Authors: delete a draft activity.' })
  async deleteActivity(@Arg('input', () => DeleteContentInput) input: DeleteContentInput, @Ctx() ctx: RequestContext): Promise<DeleteContentPayload> {
    await activityService.delete(ctx, idOf(ACTIVITY_TYPE, input.id));
    return { deletedId: input.id, errors: [] };
  }

  @Mutation(() => ModulePayload, { description: "Authors: put a draft module's activities in a new order." })
  async reorderActivities(@Arg('input', () => ReorderActivitiesInput) input: ReorderActivitiesInput, @Ctx() ctx: RequestContext): Promise<ModulePayload> {
    const moduleId = idOf(MODULE_TYPE, input.moduleId);
    await activityService.reorder(ctx, moduleId, input.activityIds.map((id) => idOf(ACTIVITY_TYPE, id)));
    return { module: await getEntityOrThrow(ctx, CourseModule, moduleId, 'Module'), errors: [] };
  }
}
