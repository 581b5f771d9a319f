import { Field, ObjectType, registerEnumType } from 'type-graphql';
import { Column, Entity, Index, JoinColumn, ManyToOne, UpdateDateColumn } from 'typeorm';
import { TenantEntity } from '../../shared/tenant-entity';
import { Role } from '../../shared/permissions';
import { Node } from '../../shared/node';

export enum UserStatus {
  ACTIVE = 'ACTIVE',
  DEACTIVATED = 'DEACTIVATED',
}
registerEnumType(UserStatus, { name: 'UserStatus' });

/** A person in an organization, provisioned by the LMS and keyed by its external id. */
@ObjectType('User', { implements: Node, description: 'A person in an organization, provisioned by the LMS.' })
@Entity('app_user')
@Index('uq_app_user_external_id', ['organizationId', 'externalId'], { unique: true })
@Index('uq_app_user_employee_id', ['organizationId', 'employeeId'], { unique: true, where: 'employee_id IS NOT NULL' })
@Index('ix_app_user_org_unit', ['organizationId', 'orgUnitPath'])
@Index('ix_app_user_manager', ['organizationId', 'managerId'])
@Index('ix_app_user_name', ['organizationId', 'name', 'id'])
/** In the C collation (migration ReportIndexes): org unit subtrees are byte-order ranges. */
@Index('ix_app_user_org_unit_prefix', ['organizationId', 'orgUnitPath'])
export class AppUser extends TenantEntity {
  @Field()
  @Column('text')
  externalId: string;

  @Field(() => String, { nullable: true })
  @Column('text', { nullable: true })
  employeeId: string | null;

  @Field()
  @Column('text')
  name: string;

  @Field(() => String, { nullable: true })
  @Column('text', { nullable: true })
  email: string | null;

  @Field()
  @Column('text', { default: '' })
  orgUnitPath: string;

  @Field(() => String, { nullable: true })
  @Column('text', { nullable: true })
  jobTitle: string | null;

  @Column('uuid', { nullable: true })
  managerId: string | null;

  @ManyToOne(() => AppUser, { onDelete: 'NO ACTION' })
  @JoinColumn([
    { name: 'organization_id', referencedColumnName: 'organizationId' },
    { name: 'manager_id', referencedColumnName: 'id' },
  ])
  manager?: AppUser;

  @Field(() => [Role])
  @Column('text', { array: true, default: () => `'{LEARNER}'` })
  roles: Role[];

  @Field(() => UserStatus)
  @Column('text', { default: UserStatus.ACTIVE })
  status: UserStatus;

  @Field()
  @UpdateDateColumn({ type: 'timestamptz' })
  updatedAt: Date;
}
