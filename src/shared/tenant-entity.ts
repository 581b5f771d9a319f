import { Field, ObjectType } from 'type-graphql';
import { CreateDateColumn, PrimaryColumn } from 'typeorm';
import { newId } from './ids';

/**
 * Base of every tenant-owned table: the primary key is (organization_id, id), so each row's
 * tenant is explicit and foreign keys between tenant tables carry it (DESIGN §4).
 */
@ObjectType()
export abstract class TenantEntity {
  @PrimaryColumn('uuid')
  organizationId: string;

  @PrimaryColumn('uuid')
  id: string = newId();

  @Field()
  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;
}
