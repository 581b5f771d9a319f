import { Arg, Ctx, FieldResolver, Mutation, Resolver, Root } from 'type-graphql';
import type { RequestContext } from '../../shared/context';
import { idOf } from '../../shared/ids';
import { CourseRevision } from '../course/course.entity';
import { COURSE_TYPE } from '../course/course.resolver';
import { CertificationRule, CertificationRulePayload, ClearCertificationRuleInput, SetCertificationRuleInput } from './certification-rule.inputs';
import { certificationRuleService, ruleView } from './certification-rule';

@Resolver(() => CourseRevision)
export class CertificationRuleResolver {
  @FieldResolver(() => CertificationRule, { nullable: true, description: 'What earns a certificate on this revision (null: none is issued).' })
  certificationRule(@Root() revision: CourseRevision): CertificationRule | null {
    return ruleView(revision.certificationRule);
  }

  @Mutation(() => CertificationRulePayload, { description: "Authors: set the certification rule of the course's draft revision; it is frozen on publish." })
  async setCertificationRule(@Arg('input', () => SetCertificationRuleInput) input: SetCertificationRuleInput, @Ctx() ctx: RequestContext): Promise<CertificationRulePayload> {
    const courseId = idOf(COURSE_TYPE, input.courseId);
    const { course, rule } = await certificationRuleService.set(ctx, courseId, input);
    return { course, rule: ruleView(rule), errors: [] };
  }

  @Mutation(() => CertificationRulePayload, { description: "Authors: remove the certification rule from the course's draft revision." })
  async clearCertificationRule(@Arg('input', () => ClearCertificationRuleInput) input: ClearCertificationRuleInput, @Ctx() ctx: RequestContext): Promise<CertificationRulePayload> {
    const { course } = await certificationRuleService.set(ctx, idOf(COURSE_TYPE, input.courseId), null);
    return { course, rule: null, errors: [] };
  }
}
