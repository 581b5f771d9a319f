import { Field, ObjectType } from 'type-graphql';
import { GraphQLJSON } from 'graphql-scalars';
import { Column, Entity, Index } from 'typeorm';
import { TenantEntity } from '../../shared/tenant-entity';
import { Node } from '../../shared/node';

/** One admin/HR change or export: who, what, when, before and after. Append-only. */
@ObjectType('AuditEvent', { implements: Node, description: 'One recorded change or export.' })
@Entity('audit_event')
@Index('ix_audit_event_entity', ['organizationId', 'entityType', 'entityId'])
@Index('ix_audit_event_created', ['organizationId', 'createdAt'])
export class AuditEvent extends TenantEntity {
  @Field({ description: 'Who acted: user:<externalId>, apikey:<keyId> or platform:<subject>.' })
  @Column('text')
  actor: string;

  @Field({ description: 'What was done, e.g. user.upsert, course.publish, report.export.' })
  @Column('text')
  action: string;

  @Field()
  @Column('text')
  entityType: string;

  @Field(() => String, { nullable: true })
  @Column('text', { nullable: true })
  entityId: string | null;

  @Field(() => GraphQLJSON, { nullable: true })
  @Column('jsonb', { nullable: true })
  before: unknown;

  @Field(() => GraphQLJSON, { nullable: true })
  @Column('jsonb', { nullable: true })
  after: unknown;

  @Field(() => String, { nullable: true })
  @Column('text', { nullable: true })
  requestId: string | null;
}
