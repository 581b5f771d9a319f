import DataLoader from 'dataloader';
import { In } from 'typeorm';
import { byKeys, defineLoader, groupByKeys } from '../../shared/loaders';
import { Certificate } from './certificate.entity';

/** Every certificate of a user (any status), newest first, by user id. Callers check who may read them. */
export const certificatesByUser = defineLoader(
  (ctx) =>
    new DataLoader<string, Certificate[]>(async (userIds) => {
      const rows = await ctx.manager.find(Certificate, {
        where: { organizationId: ctx.orgId, userId: In([...userIds]) },
        order: { issuedAt: 'DESC', id: 'DESC' },
      });
      return groupByKeys(userIds, rows, (c) => c.userId);
    }),
);

/** The certificate earned with an enrollment cycle (at most one), by enrollment id. */
export const certificateByEnrollment = defineLoader(
  (ctx) =>
    new DataLoader<string, Certificate | null>(async (enrollmentIds) => {
      const rows = await ctx.manager.findBy(Certificate, { organizationId: ctx.orgId, enrollmentId: In([...enrollmentIds]) });
      return byKeys(enrollmentIds, rows, (c) => c.enrollmentId!);
    }),
);
