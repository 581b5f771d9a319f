import type { RequestContext } from '../shared/context';
import { isUuid } from '../shared/ids';
import { deliverScoreChange } from '../modules/lti/services/ags';
import { SCORE_CHANGED } from '../modules/lti/services/launch-services';
import type { OutboxEventRecord } from './outbox';
import type { EventJob } from './registry';

/**
 * LTI grade passback (AGS): sends the learner's current score to the platform's line item when a
 * graded learner's score or completion changed. A platform that is down or fails fails the job,
 * which graphile-worker retries with backoff; one that refuses the request for good (a 4xx that a
 * retry cannot change) is audited and not retried. The outbox ledger delivers each change once, and
 * the grade link's last delivered state and time keep an older state from overwriting a newer one.
 */
export const ltiScoreJob: EventJob = {
  kind: 'lti-score',
  handles: [SCORE_CHANGED],
  async run(ctx: RequestContext, event: OutboxEventRecord): Promise<void> {
    const { activityKey } = event.payload as { activityKey?: unknown };
    const outcomes = await deliverScoreChange(ctx, { enrollmentId: event.entityId, activityKey: isUuid(activityKey) ? activityKey : null });
    if (outcomes.length) ctx.log.info({ eventId: event.id, outcomes }, 'LTI score passback');
  },
};
