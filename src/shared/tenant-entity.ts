import { Field, ObjectType } from 'type-graphql';
import { CreateDateColumn, JoinColumn, ManyToOne, PrimaryColumn } from 'typeorm';
import { Organization } from '../modules/organization/organization.entity';
import { newId } from './ids';

/**
 * Base of every tenant-owned table: the primary key is (organization_id, id), so each row's
 * tenant is explicit and foreign keys between tenant tables carry it (DESIGN §4).
 */
@ObjectType()
export abstract class TenantEntity {
  @PrimaryColumn('uuid')
  organizationId: string;

  @ManyToOne(() => Organization, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'organization_id' })
  organization?: Organization;

  @PrimaryColumn('uuid')
  id: string = newId();

  @Field()
  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;
}
