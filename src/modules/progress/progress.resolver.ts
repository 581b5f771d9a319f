import { Arg, Ctx, Field, Float, ID, InputType, Mutation, ObjectType, Resolver } from 'type-graphql';
import type { RequestContext } from '../../shared/context';
import { idOf } from '../../shared/ids';
import { UserError } from '../../shared/payload';
import { getEntityOrThrow } from '../../shared/scoped';
import { Activity } from '../course/content.entity';
import { ACTIVITY_TYPE } from '../course/content.resolver';
import { Enrollment } from '../enrollment/enrollment.entity';
import { nativeProgressService } from './native-progress.service';
import { ActivityProgress } from './progress.entity';

@InputType({ description: 'What a learner did on a PAGE or VIDEO activity.' })
export class RecordActivityProgressInput {
  @Field(() => ID)
  activityId: string;

  @Field(() => Boolean, { nullable: true, description: 'The learner finished it (a PAGE counts as finished once viewed).' })
  completed?: boolean | null;

  @Field(() => Float, { nullable: true, description: 'VIDEO: share watched, 0..1.' })
  progressMeasure?: number | null;

  @Field(() => Float, { nullable: true, description: 'Seconds spent since the last report.' })
  sessionSeconds?: number | null;
}

@ObjectType()
export class RecordActivityProgressPayload {
  @Field(() => ActivityProgress, { nullable: true })
  progress?: ActivityProgress;

  @Field(() => Activity, { nullable: true, description: 'The activity, whose `progress` is the one recorded: select it to refresh a client cache.' })
  activity?: Activity;

  @Field(() => Enrollment, { nullable: true, description: 'The enrollment, rolled up.' })
  enrollment?: Enrollment;

  @Field(() => [UserError])
  errors: UserError[];
}

@Resolver()
export class ProgressResolver {
  @Mutation(() => RecordActivityProgressPayload, { description: 'Learners: record viewing a PAGE or watching a VIDEO (SCORM and assessments report through their own run-time).' })
  async recordActivityProgress(
    @Arg('input', () => RecordActivityProgressInput) input: RecordActivityProgressInput,
    @Ctx() ctx: RequestContext,
  ): Promise<RecordActivityProgressPayload> {
    const { progress, activity, enrollmentId } = await nativeProgressService.record(ctx, idOf(ACTIVITY_TYPE, input.activityId), input);
    return { progress, activity, enrollment: await getEntityOrThrow(ctx, Enrollment, enrollmentId, 'Enrollment'), errors: [] };
  }
}
