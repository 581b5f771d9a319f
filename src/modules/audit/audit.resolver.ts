import { Arg, Args, Ctx, Field, FieldResolver, ID, InputType, Query, Resolver, Root } from 'type-graphql';
import type { RequestContext } from '../../shared/context';
import { toGlobalId } from '../../shared/ids';
import { Connection, PageArgs } from '../../shared/pagination';
import { auditService } from './audit.service';
import { AuditEvent } from './audit.entity';

export const AuditEventConnection = Connection(AuditEvent, 'AuditEvent');

@InputType()
export class AuditFilter {
  @Field(() => String, { nullable: true })
  entityType?: string;

  @Field(() => String, { nullable: true, description: 'Global id of the changed object.' })
  entityId?: string;

  @Field(() => String, { nullable: true })
  action?: string;

  @Field(() => Date, { nullable: true })
  since?: Date;
}

@Resolver(() => AuditEvent)
export class AuditResolver {
  @FieldResolver(() => ID)
  id(@Root() event: AuditEvent): string {
    return toGlobalId('AuditEvent', event.id);
  }

  @Query(() => AuditEventConnection, { description: 'Org admins: the audit log, newest first.' })
  auditEvents(@Args() page: PageArgs, @Arg('filter', () => AuditFilter, { nullable: true }) filter: AuditFilter | null, @Ctx() ctx: RequestContext) {
    return auditService.list(ctx, filter ?? {}, page);
  }
}
