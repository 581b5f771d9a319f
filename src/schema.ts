import { GraphQLSchema, lexicographicSortSchema, printSchema, type GraphQLFieldResolver } from 'graphql';
import { Arg, Ctx, ID, Query, Resolver, buildSchema } from 'type-graphql';
import type { RequestContext } from './shared/context';
import { Node, fetchNode } from './shared/node';
import { applyOneOf } from './shared/one-of';
import { directFieldResolvers, syncTypeResolvers } from './shared/direct-resolvers';
import { UserErrors } from './shared/payload';
import { ViewerResolver } from './modules/viewer/viewer.resolver';
import { UserResolver } from './modules/user/user.resolver';
import { OrganizationResolver } from './modules/organization/organization.resolver';
import { ApiKeyResolver } from './modules/api-key/api-key.resolver';
import { AuditResolver } from './modules/audit/audit.resolver';
import { CourseResolver, CourseRevisionResolver } from './modules/course/course.resolver';
import { ActivityResolver, CourseModuleResolver } from './modules/course/content.resolver';
import { ActivityCatalogResolver, CourseCatalogResolver, ModuleCatalogResolver, RevisionCatalogResolver } from './modules/catalog/catalog.resolver';
import { EnrollmentResolver, ViewerEnrollmentsResolver } from './modules/enrollment/enrollment.resolver';
import { EnrollmentOverrideResolver } from './modules/enrollment/enrollment-override.resolver';
import { AssignmentRuleResolver } from './modules/enrollment/assignment-rule.resolver';
import { ProgressResolver } from './modules/progress/progress.resolver';
import { CourseSourceResolver, CourseTemplateResolver, CourseTemplateVersionResolver } from './modules/template/template.resolver';
import { ScormPackageResolver } from './modules/scorm/scorm-package.resolver';
import { ScormRuntimeResolver } from './modules/scorm/scorm-runtime.resolver';
import { ScormAvailabilityResolver } from './modules/scorm/scorm-availability.resolver';
import { assessmentResolvers } from './modules/assessment/assessment.resolver';
import { CertificateResolver, ViewerCertificatesResolver } from './modules/certificate/certificate.resolver';
import { CertificationRuleResolver } from './modules/certificate/certification-rule.resolver';
import { staffViewResolvers } from './modules/staff-views/transcript.resolver';
import { CourseStatisticsResolver } from './modules/staff-views/course-statistics.resolver';
import { ReportResolver } from './modules/report/report.resolver';
import { ReportExportResolver } from './modules/report/report-export.resolver';
import { LtiPlatformResolver } from './modules/lti/lti-platform.resolver';
import { LtiServicesResolver } from './modules/lti/services/lti-services.resolver';

@Resolver()
class NodeResolver {
  @Query(() => Node, { nullable: true, description: 'Any object by its global id; null with a NOT_FOUND error beside the other fields\' data when missing, forbidden or another organization\'s.' })
  node(@Arg('id', () => ID) id: string, @Ctx() ctx: RequestContext): Promise<object | null> {
    return fetchNode(ctx, id);
  }
}

/** Every resolver class; a module adds its resolvers here. */
export const resolvers = [
  NodeResolver, ViewerResolver, UserResolver, OrganizationResolver, ApiKeyResolver, AuditResolver,
  CourseResolver, CourseRevisionResolver, CourseModuleResolver, ActivityResolver,
  CourseCatalogResolver, RevisionCatalogResolver, ModuleCatalogResolver, ActivityCatalogResolver,
  EnrollmentResolver, ViewerEnrollmentsResolver, EnrollmentOverrideResolver, AssignmentRuleResolver, ProgressResolver,
  CourseTemplateResolver, CourseTemplateVersionResolver, CourseSourceResolver,
  ScormPackageResolver, ScormRuntimeResolver, ScormAvailabilityResolver,
  ...assessmentResolvers,
  CertificateResolver, ViewerCertificatesResolver, CertificationRuleResolver,
  ...staffViewResolvers, CourseStatisticsResolver,
  ReportResolver, ReportExportResolver,
  LtiPlatformResolver,
  LtiServicesResolver,
] as const;

/**
 * Wraps each mutation in a savepoint: a payload with errors, or a thrown error, rolls back all
 * that mutation wrote, so a failed mutation never leaves half of its changes behind. Services
 * report expected failures by throwing UserErrors, which become the payload's `errors`.
 */
function makeMutationsAtomic(schema: GraphQLSchema): void {
  const mutation = schema.getMutationType();
  if (!mutation) return;
  for (const field of Object.values(mutation.getFields())) {
    const resolve = field.resolve as GraphQLFieldResolver<unknown, RequestContext>;
    field.resolve = (source, args, ctx, info) =>
      ctx.transaction.savepoint(
        async () => {
          try {
            return (await resolve(source, args, ctx, info)) as { errors?: unknown[] };
          } catch (err) {
            if (err instanceof UserErrors) return { errors: err.errors };
            throw err;
          }
        },
        (result: { errors?: unknown[] } | null) => !result?.errors?.length,
      );
  }
}

let built: Promise<GraphQLSchema> | undefined;

/** The application schema (built once per process). */
export function buildAppSchema(): Promise<GraphQLSchema> {
  built ??= buildSchema({ resolvers, validate: false }).then((schema) => {
    directFieldResolvers(schema);
    syncTypeResolvers(schema);
    makeMutationsAtomic(schema);
    applyOneOf(schema);
    return schema;
  });
  return built;
}

/** The SDL published in schema/schema.graphql. */
export async function printAppSchema(): Promise<string> {
  return `${printSchema(lexicographicSortSchema(await buildAppSchema()))}\n`;
}
