import { Arg, Ctx, Field, ID, InputType, Mutation, Resolver } from 'type-graphql';
import type { RequestContext } from '../../shared/context';
import { idOf } from '../../shared/ids';
import { EnrollmentPayload } from './enrollment.inputs';
import { completeEnrollment } from './enrollment-override.service';

@InputType()
export class CompleteEnrollmentInput {
  @Field(() => ID)
  id: string;

  @Field({ description: 'Why it is completed by hand (kept in the audit log); at most 1000 characters.' })
  reason: string;
}

@Resolver()
export class EnrollmentOverrideResolver {
  @Mutation(() => EnrollmentPayload, {
    description: 'Admins and HR: complete an unfinished enrollment by hand, with a reason; it counts as any completion (certificates follow).',
  })
  async completeEnrollment(@Arg('input', () => CompleteEnrollmentInput) input: CompleteEnrollmentInput, @Ctx() ctx: RequestContext): Promise<EnrollmentPayload> {
    return { enrollment: await completeEnrollment(ctx, idOf('Enrollment', input.id), input.reason), errors: [] };
  }
}
