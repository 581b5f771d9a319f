import type { RequestContext } from '../shared/context';
import { assignmentRuleService } from '../modules/enrollment/assignment-rule.service';
import type { OutboxEventRecord } from './outbox';
import type { EventJob } from './registry';

/**
 * Enrolls a user who was provisioned, moved to another org unit or job title, or reactivated, in
 * the courses whose standing assignment rules now match them (the trigger of migration
 * AssignmentRule writes `user.placed`). Users who moved out of a rule keep their enrollments.
 */
export const assignmentRulesJob: EventJob = {
  kind: 'assignment-rules',
  handles: ['user.placed'],
  run: (ctx: RequestContext, event: OutboxEventRecord) => assignmentRuleService.applyToUser(ctx, event.entityId),
};
