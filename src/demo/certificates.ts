import type { RequestContext } from '../shared/context';
import { Course } from '../modules/course/course.entity';
import { courseLifecycle } from '../modules/course/course.lifecycle';
import { certificationRuleService } from '../modules/certificate/certification-rule';
import { CertificateValidityKind } from '../modules/certificate/certification-rule.inputs';
import { Certificate } from '../modules/certificate/certificate.entity';
import { certificateService } from '../modules/certificate/certificate.service';
import { addMonths } from '../modules/certificate/certificate.rules';
import { AppUser } from '../modules/user/user.entity';
import { ETIQUETTE_COURSE } from './content';
import type { DemoStep } from './load';
import { demoExternalId, type DemoOrganization } from './people';

const DAY = 86_400_000;

/** The certificate states HR should see on a fresh start: who holds one, and how it stands. */
export const DEMO_CERTIFICATES = [
  { person: 'learner-3', state: 'VALID', issuedDaysAgo: 60 },
  { person: 'manager', state: 'VALID', issuedDaysAgo: 120 },
  { person: 'learner', state: 'EXPIRING', expiresInDays: 20 },
  { person: 'learner-2', state: 'EXPIRED', expiredDaysAgo: 15 },
  { person: 'learner-4', state: 'REVOKED', issuedDaysAgo: 30, reason: '结业考核存在代考行为，证书撤销 (exam taken by someone else)' },
] as const;

const IMPORT_REASON = '历史线下培训记录导入 (imported classroom training record)';

/** Validity dates of a demo certificate under a 12-month rule. */
function datesOf(spec: (typeof DEMO_CERTIFICATES)[number], now: number): { from: Date; until: Date } {
  if (spec.state === 'EXPIRING') {
    const until = new Date(now + spec.expiresInDays * DAY);
    return { from: addMonths(until, -12), until };
  }
  if (spec.state === 'EXPIRED') {
    const until = new Date(now - spec.expiredDaysAgo * DAY);
    return { from: addMonths(until, -12), until };
  }
  const from = new Date(now - spec.issuedDaysAgo * DAY);
  return { from, until: addMonths(from, 12) };
}

/** The etiquette course gets a certification rule (12 months, recertification 30 days before) in a new revision. */
async function certifyEtiquette(ctx: RequestContext): Promise<Course> {
  const course = await ctx.manager.findOneByOrFail(Course, { organizationId: ctx.orgId, code: ETIQUETTE_COURSE.code });
  await courseLifecycle.createDraft(ctx, course.id);
  await certificationRuleService.set(ctx, course.id, {
    courseId: course.id, validityKind: CertificateValidityKind.MONTHS, validityMonths: 12, recertificationWindowDays: 30,
  });
  return courseLifecycle.publish(ctx, course.id);
}

async function issueDemo(ctx: RequestContext, org: DemoOrganization, course: Course, spec: (typeof DEMO_CERTIFICATES)[number]): Promise<void> {
  const user = await ctx.manager.findOneByOrFail(AppUser, { organizationId: ctx.orgId, externalId: demoExternalId(org.slug, spec.person) });
  const issued = await certificateService.issueManually(ctx, { userId: user.id, courseId: course.id, reason: IMPORT_REASON, externalReference: `DEMO-${spec.person}` });
  const { from, until } = datesOf(spec, Date.now());
  // Back-dated, as imported records are; the expired one is not renewed.
  await ctx.manager.update(Certificate, { organizationId: ctx.orgId, id: issued.id }, {
    issuedAt: from, validFrom: from, validUntil: until, recertificationWindowDays: spec.state === 'EXPIRED' ? null : 30,
  });
  if (spec.state === 'REVOKED') await certificateService.revoke(ctx, issued.id, spec.reason);
}

/** Demo step: certified learners in every state, and the expiring one's recertification cycle open. */
export const seedDemoCertificates: DemoStep = async (ctx, org) => {
  const course = await certifyEtiquette(ctx);
  for (const spec of DEMO_CERTIFICATES) await issueDemo(ctx, org, course, spec);
  await certificateService.openDueRecertifications(ctx, new Date());
};
