import { Arg, Args, Ctx, FieldResolver, ID, Mutation, Query, Resolver, Root } from 'type-graphql';
import type { RequestContext } from '../../shared/context';
import { idOf, toGlobalId } from '../../shared/ids';
import { registerNode } from '../../shared/node';
import { Connection, PageArgs } from '../../shared/pagination';
import { Permission } from '../../shared/permissions';
import { Course, CourseRevision, RevisionStatus } from './course.entity';
import { CourseFilter, CourseIdInput, CoursePayload, CreateCourseInput, UpdateCourseInput } from './course.inputs';
import { courseLifecycle } from './course.lifecycle';
import { courseById, revisionById, revisionsByCourse } from './course.loader';
import { courseService } from './course.service';
import { contentReadable } from './content.access';
import { pickText, Translations, translationsOf } from './localized';

export const COURSE_TYPE = 'Course';
export const REVISION_TYPE = 'CourseRevision';

export const CourseConnection = Connection(Course, 'Course');

registerNode(COURSE_TYPE, (ctx, id) => courseService.findVisible(ctx, id));
registerNode(REVISION_TYPE, async (ctx, id) => {
  const revision = await revisionById(ctx).load(id);
  return revision && (await contentReadable(ctx, revision.courseId, revision.id)) ? revision : null;
});

@Resolver(() => Course)
export class CourseResolver {
  @FieldResolver(() => ID)
  id(@Root() course: Course): string {
    return toGlobalId(COURSE_TYPE, course.id);
  }

  @FieldResolver(() => String, { description: "In the request's language (Accept-Language), falling back to Chinese." })
  title(@Root() course: Course, @Ctx() ctx: RequestContext): string {
    return pickText(course.title, ctx.locale);
  }

  @FieldResolver(() => Translations)
  titleTranslations(@Root() course: Course): Translations {
    return translationsOf(course.title);
  }

  @FieldResolver(() => String, { nullable: true })
  description(@Root() course: Course, @Ctx() ctx: RequestContext): string | null {
    return pickText(course.description, ctx.locale);
  }

  @FieldResolver(() => Translations, { nullable: true })
  descriptionTranslations(@Root() course: Course): Translations | null {
    return translationsOf(course.description);
  }

  @FieldResolver(() => CourseRevision, { nullable: true, description: 'The revision learners start on.' })
  publishedRevision(@Root() course: Course, @Ctx() ctx: RequestContext): Promise<CourseRevision | null> | null {
    return course.publishedRevisionId ? revisionById(ctx).load(course.publishedRevisionId) : null;
  }

  @FieldResolver(() => CourseRevision, { nullable: true, description: 'Authors: the revision being edited.' })
  draftRevision(@Root() course: Course, @Ctx() ctx: RequestContext): Promise<CourseRevision | null> | null {
    return course.draftRevisionId && ctx.can(Permission.COURSES_AUTHOR) ? revisionById(ctx).load(course.draftRevisionId) : null;
  }

  @FieldResolver(() => [CourseRevision], { description: 'Authors: every revision, newest first; others: published ones.' })
  async revisions(@Root() course: Course, @Ctx() ctx: RequestContext): Promise<CourseRevision[]> {
    const all = await revisionsByCourse(ctx).load(course.id);
    return ctx.can(Permission.COURSES_AUTHOR) ? all : all.filter((r) => r.status === RevisionStatus.PUBLISHED);
  }

  @Query(() => Course, { nullable: true, description: "A course you may see (drafts and private courses answer NOT_FOUND to learners); null with a NOT_FOUND error beside the other fields' data when missing, forbidden or another organization's." })
  course(@Arg('id', () => ID) id: string, @Ctx() ctx: RequestContext): Promise<Course | null> {
    return courseService.findVisible(ctx, idOf(COURSE_TYPE, id));
  }

  @Query(() => CourseConnection, { description: 'The catalog. Learners see published courses they are enrolled in or may enroll in.' })
  courses(@Args() page: PageArgs, @Arg('filter', () => CourseFilter, { nullable: true }) filter: CourseFilter | null, @Ctx() ctx: RequestContext) {
    return courseService.list(ctx, filter ?? {}, page);
  }

  @Mutation(() => CoursePayload, { description: 'Authors: a new DRAFT course with an empty draft revision.' })
  async createCourse(@Arg('input', () => CreateCourseInput) input: CreateCourseInput, @Ctx() ctx: RequestContext): Promise<CoursePayload> {
    return { course: await courseService.create(ctx, input), errors: [] };
  }

  @Mutation(() => CoursePayload, { description: "Authors: change a course's catalog data." })
  async updateCourse(@Arg('input', () => UpdateCourseInput) input: UpdateCourseInput, @Ctx() ctx: RequestContext): Promise<CoursePayload> {
    return { course: await courseService.update(ctx, idOf(COURSE_TYPE, input.id), input), errors: [] };
  }

  @Mutation(() => CoursePayload, { description: 'Authors: freeze the draft revision and publish it. Needs at least one activity.' })
  async publishCourse(@Arg('input', () => CourseIdInput) input: CourseIdInput, @Ctx() ctx: RequestContext): Promise<CoursePayload> {
    return { course: await courseLifecycle.publish(ctx, idOf(COURSE_TYPE, input.id)), errors: [] };
  }

  @Mutation(() => CoursePayload, { description: 'Authors: take a course out of the catalog.' })
  async archiveCourse(@Arg('input', () => CourseIdInput) input: CourseIdInput, @Ctx() ctx: RequestContext): Promise<CoursePayload> {
    return { course: await courseLifecycle.archive(ctx, idOf(COURSE_TYPE, input.id)), errors: [] };
  }

  @Mutation(() => CoursePayload, { description: 'Authors: start a new draft revision, a copy of the published one.' })
  async createCourseDraft(@Arg('input', () => CourseIdInput) input: CourseIdInput, @Ctx() ctx: RequestContext): Promise<CoursePayload> {
    return { course: await courseLifecycle.createDraft(ctx, idOf(COURSE_TYPE, input.id)), errors: [] };
  }
}

@Resolver(() => CourseRevision)
export class CourseRevisionResolver {
  @FieldResolver(() => ID)
  id(@Root() revision: CourseRevision): string {
    return toGlobalId(REVISION_TYPE, revision.id);
  }

  @FieldResolver(() => Course)
  async course(@Root() revision: CourseRevision, @Ctx() ctx: RequestContext): Promise<Course> {
    return (await courseById(ctx).load(revision.courseId))!;
  }
}
