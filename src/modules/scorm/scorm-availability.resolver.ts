import { Ctx, Field, FieldResolver, ObjectType, Resolver, Root, registerEnumType } from 'type-graphql';
import type { RequestContext } from '../../shared/context';
import { viewerEnrollmentByCourse, viewerProgress } from '../catalog/catalog.loader';
import { Activity, ActivityKind } from '../course/content.entity';
import { EnrollmentStatus } from '../enrollment/enrollment.entity';
import { progressByEnrollment } from '../progress/progress.loader';
import { enrollmentOf } from '../progress/through-enrollment';
import { SequencingBlock, availability } from './sequencing.rules';
import { localize } from '../../shared/i18n/message';
import { sequencingService } from './sequencing.service';

registerEnumType(SequencingBlock, {
  name: 'SequencingBlock',
  description: "Why a SCO of a package cannot be launched now, by the package's SCORM 2004 sequencing.",
  valuesConfig: {
    DISABLED: { description: 'A `disabled` pre-condition rule holds (e.g. the previous SCO is not satisfied yet).' },
    HIDDEN: { description: '`isvisible="false"` or a `hiddenFromChoice` rule: not offered as a choice; not a required activity.' },
    SKIPPED: { description: 'A `skip` pre-condition rule holds (a passed pre-test): the flow passes over it.' },
    FLOW_ORDER: { description: 'controlMode choice="false" flow="true": an earlier SCO must be completed first.' },
    FORWARD_ONLY: { description: 'controlMode forwardOnly="true": the learner is past it.' },
    CHOICE_NOT_ALLOWED: { description: 'controlMode choice="false": only the flow (continue / previous) reaches it.' },
    FLOW_NOT_ALLOWED: { description: 'controlMode choice="false" flow="false": only the content\'s own navigation reaches it.' },
    ATTEMPT_LIMIT: { description: 'limitConditions attemptLimit: every allowed attempt was used.' },
    NO_TARGET: { description: 'Nothing to move to.' },
  },
});

@ObjectType({ description: "Whether the learner can launch a SCORM activity now, by its package's sequencing (controlMode, pre-condition rules, isvisible, attemptLimit)." })
export class ActivityAvailability {
  @Field({ description: 'launchActivity would start or resume it now.' })
  launchable: boolean;

  @Field(() => SequencingBlock, { nullable: true, description: 'Why not, when not launchable.' })
  reason?: SequencingBlock;

  @Field(() => String, { nullable: true, description: 'The reason for people.' })
  message?: string;

  @Field({ description: 'A `skip` pre-condition rule holds: the flow passes over it, and it counts per the roll-up rules (launchable only by choice).' })
  skipped: boolean;
}

@Resolver(() => Activity)
export class ScormAvailabilityResolver {
  @FieldResolver(() => ActivityAvailability, {
    nullable: true,
    description: "SCORM activities: whether you (or, reached through an enrollment, its learner) can launch it now and why not. Null for other activities and without an enrollment. Evaluated for every activity of a course in a constant number of statements.",
  })
  async availability(@Root() activity: Activity, @Ctx() ctx: RequestContext): Promise<ActivityAvailability | null> {
    if (activity.kind !== ActivityKind.SCORM) return null;
    const learner = enrollmentOf(activity);
    const enrollment = learner ?? (await viewerEnrollmentByCourse(ctx).load(activity.courseId));
    if (!enrollment || enrollment.status === EnrollmentStatus.WITHDRAWN) return null;
    const [place, progress] = await Promise.all([
      sequencingService.placeOf(ctx, activity),
      learner ? progressByEnrollment(ctx).load(learner.id) : viewerProgress(ctx, activity.courseId, true),
    ]);
    if (!place) return null;
    const verdict = availability(place.scos, place.index, await sequencingService.learnerState(ctx, place, enrollment, progress), 'launch');
    return verdict.available ? { launchable: true, skipped: verdict.skipped } : { launchable: false, reason: verdict.reason, message: localize(verdict.message, ctx.locale), skipped: verdict.reason === SequencingBlock.SKIPPED };
  }
}
