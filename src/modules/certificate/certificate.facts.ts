import type { RequestContext } from '../../shared/context';
import { pickText } from '../course/localized';
import { Enrollment } from '../enrollment/enrollment.entity';
import type { CertificateFacts } from '../notification/messages';
import type { Recipient } from '../notification/notification.service';
import { AppUser } from '../user/user.entity';
import { Certificate } from './certificate.entity';
import { verificationUrlOf } from './certificate.rules';

/** What a certificate email says and to whom: the holder, their manager, and an open recertification's due date. */
export interface CertificateMailFacts {
  certificate: CertificateFacts;
  holder: Recipient;
  manager: Recipient | null;
  dueAt: Date | null;
}

const recipient = (u: AppUser): Recipient => ({ userId: u.id, name: u.name, email: u.email });

/** The facts of one certificate of the context's tenant, or null when it is gone. */
export async function certificateFacts(ctx: RequestContext, certificateId: string): Promise<CertificateMailFacts | null> {
  const c = await ctx.manager.findOneBy(Certificate, { organizationId: ctx.orgId, id: certificateId });
  const holder = c && (await ctx.manager.findOneBy(AppUser, { organizationId: ctx.orgId, id: c.userId }));
  if (!c || !holder) return null;
  const manager = holder.managerId ? await ctx.manager.findOneBy(AppUser, { organizationId: ctx.orgId, id: holder.managerId }) : null;
  const cycle = c.recertificationEnrollmentId
    ? await ctx.manager.findOneBy(Enrollment, { organizationId: ctx.orgId, id: c.recertificationEnrollmentId })
    : null;
  return {
    certificate: {
      locale: ctx.locale,
      holderName: c.holderName,
      courseTitle: pickText(c.courseTitle, ctx.locale),
      certificateNumber: c.number,
      validUntil: c.validUntil,
      verificationUrl: verificationUrlOf(ctx.deps.config.publicUrl, c.verificationCode),
    },
    holder: recipient(holder),
    manager: manager ? recipient(manager) : null,
    dueAt: cycle?.dueAt ?? null,
  };
}
