import { Arg, Ctx, ID, Mutation, Query, Resolver } from 'type-graphql';
import type { RequestContext } from '../../shared/context';
import { idOf } from '../../shared/ids';
import { ACTIVITY_TYPE } from '../course/content.resolver';
import { SetAssessmentInput, SetAssessmentPayload } from './assessment.inputs';
import { AuthorAssessmentInput } from './authoring.inputs';
import { AuthoredAssessment } from './authoring.types';
import { authoringService } from './authoring.service';

@Resolver()
export class AssessmentAuthoringResolver {
  @Query(() => AuthoredAssessment, { nullable: true, description: 'Authors: the full assessment of an ASSESSMENT activity, answers included; null while none is set.' })
  authoredAssessment(@Arg('activityId', () => ID) activityId: string, @Ctx() ctx: RequestContext): Promise<AuthoredAssessment | null> {
    return authoringService.authored(ctx, idOf(ACTIVITY_TYPE, activityId));
  }

  @Mutation(() => SetAssessmentPayload, {
    description: 'Authors: set the assessment (settings and questions) of an ASSESSMENT activity in a draft revision, replacing any before. '
      + 'Each question is a QuestionInput holding one field of its kind; left-out settings take the defaults their descriptions give. '
      + 'A refused input returns payload errors with the path of the field at fault and changes nothing.',
  })
  async authorAssessment(@Arg('input', () => AuthorAssessmentInput) input: AuthorAssessmentInput, @Ctx() ctx: RequestContext): Promise<SetAssessmentPayload> {
    return { assessment: await authoringService.author(ctx, idOf(ACTIVITY_TYPE, input.activityId), input), errors: [] };
  }

  @Mutation(() => SetAssessmentPayload, {
    description: 'Authors: set the assessment of an ASSESSMENT activity in a draft revision from one untyped JSON document.',
    deprecationReason: 'Untyped: use authorAssessment, whose input is typed per question kind with defaults for the settings.',
  })
  async setAssessment(@Arg('input', () => SetAssessmentInput) input: SetAssessmentInput, @Ctx() ctx: RequestContext): Promise<SetAssessmentPayload> {
    return { assessment: await authoringService.set(ctx, idOf(ACTIVITY_TYPE, input.activityId), input.assessment), errors: [] };
  }
}
