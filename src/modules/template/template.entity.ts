import { Field, Int, ObjectType } from 'type-graphql';
import { Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryColumn, UpdateDateColumn } from 'typeorm';
import { newId } from '../../shared/ids';
import { Node } from '../../shared/node';
import type { LocalizedText } from '../course/localized';
import type { ContentSnapshot } from '../course/snapshot';

/** A course in the platform's shared catalog. Platform-level: no tenant, no RLS; written by platform admins. */
@ObjectType('CourseTemplate', { implements: Node, description: 'A course in the shared platform catalog that organizations adopt.' })
@Entity('course_template')
@Index('uq_course_template_code', ['code'], { unique: true })
export class CourseTemplate {
  @PrimaryColumn('uuid')
  id: string = newId();

  @Field({ description: 'Short unique code in the platform catalog.' })
  @Column('text')
  code: string;

  @Column('jsonb')
  title: LocalizedText;

  @Column('jsonb', { nullable: true })
  description: LocalizedText | null;

  @Field(() => [String])
  @Column('text', { array: true, default: () => `'{}'` })
  tags: string[];

  @Field(() => Int, { description: 'The newest published version.' })
  @Column('int')
  latestVersion: number;

  @Field()
  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;

  @Field()
  @UpdateDateColumn({ type: 'timestamptz' })
  updatedAt: Date;
}

/** A published, immutable version of a template: a snapshot of the course and its content. */
@ObjectType('CourseTemplateVersion', { description: 'One published version of a template.' })
@Entity('course_template_version')
@Index('uq_course_template_version', ['templateId', 'version'], { unique: true })
export class CourseTemplateVersion {
  @PrimaryColumn('uuid')
  id: string = newId();

  @Column('uuid')
  templateId: string;

  @ManyToOne(() => CourseTemplate, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'template_id' })
  template?: CourseTemplate;

  @Field(() => Int)
  @Column('int')
  version: number;

  @Column('jsonb')
  content: ContentSnapshot;

  @Field({ description: 'The platform admin who published it.' })
  @Column('text')
  publishedBy: string;

  @Field()
  @CreateDateColumn({ type: 'timestamptz' })
  publishedAt: Date;
}
