import DataLoader from 'dataloader';
import { GraphQLJSON } from 'graphql-scalars';
import { Arg, Args, Ctx, FieldResolver, ID, Mutation, Query, Resolver, Root } from 'type-graphql';
import { In } from 'typeorm';
import type { RequestContext } from '../../shared/context';
import { idOf, toGlobalId } from '../../shared/ids';
import { byKeys, defineLoader, groupByKeys } from '../../shared/loaders';
import { registerNode } from '../../shared/node';
import { Permission } from '../../shared/permissions';
import { Connection, PageArgs } from '../../shared/pagination';
import { Course } from '../course/course.entity';
import { CoursePayload } from '../course/course.inputs';
import { COURSE_TYPE } from '../course/course.resolver';
import { pickText, Translations, translationsOf } from '../course/localized';
import { CourseTemplate, CourseTemplateVersion } from './template.entity';
import { AdoptCourseTemplateInput, CourseTemplatePayload, PublishCourseTemplateInput, PullCourseTemplateVersionInput } from './template.inputs';
import { templateService } from './template.service';

export const TEMPLATE_TYPE = 'CourseTemplate';

export const CourseTemplateConnection = Connection(CourseTemplate, 'CourseTemplate');

const templateById = defineLoader(
  (ctx) =>
    new DataLoader<string, CourseTemplate | null>(async (ids) => byKeys(ids, await ctx.manager.findBy(CourseTemplate, { id: In([...ids]) }), (t) => t.id)),
);

const versionsByTemplate = defineLoader(
  (ctx) =>
    new DataLoader<string, CourseTemplateVersion[]>(async (ids) =>
      groupByKeys(ids, await ctx.manager.find(CourseTemplateVersion, { where: { templateId: In([...ids]) }, order: { version: 'DESC' } }), (v) => v.templateId)),
);

registerNode(TEMPLATE_TYPE, (ctx, id) => templateService.findOne(ctx, id));

@Resolver(() => CourseTemplate)
export class CourseTemplateResolver {
  @FieldResolver(() => ID)
  id(@Root() template: CourseTemplate): string {
    return toGlobalId(TEMPLATE_TYPE, template.id);
  }

  @FieldResolver(() => String)
  title(@Root() template: CourseTemplate, @Ctx() ctx: RequestContext): string {
    return pickText(template.title, ctx.locale);
  }

  @FieldResolver(() => Translations)
  titleTranslations(@Root() template: CourseTemplate): Translations {
    return translationsOf(template.title);
  }

  @FieldResolver(() => String, { nullable: true })
  description(@Root() template: CourseTemplate, @Ctx() ctx: RequestContext): string | null {
    return pickText(template.description, ctx.locale);
  }

  @FieldResolver(() => [CourseTemplateVersion], { description: 'Published versions, newest first.' })
  versions(@Root() template: CourseTemplate, @Ctx() ctx: RequestContext): Promise<CourseTemplateVersion[]> {
    return versionsByTemplate(ctx).load(template.id);
  }

  @Query(() => CourseTemplateConnection, { description: 'The shared catalog (platform admins, and authors choosing what to adopt).' })
  courseTemplates(@Args() page: PageArgs, @Ctx() ctx: RequestContext) {
    return templateService.list(ctx, page);
  }

  @Query(() => CourseTemplate, { nullable: true, description: "A template of the shared catalog; null with a NOT_FOUND error beside the other fields' data when missing, forbidden or another organization's." })
  courseTemplate(@Arg('id', () => ID) id: string, @Ctx() ctx: RequestContext): Promise<CourseTemplate | null> {
    return templateService.findOne(ctx, idOf(TEMPLATE_TYPE, id));
  }

  @Mutation(() => CourseTemplatePayload, { description: 'Platform admins: publish a template version to the shared catalog.' })
  async publishCourseTemplate(@Arg('input', () => PublishCourseTemplateInput) input: PublishCourseTemplateInput, @Ctx() ctx: RequestContext): Promise<CourseTemplatePayload> {
    return { template: await templateService.publish(ctx, input), errors: [] };
  }

  @Mutation(() => CoursePayload, { description: "Authors: adopt a template as the organization's own draft course." })
  async adoptCourseTemplate(@Arg('input', () => AdoptCourseTemplateInput) input: AdoptCourseTemplateInput, @Ctx() ctx: RequestContext): Promise<CoursePayload> {
    return { course: await templateService.adopt(ctx, idOf(TEMPLATE_TYPE, input.templateId), input.version, input.code), errors: [] };
  }

  @Mutation(() => CoursePayload, { description: "Authors: pull a newer template version into the course's draft revision." })
  async pullCourseTemplateVersion(@Arg('input', () => PullCourseTemplateVersionInput) input: PullCourseTemplateVersionInput, @Ctx() ctx: RequestContext): Promise<CoursePayload> {
    return { course: await templateService.pull(ctx, idOf(COURSE_TYPE, input.courseId), input.version), errors: [] };
  }
}

@Resolver(() => CourseTemplateVersion)
export class CourseTemplateVersionResolver {
  @FieldResolver(() => GraphQLJSON, { description: 'Authors and platform admins: the snapshot (course fields, modules and activities with their stable keys; assessments with their answers).' })
  content(@Root() version: CourseTemplateVersion, @Ctx() ctx: RequestContext): unknown {
    if (!ctx.can(Permission.PLATFORM_MANAGE)) ctx.assert(Permission.COURSES_AUTHOR);
    return version.content;
  }
}

@Resolver(() => Course)
export class CourseSourceResolver {
  @FieldResolver(() => CourseTemplate, { nullable: true, description: 'The template this course was adopted from.' })
  sourceTemplate(@Root() course: Course, @Ctx() ctx: RequestContext): Promise<CourseTemplate | null> | null {
    return course.sourceTemplateId ? templateById(ctx).load(course.sourceTemplateId) : null;
  }
}
