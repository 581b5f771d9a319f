import { Field, ObjectType } from 'type-graphql';
import { Column, Entity, Index } from 'typeorm';
import { TenantEntity } from '../../shared/tenant-entity';
import { Permission } from '../../shared/permissions';
import { Node } from '../../shared/node';

/** An organization's key for an LMS back end: `cg_<keyId>_<secret>`, the secret kept as an HMAC. */
@ObjectType('ApiKey', { implements: Node, description: 'A key an LMS back end uses; the secret is shown only once.' })
@Entity('api_key')
@Index('uq_api_key_key_id', ['organizationId', 'keyId'], { unique: true })
export class ApiKey extends TenantEntity {
  @Field({ description: 'The public part of the key, as in cg_<keyId>_…' })
  @Column('text')
  keyId: string;

  @Field()
  @Column('text')
  name: string;

  @Column('text')
  secretHash: string;

  @Field(() => [Permission])
  @Column('text', { array: true })
  scopes: Permission[];

  @Field(() => String, { nullable: true })
  @Column('text', { nullable: true })
  createdBy: string | null;

  @Field(() => Date, { nullable: true })
  @Column('timestamptz', { nullable: true })
  revokedAt: Date | null;
}
