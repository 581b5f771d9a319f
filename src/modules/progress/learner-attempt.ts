import { ObjectType } from 'type-graphql';
import { Column, JoinColumn, ManyToOne } from 'typeorm';
import { TenantEntity } from '../../shared/tenant-entity';
import { AppUser } from '../user/user.entity';
import { Activity } from '../course/content.entity';
import { Enrollment } from '../enrollment/enrollment.entity';

/**
 * What every kind of attempt row shares: whose (user, enrollment), at what (activity), and its
 * number among that learner's attempts at it. Foreign keys carry the tenant.
 */
@ObjectType({ description: 'Fields shared by attempt rows (not exposed as a type of its own).' })
export abstract class LearnerAttempt extends TenantEntity {
  @Column('uuid')
  enrollmentId: string;

  @ManyToOne(() => Enrollment, { onDelete: 'CASCADE' })
  @JoinColumn([{ name: 'organization_id', referencedColumnName: 'organizationId' }, { name: 'enrollment_id', referencedColumnName: 'id' }])
  enrollment?: Enrollment;

  @Column('uuid')
  activityId: string;

  @ManyToOne(() => Activity, { onDelete: 'NO ACTION' })
  @JoinColumn([{ name: 'organization_id', referencedColumnName: 'organizationId' }, { name: 'activity_id', referencedColumnName: 'id' }])
  activity?: Activity;

  @Column('uuid')
  userId: string;

  @ManyToOne(() => AppUser, { onDelete: 'NO ACTION' })
  @JoinColumn([{ name: 'organization_id', referencedColumnName: 'organizationId' }, { name: 'user_id', referencedColumnName: 'id' }])
  user?: AppUser;
}
