import { Arg, Ctx, Field, FieldResolver, ID, InputType, Mutation, ObjectType, Query, Resolver, Root } from 'type-graphql';
import type { RequestContext } from '../../shared/context';
import { idOf, toGlobalId } from '../../shared/ids';
import { registerNode } from '../../shared/node';
import { UserError } from '../../shared/payload';
import { ReportExport, ReportFormat } from './report-export.entity';
import { reportExportService } from './report-export.service';
import { CertificationReportFilter, checkFilter } from './report.filter';

const EXPORT_TYPE = 'CertificationExport';

@InputType()
export class StartCertificationExportInput {
  @Field(() => CertificationReportFilter, { nullable: true, description: 'The filters of certificationReport and the downloads.' })
  filter?: CertificationReportFilter | null;

  @Field(() => ReportFormat)
  format: ReportFormat;
}

@ObjectType()
export class StartCertificationExportPayload {
  @Field(() => ReportExport, { nullable: true })
  export?: ReportExport;

  @Field(() => [UserError])
  errors: UserError[];
}

registerNode(EXPORT_TYPE, (ctx, id) => reportExportService.find(ctx, id));

@Resolver(() => ReportExport)
export class ReportExportResolver {
  @FieldResolver(() => ID)
  id(@Root() e: ReportExport): string {
    return toGlobalId(EXPORT_TYPE, e.id);
  }

  @FieldResolver(() => String, {
    nullable: true,
    description: 'Once DONE: a link to the file that works without credentials, valid for a few minutes (ask again for a fresh one) until the file expires.',
  })
  downloadUrl(@Root() e: ReportExport, @Ctx() ctx: RequestContext): Promise<string | null> {
    return reportExportService.downloadUrl(ctx, e);
  }

  @Mutation(() => StartCertificationExportPayload, {
    description: 'Queues the certification report as a file written by a worker (for audits of the whole organization); follow it with certificationExport.',
  })
  async startCertificationExport(@Arg('input', () => StartCertificationExportInput) input: StartCertificationExportInput, @Ctx() ctx: RequestContext): Promise<StartCertificationExportPayload> {
    return { export: await reportExportService.start(ctx, checkFilter(input.filter), input.format), errors: [] };
  }

  @Query(() => ReportExport, { description: 'A background export: its progress and, once DONE, its download link. Yours, or any with REPORTS_READ.' })
  certificationExport(@Arg('id', () => ID) id: string, @Ctx() ctx: RequestContext): Promise<ReportExport> {
    return reportExportService.find(ctx, idOf(EXPORT_TYPE, id));
  }
}
