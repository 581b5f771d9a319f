import { Arg, Args, Ctx, FieldResolver, ID, Mutation, Query, Resolver, Root } from 'type-graphql';
import type { RequestContext } from '../../shared/context';
import { idOf, toGlobalId } from '../../shared/ids';
import { registerNode } from '../../shared/node';
import { Connection, PageArgs } from '../../shared/pagination';
import { Permission } from '../../shared/permissions';
import { Course } from '../course/course.entity';
import { courseById } from '../course/course.loader';
import { COURSE_TYPE } from '../course/course.resolver';
import { AssignmentRule } from './assignment-rule.entity';
import { AssignmentRuleFilter, AssignmentRulePayload, DeactivateAssignmentRuleInput } from './enrollment.inputs';
import { assignmentRuleService } from './assignment-rule.service';

export const ASSIGNMENT_RULE_TYPE = 'AssignmentRule';

export const AssignmentRuleConnection = Connection(AssignmentRule, 'AssignmentRule');

registerNode(ASSIGNMENT_RULE_TYPE, async (ctx, id) => (ctx.can(Permission.ENROLLMENTS_MANAGE) ? assignmentRuleService.findOne(ctx, id) : null));

@Resolver(() => AssignmentRule)
export class AssignmentRuleResolver {
  @FieldResolver(() => ID)
  id(@Root() rule: AssignmentRule): string {
    return toGlobalId(ASSIGNMENT_RULE_TYPE, rule.id);
  }

  @FieldResolver(() => Course)
  async course(@Root() rule: AssignmentRule, @Ctx() ctx: RequestContext): Promise<Course> {
    return (await courseById(ctx).load(rule.courseId))!;
  }

  @FieldResolver(() => String, { nullable: true, description: 'Matches users in this org unit or below it; null: any unit.' })
  orgUnitPath(@Root() rule: AssignmentRule): string | null {
    return rule.orgUnitPath || null;
  }

  @FieldResolver(() => String, { nullable: true, description: 'Matches users with this job title; null: any title.' })
  jobTitle(@Root() rule: AssignmentRule): string | null {
    return rule.jobTitle || null;
  }

  @Query(() => AssignmentRuleConnection, { description: 'Admins and HR: the standing assignments (assignCourse by org unit or job title), oldest first; active ones unless asked.' })
  assignmentRules(@Args() page: PageArgs, @Arg('filter', () => AssignmentRuleFilter, { nullable: true }) filter: AssignmentRuleFilter | null, @Ctx() ctx: RequestContext) {
    return assignmentRuleService.list(ctx, {
      courseId: filter?.courseId ? idOf(COURSE_TYPE, filter.courseId) : undefined,
      includeInactive: filter?.includeInactive ?? false,
    }, page);
  }

  @Mutation(() => AssignmentRulePayload, { description: 'Stop a standing assignment: nobody new is enrolled by it; the enrollments it made stay.' })
  async deactivateAssignmentRule(@Arg('input', () => DeactivateAssignmentRuleInput) input: DeactivateAssignmentRuleInput, @Ctx() ctx: RequestContext): Promise<AssignmentRulePayload> {
    return { rule: await assignmentRuleService.deactivate(ctx, idOf(ASSIGNMENT_RULE_TYPE, input.id)), errors: [] };
  }
}
