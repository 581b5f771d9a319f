import DataLoader from 'dataloader';
import { In } from 'typeorm';
import { byKeys, defineLoader } from '../../shared/loaders';
import { AppUser } from './user.entity';

/** Users of the request's organization by id. */
export const userById = defineLoader(
  (ctx) =>
    new DataLoader<string, AppUser | null>(async (ids) => {
      const rows = await ctx.manager.findBy(AppUser, { organizationId: ctx.orgId, id: In([...ids]) });
      return byKeys(ids, rows, (u) => u.id);
    }),
);
