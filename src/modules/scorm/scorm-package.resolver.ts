import { Arg, Args, Ctx, FieldResolver, ID, Query, Resolver, Root } from 'type-graphql';
import type { RequestContext } from '../../shared/context';
import { idOf, toGlobalId } from '../../shared/ids';
import { registerNode } from '../../shared/node';
import { Connection, PageArgs } from '../../shared/pagination';
import { Permission } from '../../shared/permissions';
import { SCORM_PACKAGE_TYPE, ScormPackage } from './scorm-package.entity';
import { scormPackageService } from './scorm-package.service';

export const ScormPackageConnection = Connection(ScormPackage, 'ScormPackage');

registerNode(SCORM_PACKAGE_TYPE, async (ctx, id) => (ctx.can(Permission.COURSES_AUTHOR) ? scormPackageService.findOne(ctx, id) : null));

@Resolver(() => ScormPackage)
export class ScormPackageResolver {
  @FieldResolver(() => ID)
  id(@Root() pkg: ScormPackage): string {
    return toGlobalId(SCORM_PACKAGE_TYPE, pkg.id);
  }

  @Query(() => ScormPackageConnection, { description: 'Authors: imported SCORM packages, newest first. Upload with POST /scorm/packages.' })
  scormPackages(@Args() page: PageArgs, @Ctx() ctx: RequestContext) {
    return scormPackageService.list(ctx, page);
  }

  @Query(() => ScormPackage, { nullable: true, description: "Authors: one imported SCORM package; null with a NOT_FOUND error beside the other fields' data when missing, forbidden or another organization's." })
  scormPackage(@Arg('id', () => ID) id: string, @Ctx() ctx: RequestContext): Promise<ScormPackage | null> {
    return scormPackageService.findOne(ctx, idOf(SCORM_PACKAGE_TYPE, id));
  }
}
