import { Field, ID, Int, ObjectType, registerEnumType } from 'type-graphql';
import { Column, Entity, Index, JoinColumn, ManyToOne } from 'typeorm';
import { TenantEntity } from '../../shared/tenant-entity';
import { Node } from '../../shared/node';
import { Course, CourseRevision } from './course.entity';
import type { LocalizedText } from './localized';

export enum ActivityKind {
  PAGE = 'PAGE',
  VIDEO = 'VIDEO',
  SCORM = 'SCORM',
  ASSESSMENT = 'ASSESSMENT',
}
registerEnumType(ActivityKind, { name: 'ActivityKind', description: 'What an activity holds: rich text, a video, a SCORM SCO or an assessment.' });

export enum CompletionKind {
  VIEWED = 'VIEWED',
  PROGRESS = 'PROGRESS',
  PASSED = 'PASSED',
  SCORE = 'SCORE',
}
registerEnumType(CompletionKind, {
  name: 'CompletionKind',
  description: 'When an activity counts as done.',
  valuesConfig: {
    VIEWED: {
      description: 'Completed and not failed. SCORM: completion_status = completed (1.2 lesson_status completed, passed, or a SCO that ended '
        + 'without reporting one) and success_status not failed, so a completed quiz SCO with a failed verdict does not count. The default for SCOs without a passing score.',
    },
    PROGRESS: { description: 'Progress measure at least the threshold (0..1), or completed. SCORM: cmi.progress_measure (2004 only; 1.2 has none), or completion_status = completed.' },
    PASSED: {
      description: 'success_status = passed. SCORM: 2004 success_status (judged by the server against the scaled passing score, or the primary objective), '
        + '1.2 lesson_status passed (judged against the mastery score when the SCO reports a raw score). The default for SCOs with a passing or mastery score.',
    },
    SCORE: {
      description: 'Scaled score at least the threshold (0..1). SCORM: 2004 cmi.score.scaled; 1.2 derives it from score.raw as (raw - min) / (max - min), '
        + 'on 0..100 when the SCO sets no min and max.',
    },
  },
});

/** Kind-specific content: PAGE `{ html }` (sanitized), VIDEO `{ url, durationSeconds }`, others `{}` for now. */
export type ActivityContent = { html?: string; url?: string; durationSeconds?: number | null };

/** What lives in a course revision: it belongs to the course and to that revision. */
@ObjectType({ description: 'Part of a course revision (not a type of its own).' })
export abstract class RevisionContent extends TenantEntity {
  @Column('uuid')
  courseId: string;

  @ManyToOne(() => Course, { onDelete: 'CASCADE' })
  @JoinColumn([
    { name: 'organization_id', referencedColumnName: 'organizationId' },
    { name: 'course_id', referencedColumnName: 'id' },
  ])
  course?: Course;

  @Column('uuid')
  revisionId: string;

  @ManyToOne(() => CourseRevision, { onDelete: 'CASCADE' })
  @JoinColumn([
    { name: 'organization_id', referencedColumnName: 'organizationId' },
    { name: 'revision_id', referencedColumnName: 'id' },
  ])
  revision?: CourseRevision;
}

/** An ordered part of a course revision. */
@ObjectType('CourseModule', { implements: Node, simpleResolvers: true, description: 'An ordered part of a course, holding activities.' })
@Entity('course_module')
@Index('ix_course_module_revision', ['organizationId', 'revisionId', 'position'])
@Index('uq_course_module_key', ['organizationId', 'revisionId', 'key'], { unique: true })
export class CourseModule extends RevisionContent {
  @Field(() => ID, { description: 'Stable across revisions: the same module in a later revision keeps it.' })
  @Column('uuid')
  key: string;

  @Field(() => Int)
  @Column('int')
  position: number;

  @Column('jsonb')
  title: LocalizedText;

  @Column('jsonb', { nullable: true })
  description: LocalizedText | null;
}

/** A thing a learner does inside a module, with its completion rule. */
@ObjectType('Activity', { implements: Node, simpleResolvers: true, description: 'Something a learner does: read a page, watch a video, run a SCO, take an assessment.' })
@Entity('activity')
@Index('ix_activity_module', ['organizationId', 'moduleId', 'position'])
@Index('uq_activity_revision_key', ['organizationId', 'revisionId', 'key'], { unique: true })
export class Activity extends RevisionContent {
  @Column('uuid')
  moduleId: string;

  @ManyToOne(() => CourseModule, { onDelete: 'CASCADE' })
  @JoinColumn([
    { name: 'organization_id', referencedColumnName: 'organizationId' },
    { name: 'module_id', referencedColumnName: 'id' },
  ])
  module?: CourseModule;

  @Field(() => ID, { description: 'Stable across revisions, so progress follows the activity into later revisions.' })
  @Column('uuid')
  key: string;

  @Field(() => Int)
  @Column('int')
  position: number;

  @Field(() => ActivityKind)
  @Column('text')
  kind: ActivityKind;

  @Column('jsonb')
  title: LocalizedText;

  @Field({ description: 'Counts towards course completion.' })
  @Column('boolean', { default: true })
  required: boolean;

  @Column('text')
  completionKind: CompletionKind;

  @Column('double precision', { nullable: true })
  completionThreshold: number | null;

  @Column('jsonb', { default: () => `'{}'` })
  content: ActivityContent;
}
