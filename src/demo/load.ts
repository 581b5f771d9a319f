import type { FastifyBaseLogger } from 'fastify';
import { Client } from 'pg';
import { RequestContext, type ContextDeps } from '../shared/context';
import { Organization } from '../modules/organization/organization.entity';
import { organizationService } from '../modules/organization/organization.service';
import { userService } from '../modules/user/user.service';
import { DEMO_ORGANIZATIONS, DEMO_PLATFORM_ADMIN, demoExternalId, type DemoOrganization } from './people';
import { publishDemoTemplates, seedDemoCatalog } from './catalog';
import { seedDemoCertificates } from './certificates';

/** A step of the demo data, run per organization after its people exist (courses, enrollments…). */
export type DemoStep = (ctx: RequestContext, org: DemoOrganization) => Promise<void>;

/** Steps other modules contribute; each runs in the organization's own transaction. */
export const demoSteps: DemoStep[] = [seedDemoCatalog, seedDemoCertificates];

/** Platform admins can only be written by the owner role. */
export async function ensureDemoPlatformAdmin(ownerUrl: string): Promise<void> {
  const client = new Client({ connectionString: ownerUrl });
  await client.connect();
  try {
    await client.query('INSERT INTO platform_admin (subject, name) VALUES ($1, $2) ON CONFLICT DO NOTHING', [DEMO_PLATFORM_ADMIN.subject, DEMO_PLATFORM_ADMIN.name]);
  } finally {
    await client.end();
  }
}

/** True when no organization exists yet (a fresh install). */
export async function isEmpty(deps: ContextDeps): Promise<boolean> {
  return (await deps.dataSource.manager.count(Organization)) === 0;
}

/** Loads the demo tenants, their people and everything the demo steps add. */
export async function loadDemoData(deps: ContextDeps, log: FastifyBaseLogger): Promise<void> {
  await RequestContext.run(deps, { kind: 'system', organizationId: null, label: 'demo' }, log, publishDemoTemplates);
  for (const demo of DEMO_ORGANIZATIONS) {
    const org = await RequestContext.run(deps, { kind: 'system', organizationId: null, label: 'demo' }, log, (ctx) =>
      organizationService.create(ctx, { slug: demo.slug, name: demo.name, nameEn: demo.nameEn, industry: demo.industry }),
    );
    await RequestContext.run(deps, { kind: 'system', organizationId: org.id, label: 'demo' }, log, async (ctx) => {
      await userService.upsert(ctx, demo.people.map((p) => ({
        externalId: demoExternalId(demo.slug, p.key),
        employeeId: `${demo.slug.slice(0, 3).toUpperCase()}${String(demo.people.indexOf(p) + 1).padStart(4, '0')}`,
        name: p.name,
        email: `${p.key}@${demo.slug}.example.com`,
        orgUnitPath: p.unit,
        jobTitle: p.jobTitle,
        roles: p.roles,
        managerExternalId: p.manager ? demoExternalId(demo.slug, p.manager) : undefined,
      })));
      for (const step of demoSteps) await step(ctx, demo);
    });
    log.info({ organization: demo.slug }, 'demo organization loaded');
  }
}
