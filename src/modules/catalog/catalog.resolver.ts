import type { GraphQLResolveInfo } from 'graphql';
import { Ctx, Field, FieldResolver, Info, Int, ObjectType, Resolver, Root } from 'type-graphql';
import type { RequestContext } from '../../shared/context';
import { Permission } from '../../shared/permissions';
import { Activity, CourseModule } from '../course/content.entity';
import { Course, CourseRevision } from '../course/course.entity';
import { activitiesByModule, modulesByRevision } from '../course/course.loader';
import { Enrollment, EnrollmentStatus } from '../enrollment/enrollment.entity';
import { ActivityProgress } from '../progress/progress.entity';
import { loadedEnrollmentProgress, ownProgress, progressByEnrollment } from '../progress/progress.loader';
import { carryEnrollment, enrollmentOf } from '../progress/through-enrollment';
import { PROGRESS_SUMMARY_FIELDS, viewerEnrollmentByCourse, viewerProgress } from './catalog.loader';
import { perField, selectsField, selectsOnly, selectsOnlyUnder } from './selection';
import { activityViews, answersWithViews } from './activity-views';

@ObjectType({ description: "The viewer's completion of a module's required activities.", simpleResolvers: true })
export class ModuleProgress {
  @Field()
  completed: boolean;

  @Field(() => Int)
  requiredCount: number;

  @Field(() => Int)
  completedCount: number;
}

/**
 * The revision whose content the caller sees on a course: the one they started on, else the
 * published one; authors see the draft of a course that was never published. Reached through an
 * enrollment, it is that enrollment's revision.
 */
async function visibleRevisionId(ctx: RequestContext, course: Course): Promise<string | null> {
  const learner = enrollmentOf(course);
  if (learner) return learner.revisionId ?? course.publishedRevisionId;
  const enrollment = ctx.user ? await viewerEnrollmentByCourse(ctx).load(course.id) : null;
  if (enrollment?.revisionId && enrollment.status !== EnrollmentStatus.WITHDRAWN) return enrollment.revisionId;
  return course.publishedRevisionId ?? (ctx.can(Permission.COURSES_AUTHOR) ? course.draftRevisionId : null);
}

/** The learner's view of the catalog: content of the right revision and the viewer's progress on it. */
@Resolver(() => Course)
export class CourseCatalogResolver {
  @FieldResolver(() => [CourseModule], {
    description: "Modules of the revision you see: the one you started on, else the published one (authors: the draft of a course never published). Reached through an enrollment: that enrollment's revision, with its learner's progress.",
  })
  async modules(@Root() course: Course, @Ctx() ctx: RequestContext): Promise<CourseModule[]> {
    const revisionId = await visibleRevisionId(ctx, course);
    return revisionId ? carryEnrollment(course, await modulesByRevision(ctx).load(revisionId)) : [];
  }

  @FieldResolver(() => Enrollment, { nullable: true, description: 'Your enrollment in this course, if any.' })
  viewerEnrollment(@Root() course: Course, @Ctx() ctx: RequestContext): Promise<Enrollment | null> {
    return viewerEnrollmentByCourse(ctx).load(course.id);
  }
}

@Resolver(() => CourseRevision)
export class RevisionCatalogResolver {
  @FieldResolver(() => [CourseModule])
  async modules(@Root() revision: CourseRevision, @Ctx() ctx: RequestContext): Promise<CourseModule[]> {
    return carryEnrollment(revision, await modulesByRevision(ctx).load(revision.id));
  }
}

@Resolver(() => CourseModule)
export class ModuleCatalogResolver {
  @FieldResolver(() => [Activity])
  async activities(@Root() module: CourseModule, @Ctx() ctx: RequestContext, @Info() info: GraphQLResolveInfo): Promise<Activity[]> {
    // Loading the progress alongside lets every activity's `progress` resolve synchronously (or go into its view).
    const learner = enrollmentOf(module);
    const progress = perField(info, progressUnder);
    const loading = !progress ? undefined : learner ? progressByEnrollment(ctx).load(learner.id) : viewerProgress(ctx, module.courseId, progress === 'full');
    const [activities, loaded] = await Promise.all([activitiesByModule(ctx).load(module), loading]);
    // The operation reads these fields as properties (activity-views.ts): views, not the shared rows.
    if (answersWithViews(ctx)) return (await activityViews(ctx, activities, loaded, !learner)) as unknown as Activity[];
    return carryEnrollment(module, activities);
  }

  @FieldResolver(() => ModuleProgress, { nullable: true, description: "Null unless you are enrolled in the course; reached through an enrollment, that enrollment's learner's." })
  async progress(@Root() module: CourseModule, @Ctx() ctx: RequestContext): Promise<ModuleProgress | null> {
    const learner = enrollmentOf(module);
    const enrollment = learner ?? (await viewerEnrollmentByCourse(ctx).load(module.courseId));
    if (!enrollment) return null;
    const [activities, progress] = await Promise.all([
      activitiesByModule(ctx).load(module),
      learner ? progressByEnrollment(ctx).load(learner.id) : viewerProgress(ctx, module.courseId, false),
    ]);
    const required = activities.some((a) => a.required) ? activities.filter((a) => a.required) : activities;
    const completedCount = required.filter((a) => progress.get(a.key)?.completed).length;
    return { completed: completedCount === required.length, requiredCount: required.length, completedCount };
  }
}

/**
 * The progress the activities being resolved need: none unless their `progress` is selected; every
 * column when it asks beyond the summary, or when their SCORM `availability` is (sequencing reads
 * it whole); else the summary's.
 */
function progressUnder(info: GraphQLResolveInfo): 'full' | 'summary' | null {
  if (!selectsField(info, 'progress')) return null;
  return selectsField(info, 'availability') || !selectsOnlyUnder(info, 'progress', PROGRESS_SUMMARY_FIELDS) ? 'full' : 'summary';
}

/** Whether an activity's `progress` asks beyond the summary's fields. */
const beyondSummary = (info: GraphQLResolveInfo): boolean => !selectsOnly(info, PROGRESS_SUMMARY_FIELDS);

@Resolver(() => Activity)
export class ActivityCatalogResolver {
  @FieldResolver(() => ActivityProgress, {
    nullable: true,
    description: "The viewer's own progress on this activity (their open enrollment cycle); null until they start it. Reached through an enrollment (enrollment.course.modules.activities), that enrollment's learner's progress instead.",
  })
  progress(@Root() activity: Activity, @Ctx() ctx: RequestContext, @Info() info: GraphQLResolveInfo): ActivityProgress | null | Promise<ActivityProgress | null> {
    const learner = enrollmentOf(activity);
    if (learner) {
      const ofLearner = loadedEnrollmentProgress(ctx, learner.id);
      if (ofLearner) return ofLearner.get(activity.key) ?? null;
      return progressByEnrollment(ctx).load(learner.id).then((progress) => progress.get(activity.key) ?? null);
    }
    const progress = viewerProgress(ctx, activity.courseId, perField(info, beyondSummary));
    if (progress instanceof Map) return ownProgress(ctx, activity, progress.get(activity.key) ?? null);
    return progress.then((loaded) => ownProgress(ctx, activity, loaded.get(activity.key) ?? null));
  }
}
