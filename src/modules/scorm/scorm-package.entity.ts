import { Field, Int, ObjectType, registerEnumType } from 'type-graphql';
import { Column, Entity } from 'typeorm';
import { Node } from '../../shared/node';
import { TenantEntity } from '../../shared/tenant-entity';
import type { Sco } from './engine/manifest';

export enum ScormVersion {
  SCORM_12 = 'SCORM_1.2',
  SCORM_2004 = 'SCORM_2004',
}
/** The GraphQL spelling of a version (`SCORM_12`), for answers outside GraphQL: one spelling everywhere. */
export function scormVersionName(version: ScormVersion): keyof typeof ScormVersion {
  return version === ScormVersion.SCORM_12 ? 'SCORM_12' : 'SCORM_2004';
}
registerEnumType(ScormVersion, { name: 'ScormVersion', valuesConfig: { SCORM_12: { description: 'SCORM 1.2' }, SCORM_2004: { description: 'SCORM 2004 (2nd–4th edition)' } } });

/** One launchable item of a package, as the manifest declares it. */
@ObjectType({ description: 'A launchable item of a SCORM package (a SCO or an asset).' })
export class ScormSco {
  @Field()
  identifier: string;

  @Field()
  title: string;

  @Field({ description: 'Launch URL relative to the package root (query string and parameters kept).' })
  launchHref: string;

  @Field({ description: 'sco (talks to the run-time) or asset (completed when launched).' })
  scormType: string;

  @Field(() => Int)
  order: number;
}

/** An imported SCORM content package, unpacked under the content folder. */
@ObjectType('ScormPackage', { implements: Node, description: 'An imported SCORM 1.2 or 2004 package.' })
@Entity('scorm_package')
export class ScormPackage extends TenantEntity {
  @Field()
  @Column('text')
  title: string;

  @Field(() => ScormVersion)
  @Column('text')
  version: ScormVersion;

  @Field(() => String, { nullable: true, description: 'e.g. "2004 4th Edition"' })
  @Column('text', { nullable: true })
  edition: string | null;

  @Field(() => [ScormSco])
  @Column('jsonb')
  scos: Sco[];

  @Field(() => Int)
  @Column('int')
  fileCount: number;

  @Field(() => Int)
  @Column('int')
  totalBytes: number;

  @Field(() => String, { nullable: true })
  @Column('text', { nullable: true })
  originalName: string | null;

  @Field()
  @Column('text')
  uploadedBy: string;
}

export const SCORM_PACKAGE_TYPE = 'ScormPackage';
