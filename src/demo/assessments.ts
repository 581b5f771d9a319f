import { SEED_ASSESSMENTS, type SeedTenant } from '../modules/assessment/content';
import type { Assessment } from '../modules/assessment/engine';
import { ActivityKind, CompletionKind } from '../modules/course/content.entity';
import type { DemoActivity, DemoCourse } from './content/types';

/** Which seed tenant's assessments go with each demo course (by course code). */
const SEED_TENANT_OF_COURSE: Record<string, SeedTenant> = {
  'service-etiquette': 'shared',
  'tobacco-service-standard': 'tobacco',
  'unicom-service-values': 'telecom',
  'laoa-customer-types': 'ecommerce',
};

/**
 * The seed assessment for a demo ASSESSMENT activity: of the course's seed assessments, the one
 * whose kind fits the activity's completion rule (a self-assessment is never passed, so it goes
 * where viewing completes the activity; a graded quiz where passing does).
 */
export function demoAssessment(course: DemoCourse, activity: DemoActivity): Assessment | undefined {
  if (activity.kind !== ActivityKind.ASSESSMENT) return undefined;
  const kind = activity.completion?.kind === CompletionKind.VIEWED ? 'SELF_ASSESSMENT' : 'GRADED';
  const tenant = SEED_TENANT_OF_COURSE[course.code];
  return SEED_ASSESSMENTS.find((s) => s.tenant === tenant && s.assessment.settings.kind === kind)?.assessment;
}
