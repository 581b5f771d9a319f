import { Arg, Ctx, FieldResolver, ID, Int, Mutation, Resolver, Root } from 'type-graphql';
import type { RequestContext } from '../../shared/context';
import { idOf, toGlobalId } from '../../shared/ids';
import { registerNode } from '../../shared/node';
import { getEntityOrThrow } from '../../shared/scoped';
import { Activity, ActivityKind } from '../course/content.entity';
import { activityDetail } from '../course/course.loader';
import { ACTIVITY_TYPE } from '../course/content.resolver';
import { Enrollment } from '../enrollment/enrollment.entity';
import { AssessmentAttempt, AssessmentAttemptStatus } from './assessment-attempt.entity';
import { assessmentOf } from './assessment.content';
import { AttemptPayload, SaveAnswersInput, StartAttemptInput, SubmitAttemptInput } from './assessment.inputs';
import { activityById, viewerAttemptsByActivity } from './assessment.loader';
import { AssessmentInfo, AttemptQuestionView, ReviewView, ScoreView } from './assessment.types';
import { attemptService } from './attempt.service';
import { effectiveStatus, secondsRemaining } from './attempt.time';
import { infoOf, questionViews, scoreView, visibilityOf } from './attempt.view';
import { AssessmentAuthoringResolver } from './authoring.resolver';
import { combineAttempts, type Assessment, type ReviewVisibility } from './engine';

/** The global id type of attempts. */
export const ATTEMPT_TYPE = 'AssessmentAttempt';

registerNode(ATTEMPT_TYPE, (ctx, id) => attemptService.ownedOrNull(ctx, id));

/** The attempt's assessment and what its learner may see of it now. */
async function reviewContext(ctx: RequestContext, attempt: AssessmentAttempt): Promise<{ assessment: Assessment; visibility: ReviewVisibility }> {
  const [activity, attempts] = await Promise.all([activityById(ctx).load(attempt.activityId), viewerAttemptsByActivity(ctx).load(attempt.activityId)]);
  const assessment = activity && assessmentOf(activity);
  if (!assessment) throw new Error(`attempt ${attempt.id} has no assessment`);
  return { assessment, visibility: visibilityOf(assessment, attempt, attempts) };
}

@Resolver(() => AssessmentAttempt)
export class AssessmentAttemptResolver {
  @FieldResolver(() => ID)
  id(@Root() attempt: AssessmentAttempt): string {
    return toGlobalId(ATTEMPT_TYPE, attempt.id);
  }

  @FieldResolver(() => AssessmentAttemptStatus)
  status(@Root() attempt: AssessmentAttempt): AssessmentAttemptStatus {
    return effectiveStatus(attempt);
  }

  @FieldResolver(() => Int, { nullable: true, description: 'Seconds left while in progress and timed.' })
  secondsRemaining(@Root() attempt: AssessmentAttempt): number | null {
    return secondsRemaining(attempt);
  }

  @FieldResolver(() => Activity)
  async activity(@Root() attempt: AssessmentAttempt, @Ctx() ctx: RequestContext): Promise<Activity> {
    return (await activityById(ctx).load(attempt.activityId))!;
  }

  @FieldResolver(() => [AttemptQuestionView], { description: "The attempt's questions in its fixed order, with your answers and what the review policy releases." })
  async questions(@Root() attempt: AssessmentAttempt, @Ctx() ctx: RequestContext): Promise<AttemptQuestionView[]> {
    const { assessment, visibility } = await reviewContext(ctx, attempt);
    return questionViews(assessment, attempt, visibility, ctx.locale);
  }

  @FieldResolver(() => ReviewView)
  async review(@Root() attempt: AssessmentAttempt, @Ctx() ctx: RequestContext): Promise<ReviewView> {
    return (await reviewContext(ctx, attempt)).visibility;
  }

  @FieldResolver(() => ScoreView, { nullable: true, description: 'This attempt\'s score, once graded and when the review policy shows scores.' })
  async result(@Root() attempt: AssessmentAttempt, @Ctx() ctx: RequestContext): Promise<ScoreView | null> {
    const { visibility } = await reviewContext(ctx, attempt);
    return visibility.score && attempt.grade ? scoreView(attempt.grade, ctx.locale) : null;
  }

  @Mutation(() => AttemptPayload, { description: 'Learners: start an attempt at an assessment (refused when the limit is reached or the course is not published); an attempt in progress is resumed (`resumed: true`) instead.' })
  startAttempt(@Arg('input', () => StartAttemptInput) input: StartAttemptInput, @Ctx() ctx: RequestContext): Promise<AttemptPayload> {
    return attemptService.start(ctx, idOf(ACTIVITY_TYPE, input.activityId));
  }

