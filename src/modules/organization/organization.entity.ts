import { Field, ObjectType } from 'type-graphql';
import { Column, CreateDateColumn, Entity, PrimaryColumn } from 'typeorm';
import { newId } from '../../shared/ids';
import { Node } from '../../shared/node';

/** A tenant. Platform-level: no RLS, written only through platform-admin operations. */
@ObjectType('Organization', { implements: Node, description: 'A tenant: one company and its learners.' })
@Entity('organization')
export class Organization {
  @PrimaryColumn('uuid')
  id: string = newId();

  @Field({ description: 'Short unique name, used in URLs and tokens.' })
  @Column('text', { unique: true })
  slug: string;

  @Field()
  @Column('text')
  name: string;

  @Field(() => String, { nullable: true })
  @Column('text', { nullable: true })
  nameEn: string | null;

  @Field()
  @Column('text')
  industry: string;

  @Field()
  @Column('text', { default: 'zh-CN' })
  defaultLocale: string;

  @Field()
  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;
}

/** A person allowed to run platform operations (create organizations, publish templates). */
@Entity('platform_admin')
export class PlatformAdmin {
  @PrimaryColumn('text')
  subject: string;

  @Column('text')
  name: string;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;
}
