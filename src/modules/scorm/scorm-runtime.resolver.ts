import { Arg, Ctx, Field, ID, InputType, Int, Mutation, ObjectType, Resolver } from 'type-graphql';
import type { RequestContext } from '../../shared/context';
import { idOf, toGlobalId } from '../../shared/ids';
import { UserError } from '../../shared/payload';
import { Activity } from '../course/content.entity';
import type { ScormCmi } from './initial-cmi';
import { launchService } from './launch.service';
import { addScormActivities } from './scorm-activity.service';
import { ScormCmiScalar } from './scorm-cmi.scalar';
import { SCORM_PACKAGE_TYPE, ScormVersion } from './scorm-package.entity';

@ObjectType({ description: 'What a player needs to start a SCORM API object (scorm-again) for one session.' })
export class ScormLaunch {
  @Field(() => ID, { description: 'The attempt this session records into.' })
  attemptId: string;

  @Field(() => Int)
  attemptNumber: number;

  @Field(() => ScormVersion)
  version: ScormVersion;

  @Field({ description: 'cmi.entry: ab-initio for a new attempt; resume for a suspended one, or one whose last session ended without the content terminating it (a closed tab, a crash).' })
  entry: string;

  @Field({ description: 'The SCO, on the content origin.' })
  contentUrl: string;

  @Field({ description: 'Where scorm-again commits (JSON, commitSequence, ?final=true on terminate). Carries a signed, short-lived session token.' })
  commitUrl: string;

  @Field({ description: 'The reference player page for this session, embeddable in an LMS page.' })
  playerUrl: string;

  @Field(() => ScormCmiScalar, { description: "Initial data for scorm-again's loadFromJSON before Initialize, in the 2004 shape, or the 1.2 shape when version is SCORM_12. Pass it on unchanged." })
  cmi: ScormCmi;
}

@InputType()
export class LaunchActivityInput {
  @Field(() => ID)
  activityId: string;
}

@ObjectType()
export class LaunchActivityPayload {
  @Field(() => ScormLaunch, { nullable: true })
  launch?: ScormLaunch;

  @Field(() => [UserError])
  errors: UserError[];
}

@InputType({ description: 'Adds one SCORM activity per launchable item of an imported package to a module of a draft revision.' })
export class AddScormActivitiesInput {
  @Field(() => ID)
  moduleId: string;

  @Field(() => ID)
  packageId: string;

  @Field(() => Boolean, { nullable: true, description: 'Default true.' })
  required?: boolean | null;
}

@ObjectType()
export class AddScormActivitiesPayload {
  @Field(() => [Activity], { nullable: true })
  activities?: Activity[];

  @Field(() => [UserError])
  errors: UserError[];
}

@Resolver()
export class ScormRuntimeResolver {
  @Mutation(() => LaunchActivityPayload, { description: 'Learners: start or resume a SCORM activity. A new launch supersedes earlier sessions of the attempt.' })
  async launchActivity(@Arg('input', () => LaunchActivityInput) input: LaunchActivityInput, @Ctx() ctx: RequestContext): Promise<LaunchActivityPayload> {
    const l = await launchService.launch(ctx, idOf('Activity', input.activityId));
    const launch: ScormLaunch = {
      attemptId: toGlobalId('ActivityAttempt', l.attempt.id), attemptNumber: l.attempt.number, version: l.content.version as ScormVersion,
      entry: l.entry, contentUrl: l.contentUrl, commitUrl: l.commitUrl, playerUrl: l.playerUrl, cmi: l.cmi,
    };
    return { launch, errors: [] };
  }

  @Mutation(() => AddScormActivitiesPayload, { description: 'Authors: turn an imported package into activities of a draft module.' })
  async addScormActivities(@Arg('input', () => AddScormActivitiesInput) input: AddScormActivitiesInput, @Ctx() ctx: RequestContext): Promise<AddScormActivitiesPayload> {
    const activities = await addScormActivities(ctx, idOf('CourseModule', input.moduleId), idOf(SCORM_PACKAGE_TYPE, input.packageId), input.required ?? true);
    return { activities, errors: [] };
  }
}
