import { Arg, Ctx, FieldResolver, ID, Query, Resolver, Root } from 'type-graphql';
import type { RequestContext } from '../../shared/context';
import { idOf } from '../../shared/ids';
import { activityById } from '../assessment/assessment.loader';
import { Certificate } from '../certificate/certificate.entity';
import { certificateByEnrollment, certificatesByUser } from '../certificate/certificate.loader';
import { Activity } from '../course/content.entity';
import { Enrollment } from '../enrollment/enrollment.entity';
import { enrollmentsByUser } from '../enrollment/enrollment.loader';
import { ActivityProgress } from '../progress/progress.entity';
import { progressByEnrollment } from '../progress/progress.loader';
import { enrollmentOf, throughEnrollment } from '../progress/through-enrollment';
import { AppUser } from '../user/user.entity';
import { userById } from '../user/user.loader';
import { USER_TYPE } from '../user/user.resolver';
import { AttemptGradeView, Transcript } from './transcript.types';
import { transcriptService } from './transcript.service';

/** The activity a row names, carrying the enrollment the row was reached through. */
async function activityOfLearner(ctx: RequestContext, row: { activityId: string }): Promise<Activity> {
  const activity = (await activityById(ctx).load(row.activityId))!;
  const enrollment = enrollmentOf(row);
  return enrollment ? throughEnrollment(activity, enrollment) : activity;
}

@Resolver(() => Transcript)
export class TranscriptResolver {
  @Query(() => Transcript, { description: "A learner's transcript: managers their org unit subtree and direct reports, HR and org admins anyone, learners themselves (NOT_FOUND otherwise)." })
  transcript(@Arg('userId', () => ID) userId: string, @Ctx() ctx: RequestContext): Promise<Transcript> {
    return transcriptService.forUser(ctx, idOf(USER_TYPE, userId));
  }

  @FieldResolver(() => AppUser)
  async user(@Root() t: Transcript, @Ctx() ctx: RequestContext): Promise<AppUser> {
    return (await userById(ctx).load(t.userId))!;
  }

  @FieldResolver(() => [Enrollment], { description: 'Every enrollment cycle, open and past (withdrawn ones too), oldest assignment first.' })
  enrollments(@Root() t: Transcript, @Ctx() ctx: RequestContext): Promise<Enrollment[]> {
    return enrollmentsByUser(ctx).load(t.userId);
  }

  @FieldResolver(() => [Certificate], { description: 'Every certificate, whatever its status, newest first.' })
  certificates(@Root() t: Transcript, @Ctx() ctx: RequestContext): Promise<Certificate[]> {
    return certificatesByUser(ctx).load(t.userId);
  }
}

@Resolver(() => AppUser)
export class UserTranscriptResolver {
  @FieldResolver(() => Transcript, { nullable: true, description: 'Their transcript; null when you may not read their progress (see Query.transcript).' })
  transcript(@Root() user: AppUser, @Ctx() ctx: RequestContext): Promise<Transcript | null> {
    return transcriptService.ofUser(ctx, user);
  }
}

@Resolver(() => Enrollment)
export class EnrollmentTranscriptResolver {
  @FieldResolver(() => [ActivityProgress], {
    description: "This cycle's learner's progress on each activity they started, by last activity (the learner reading their own: scores an assessment's review policy hides stay hidden).",
  })
  async activityProgress(@Root() e: Enrollment, @Ctx() ctx: RequestContext): Promise<ActivityProgress[]> {
    return [...(await progressByEnrollment(ctx).load(e.id)).values()].map((p) => throughEnrollment(p, e));
  }

  @FieldResolver(() => [AttemptGradeView], { description: "This cycle's assessment attempts with their grades, by activity and number." })
  async assessmentAttempts(@Root() e: Enrollment, @Ctx() ctx: RequestContext): Promise<AttemptGradeView[]> {
    return (await transcriptService.attempts(ctx, e)).map((a) => throughEnrollment(a, e));
  }

  @FieldResolver(() => Certificate, { nullable: true, description: 'The certificate earned with this cycle, if any.' })
  certificate(@Root() e: Enrollment, @Ctx() ctx: RequestContext): Promise<Certificate | null> {
    return certificateByEnrollment(ctx).load(e.id);
  }
}

@Resolver(() => ActivityProgress)
export class ProgressActivityResolver {
  @FieldResolver(() => Activity, { description: 'The activity (in the revision last recorded on); its progress is this same learner\'s.' })
  activity(@Root() p: ActivityProgress, @Ctx() ctx: RequestContext): Promise<Activity> {
    return activityOfLearner(ctx, p);
  }

  @FieldResolver(() => Date, { description: 'When the learner last worked on it.' })
  lastActivityAt(@Root() p: ActivityProgress): Date {
    return p.updatedAt;
  }
}

@Resolver(() => AttemptGradeView)
export class AttemptGradeResolver {
  @FieldResolver(() => Activity, { description: "The assessment activity; its progress is this same learner's." })
  activity(@Root() a: AttemptGradeView, @Ctx() ctx: RequestContext): Promise<Activity> {
    return activityOfLearner(ctx, a);
  }
}

/** The resolvers this module adds to the schema. */
export const staffViewResolvers = [TranscriptResolver, UserTranscriptResolver, EnrollmentTranscriptResolver, ProgressActivityResolver, AttemptGradeResolver] as const;