  @Mutation(() => AttemptPayload, { description: 'Learners: save answers to your attempt in progress (any number of times, until the deadline).' })
  async saveAnswers(@Arg('input', () => SaveAnswersInput) input: SaveAnswersInput, @Ctx() ctx: RequestContext): Promise<AttemptPayload> {
    return { attempt: await attemptService.save(ctx, idOf(ATTEMPT_TYPE, input.attemptId), input.answers), errors: [] };
  }

  @Mutation(() => AttemptPayload, { description: 'Learners: submit your attempt for grading (idempotent).' })
  async submitAttempt(@Arg('input', () => SubmitAttemptInput) input: SubmitAttemptInput, @Ctx() ctx: RequestContext): Promise<AttemptPayload> {
    return { attempt: await attemptService.submit(ctx, idOf(ATTEMPT_TYPE, input.attemptId)), errors: [] };
  }
}

/** What an attempt mutation changed besides the attempt, so that a normalized client cache needs no refetch. */
@Resolver(() => AttemptPayload)
export class AttemptPayloadResolver {
  @FieldResolver(() => Boolean, { description: 'startAttempt: true when the attempt in progress was returned to continue instead of a new one (a result, not an error); false otherwise.' })
  resumed(@Root() payload: AttemptPayload): boolean {
    return payload.resumed === true;
  }

  @FieldResolver(() => Activity, { nullable: true, description: "The attempt's activity: select `assessment { id viewerAttemptsRemaining viewerResult }` and `progress` to refresh a client cache." })
  activity(@Root() payload: AttemptPayload, @Ctx() ctx: RequestContext): Promise<Activity | null> | null {
    return payload.attempt ? activityById(ctx).load(payload.attempt.activityId) : null;
  }

  @FieldResolver(() => Enrollment, { nullable: true, description: "The attempt's enrollment, rolled up after grading." })
  enrollment(@Root() payload: AttemptPayload, @Ctx() ctx: RequestContext): Promise<Enrollment> | null {
    return payload.attempt ? getEntityOrThrow(ctx, Enrollment, payload.attempt.enrollmentId, 'Enrollment') : null;
  }
}

@Resolver(() => AssessmentInfo)
export class AssessmentInfoResolver {
  @FieldResolver(() => [AssessmentAttempt], { description: 'Your attempts, oldest first.' })
  viewerAttempts(@Root() info: AssessmentInfo, @Ctx() ctx: RequestContext): Promise<AssessmentAttempt[]> {
    return viewerAttemptsByActivity(ctx).load(info.activityId);
  }

  @FieldResolver(() => Int, { nullable: true, description: 'Attempts you may still start; null when unlimited.' })
  async viewerAttemptsRemaining(@Root() info: AssessmentInfo, @Ctx() ctx: RequestContext): Promise<number | null> {
    const allowed = info.assessment.settings.attemptsAllowed;
    return allowed === null ? null : Math.max(0, allowed - (await viewerAttemptsByActivity(ctx).load(info.activityId)).length);
  }

  @FieldResolver(() => ScoreView, { nullable: true, description: 'Your result across attempts, by the grading method, when the review policy shows scores.' })
  async viewerResult(@Root() info: AssessmentInfo, @Ctx() ctx: RequestContext): Promise<ScoreView | null> {
    const { reviewPolicy, gradingMethod } = info.assessment.settings;
    if (reviewPolicy.show === 'NOTHING') return null;
    const attempts = await viewerAttemptsByActivity(ctx).load(info.activityId);
    const combined = combineAttempts(attempts.flatMap((a) => (a.grade ? [a.grade] : [])), gradingMethod);
    return combined && scoreView(combined, ctx.locale);
  }
}

@Resolver(() => Activity)
export class ActivityAssessmentResolver {
  @FieldResolver(() => AssessmentInfo, { nullable: true, description: 'ASSESSMENT activities: the rules and your attempts (questions come with an attempt).' })
  async assessment(@Root() activity: Activity, @Ctx() ctx: RequestContext): Promise<AssessmentInfo | null> {
    if (activity.kind !== ActivityKind.ASSESSMENT) return null;
    // Lists of activities come without their content; it is loaded (batched) when asked for.
    const content = await activityDetail(ctx, activity, 'content');
    const assessment = assessmentOf({ kind: activity.kind, content });
    return assessment && infoOf(activity.id, assessment, ctx.locale);
  }
}

/** The resolvers this module adds to the schema. */
export const assessmentResolvers = [AssessmentAttemptResolver, AttemptPayloadResolver, AssessmentInfoResolver, ActivityAssessmentResolver, AssessmentAuthoringResolver] as const;
