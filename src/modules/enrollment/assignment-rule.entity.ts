import { Field, Int, ObjectType } from 'type-graphql';
import { Column, Entity, Index, JoinColumn, ManyToOne, UpdateDateColumn } from 'typeorm';
import { TenantEntity } from '../../shared/tenant-entity';
import { Node } from '../../shared/node';
import { Course } from '../course/course.entity';

/**
 * A standing assignment: everyone who matches (org unit subtree and/or job title) is enrolled in
 * the course, now and whenever a user is provisioned, moved or reactivated into the match. An
 * empty org unit or job title matches anyone; at most one active rule per course and match.
 */
@ObjectType('AssignmentRule', {
  implements: Node,
  description: 'Enrolls matching users in a course when the rule is made and whenever a user is provisioned into the match or moves into it (org unit or job title change, reactivation). Users who move out keep their enrollment.',
})
@Entity('assignment_rule')
@Index('uq_assignment_rule_active', ['organizationId', 'courseId', 'orgUnitPath', 'jobTitle'], { unique: true, where: 'active' })
export class AssignmentRule extends TenantEntity {
  @Column('uuid')
  courseId: string;

  @ManyToOne(() => Course, { onDelete: 'NO ACTION' })
  @JoinColumn([
    { name: 'organization_id', referencedColumnName: 'organizationId' },
    { name: 'course_id', referencedColumnName: 'id' },
  ])
  course?: Course;

  /** Normalized org unit path of the subtree; '' for any unit. */
  @Column('text', { default: '' })
  orgUnitPath: string;

  /** '' for any job title. */
  @Column('text', { default: '' })
  jobTitle: string;

  @Field(() => Date, { nullable: true, description: 'Fixed due date of every enrollment the rule makes (users matched later get it too).' })
  @Column('timestamptz', { nullable: true })
  dueAt: Date | null;

  @Field(() => Int, { nullable: true, description: 'Due this many days after each user is enrolled by the rule.' })
  @Column('int', { nullable: true })
  dueInDays: number | null;

  @Field({ description: 'Who made the rule: user:<externalId>, apikey:<keyId>, system:…; its enrollments name them as assignedBy.' })
  @Column('text')
  createdBy: string;

  @Field({ description: 'False once deactivated: it enrolls nobody new; its enrollments stay.' })
  @Column('boolean', { default: true })
  active: boolean;

  @Field(() => Date, { nullable: true })
  @Column('timestamptz', { nullable: true })
  deactivatedAt: Date | null;

  @Field()
  @UpdateDateColumn({ type: 'timestamptz' })
  updatedAt: Date;
}
