import { Field, Float, Int, ObjectType, registerEnumType } from 'type-graphql';
import { Column, Entity, Index } from 'typeorm';
import { Node } from '../../shared/node';
import { TenantEntity } from '../../shared/tenant-entity';
import type { ReportScope } from './report.query';

export enum ExportState {
  /** Waiting for a worker. */
  QUEUED = 'QUEUED',
  /** A worker is writing the file; rowsWritten grows. */
  RUNNING = 'RUNNING',
  /** The file is ready to download until expiresAt. */
  DONE = 'DONE',
  /** Nothing to download; error says why. */
  FAILED = 'FAILED',
  /** Was DONE; its file has been removed. */
  EXPIRED = 'EXPIRED',
}
registerEnumType(ExportState, { name: 'ExportState', description: 'Where a background export stands.' });

export enum ReportFormat {
  CSV = 'CSV',
  XLSX = 'XLSX',
}
registerEnumType(ReportFormat, { name: 'ReportFormat', description: 'A file format of the report downloads.' });

/** bigint columns come back from pg as strings; file sizes fit a double exactly. */
const bigintAsNumber = { to: (v: number | null) => v, from: (v: string | null) => (v === null ? null : Number(v)) };

/**
 * A certification report written to a file by a worker (for audits of a whole organization),
 * downloadable through a short-lived signed link until it expires. The filter and the caller's
 * scope are fixed when it is started, so the file holds what the caller could read then.
 */
@ObjectType('CertificationExport', { implements: Node, description: 'A certification report exported in the background.' })
@Entity('report_export')
@Index('ix_report_export_expires', ['organizationId', 'expiresAt'])
export class ReportExport extends TenantEntity {
  @Field(() => ReportFormat)
  @Column('text')
  format: ReportFormat;

  /** The checked filter as the audit log keeps it (ids raw, dates ISO). */
  @Column('jsonb')
  filter: Record<string, unknown>;

  @Column('jsonb')
  scope: ReportScope;

  /** Course titles are written in the language of the request that started the export. */
  @Column('text')
  locale: string;

  /** Who started it (the audit actor: `user:<externalId>` or `apikey:<keyId>`): they may read it without REPORTS_READ. */
  @Field({ description: 'Who started the export.' })
  @Column('text')
  requestedBy: string;

  @Field(() => ExportState)
  @Column('text', { default: ExportState.QUEUED })
  state: ExportState;

  @Field(() => Int, { description: 'Rows written to the file so far.' })
  @Column('integer', { default: 0 })
  rowsWritten: number;

  @Field(() => Int, { nullable: true, description: 'Rows the export will hold, once the worker has counted them.' })
  @Column('integer', { nullable: true })
  totalRows: number | null;

  @Field(() => Float, { nullable: true, description: 'Size of the finished file in bytes.' })
  @Column('bigint', { nullable: true, transformer: bigintAsNumber })
  byteSize: number | null;

  /** The file's name under the exports folder, random so that a link names one file only. */
  @Column('text', { nullable: true })
  fileName: string | null;

  @Field(() => String, { nullable: true, description: 'Why a FAILED export failed.' })
  @Column('text', { nullable: true })
  error: string | null;

  @Field(() => Date, { nullable: true })
  @Column('timestamptz', { nullable: true })
  startedAt: Date | null;

  @Field(() => Date, { nullable: true })
  @Column('timestamptz', { nullable: true })
  finishedAt: Date | null;

  @Field(() => Date, { nullable: true, description: 'When the file is removed (DONE exports).' })
  @Column('timestamptz', { nullable: true })
  expiresAt: Date | null;
}
