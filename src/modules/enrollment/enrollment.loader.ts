import DataLoader from 'dataloader';
import { In } from 'typeorm';
import { defineLoader, groupByKeys } from '../../shared/loaders';
import { Enrollment } from './enrollment.entity';

/**
 * Every enrollment cycle of a user (open and past, withdrawn included), by user id, oldest
 * assignment first. No visibility check: callers decide whose transcript may be read.
 */
export const enrollmentsByUser = defineLoader(
  (ctx) =>
    new DataLoader<string, Enrollment[]>(async (userIds) => {
      const rows = await ctx.manager.find(Enrollment, {
        where: { organizationId: ctx.orgId, userId: In([...userIds]) },
        order: { assignedAt: 'ASC', cycle: 'ASC', id: 'ASC' },
      });
      return groupByKeys(userIds, rows, (e) => e.userId);
    }),
);
