import { Arg, Ctx, FieldResolver, ID, Query, Resolver, Root } from 'type-graphql';
import type { RequestContext } from '../../shared/context';
import { idOf } from '../../shared/ids';
import { Course } from '../course/course.entity';
import { courseById } from '../course/course.loader';
import { COURSE_TYPE } from '../course/course.resolver';
import { CourseStatistics } from './course-statistics.types';
import { courseStatisticsService } from './course-statistics.service';

@Resolver(() => CourseStatistics)
export class CourseStatisticsResolver {
  @Query(() => CourseStatistics, {
    description: 'Where a course stands for an org unit subtree: HR and org admins anyone, managers their org unit subtree and direct reports. Open cycles only.',
  })
  courseStatistics(
    @Arg('courseId', () => ID) courseId: string,
    @Arg('orgUnitPath', () => String, { nullable: true, description: 'Only learners in this org unit or below it (at most 500 characters).' }) orgUnitPath: string | null,
    @Ctx() ctx: RequestContext,
  ): Promise<CourseStatistics> {
    return courseStatisticsService.forCourse(ctx, idOf(COURSE_TYPE, courseId), orgUnitPath ?? null);
  }

  @FieldResolver(() => Course)
  async course(@Root() s: CourseStatistics, @Ctx() ctx: RequestContext): Promise<Course> {
    return (await courseById(ctx).load(s.courseId))!;
  }
}
