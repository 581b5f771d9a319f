import { Arg, Args, Ctx, Field, Float, Int, ObjectType, Query, Resolver } from 'type-graphql';
import type { RequestContext } from '../../shared/context';
import { Connection, PageArgs } from '../../shared/pagination';
import { CertificateStatus } from '../certificate/certificate.entity';
import { EnrollmentStatus } from '../enrollment/enrollment.entity';
import type { ReportRow } from './report.columns';
import { CertificationReportFilter, checkFilter } from './report.filter';
import { reportService } from './report.service';

@ObjectType({ description: 'One row of the certification report: an enrollment cycle and its certificate, or a certificate issued by hand.', simpleResolvers: true })
export class CertificationReportRow implements ReportRow {
  @Field(() => String, { nullable: true }) employeeId: string | null;
  @Field() name: string;
  @Field(() => String, { nullable: true }) email: string | null;
  @Field() orgUnitPath: string;
  @Field(() => String, { nullable: true }) jobTitle: string | null;
  @Field(() => String, { nullable: true, description: "The manager's name." }) manager: string | null;
  @Field() courseCode: string;
  @Field({ description: "In the request's language." }) courseTitle: string;
  @Field(() => Int, { nullable: true, description: 'Revision number the certificate was earned on, or the cycle follows.' }) revision: number | null;
  @Field(() => Int, { nullable: true, description: 'Enrollment cycle (null: certificate issued by hand without enrollment).' }) cycle: number | null;
  @Field(() => EnrollmentStatus, { nullable: true }) enrollmentStatus: EnrollmentStatus | null;
  @Field(() => Date, { nullable: true }) assignedAt: Date | null;
  @Field(() => Date, { nullable: true }) dueAt: Date | null;
  @Field(() => Date, { nullable: true }) completedAt: Date | null;
  @Field(() => Float, { nullable: true, description: "The certificate's score, else the mean scaled score of the cycle's activities (0–100)." }) score: number | null;
  @Field(() => Int, { nullable: true, description: "Attempts over the cycle's activities." }) attempts: number | null;
  @Field(() => Float, { nullable: true, description: "Time spent over the cycle's activities, in seconds." }) timeSpentSeconds: number | null;
  @Field(() => String, { nullable: true }) certificateNumber: string | null;
  @Field(() => Date, { nullable: true }) issuedAt: Date | null;
  @Field(() => Date, { nullable: true }) validUntil: Date | null;
  @Field(() => Int, { nullable: true, description: 'Whole days until validUntil (negative once expired).' }) daysToExpiry: number | null;
  @Field(() => CertificateStatus, { nullable: true }) certificateStatus: CertificateStatus | null;
  @Field(() => String, { nullable: true }) revocationReason: string | null;
  @Field(() => String, { nullable: true }) verificationUrl: string | null;
}

export const CertificationReportConnection = Connection(CertificationReportRow, 'CertificationReport');

@Resolver()
export class ReportResolver {
  @Query(() => CertificationReportConnection, {
    description: 'HR, org admins and REPORTS_READ keys: the whole organization; managers: their team. Ordered by employee name. '
      + 'The same rows download as GET /reports/certifications.csv and .xlsx.',
  })
  certificationReport(@Args() page: PageArgs, @Arg('filter', () => CertificationReportFilter, { nullable: true }) filter: CertificationReportFilter | null, @Ctx() ctx: RequestContext) {
    return reportService.page(ctx, checkFilter(filter), page);
  }
}
