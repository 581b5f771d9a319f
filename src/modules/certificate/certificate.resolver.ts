import { Arg, Args, Ctx, FieldResolver, ID, Mutation, Query, Resolver, Root } from 'type-graphql';
import type { RequestContext } from '../../shared/context';
import { idOf, toGlobalId } from '../../shared/ids';
import { registerNode } from '../../shared/node';
import { Connection, PageArgs } from '../../shared/pagination';
import { Course, CourseRevision } from '../course/course.entity';
import { courseById, revisionById } from '../course/course.loader';
import { COURSE_TYPE } from '../course/course.resolver';
import { AppUser } from '../user/user.entity';
import { userById } from '../user/user.loader';
import { USER_TYPE } from '../user/user.resolver';
import { Viewer } from '../viewer/viewer.resolver';
import { Certificate, CertificateStatus } from './certificate.entity';
import { CertificateFilter, CertificatePayload, IssueCertificateInput, ReinstateCertificateInput, RevokeCertificateInput } from './certificate.inputs';
import { certificateStatus, verificationUrlOf } from './certificate.rules';
import { certificateService } from './certificate.service';

export const CERTIFICATE_TYPE = 'Certificate';
export const CertificateConnection = Connection(Certificate, 'Certificate');

registerNode(CERTIFICATE_TYPE, (ctx, id) => certificateService.findOne(ctx, id));

@Resolver(() => Certificate)
export class CertificateResolver {
  @FieldResolver(() => ID)
  id(@Root() c: Certificate): string {
    return toGlobalId(CERTIFICATE_TYPE, c.id);
  }

  @FieldResolver(() => CertificateStatus, { description: 'Derived now: EXPIRED once validUntil has passed.' })
  status(@Root() c: Certificate): CertificateStatus {
    return certificateStatus(c.status, c.validUntil);
  }

  @FieldResolver(() => String, { description: 'The public page anyone can check it on.' })
  verificationUrl(@Root() c: Certificate, @Ctx() ctx: RequestContext): string {
    return verificationUrlOf(ctx.deps.config.publicUrl, c.verificationCode);
  }

  @FieldResolver(() => AppUser, { description: 'The holder.' })
  async user(@Root() c: Certificate, @Ctx() ctx: RequestContext): Promise<AppUser> {
    return (await userById(ctx).load(c.userId))!;
  }

  @FieldResolver(() => Course)
  async course(@Root() c: Certificate, @Ctx() ctx: RequestContext): Promise<Course> {
    return (await courseById(ctx).load(c.courseId))!;
  }

  @FieldResolver(() => CourseRevision, { nullable: true, description: 'The revision it was earned on.' })
  revision(@Root() c: Certificate, @Ctx() ctx: RequestContext): Promise<CourseRevision | null> | null {
    return c.revisionId ? revisionById(ctx).load(c.revisionId) : null;
  }

  @Query(() => CertificateConnection, { description: 'HR and report readers: every certificate; managers: their org unit subtree and direct reports; learners: their own. Newest first.' })
  certificates(@Args() page: PageArgs, @Arg('filter', () => CertificateFilter, { nullable: true }) filter: CertificateFilter | null, @Ctx() ctx: RequestContext) {
    return certificateService.list(ctx, {
      status: filter?.status ?? undefined,
      courseId: filter?.courseId ? idOf(COURSE_TYPE, filter.courseId) : undefined,
      orgUnitPath: filter?.orgUnitPath ?? undefined,
      expiringWithinDays: filter?.expiringWithinDays ?? undefined,
    }, page);
  }

  @Query(() => Certificate, { description: 'One certificate the caller may see (NOT_FOUND otherwise).' })
  certificate(@Arg('id', () => ID) id: string, @Ctx() ctx: RequestContext): Promise<Certificate> {
    return certificateService.findOne(ctx, idOf(CERTIFICATE_TYPE, id));
  }

  @Mutation(() => CertificatePayload, { description: 'HR: issue a certificate by hand (renews the holder\'s current one for the course).' })
  async issueCertificate(@Arg('input', () => IssueCertificateInput) input: IssueCertificateInput, @Ctx() ctx: RequestContext): Promise<CertificatePayload> {
    const certificate = await certificateService.issueManually(ctx, { ...input, userId: idOf(USER_TYPE, input.userId), courseId: idOf(COURSE_TYPE, input.courseId) });
    return { certificate, errors: [] };
  }

  @Mutation(() => CertificatePayload, { description: 'HR: revoke a certificate; the public page shows it revoked.' })
  async revokeCertificate(@Arg('input', () => RevokeCertificateInput) input: RevokeCertificateInput, @Ctx() ctx: RequestContext): Promise<CertificatePayload> {
    return { certificate: await certificateService.revoke(ctx, idOf(CERTIFICATE_TYPE, input.id), input.reason), errors: [] };
  }

  @Mutation(() => CertificatePayload, { description: 'HR: reinstate a revoked certificate.' })
  async reinstateCertificate(@Arg('input', () => ReinstateCertificateInput) input: ReinstateCertificateInput, @Ctx() ctx: RequestContext): Promise<CertificatePayload> {
    return { certificate: await certificateService.reinstate(ctx, idOf(CERTIFICATE_TYPE, input.id), input.reason), errors: [] };
  }
}

@Resolver(() => Viewer)
export class ViewerCertificatesResolver {
  @FieldResolver(() => CertificateConnection, { description: 'Your certificates, newest first.' })
  certificates(@Args() page: PageArgs, @Ctx() ctx: RequestContext) {
    return certificateService.listForViewer(ctx, page);
  }
}
