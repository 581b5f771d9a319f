import { UserErrorCode } from '../../shared/payload';
import type { InputCheck } from '../../shared/validate';
import { ActivityKind, type Activity, type ActivityContent } from '../course/content.entity';
import { parseAssessmentDocument } from './assessment.document';
import type { Assessment, AttemptPlan, Question } from './engine';

/**
 * An ASSESSMENT activity keeps its assessment (settings and questions) in its `content` jsonb, so
 * it lives with the revision: edited in a draft, frozen when the revision is published, and
 * copied by the catalog into new drafts, template versions and adopted courses.
 */
interface AssessmentActivityContent {
  assessment?: Assessment;
}

/** The assessment of an ASSESSMENT activity, or null while none is set. */
export function assessmentOf(activity: Pick<Activity, 'kind' | 'content'>): Assessment | null {
  if (activity.kind !== ActivityKind.ASSESSMENT) return null;
  return (activity.content as AssessmentActivityContent | undefined)?.assessment ?? null;
}

/** Activity content holding `assessment`. */
export function contentWith(assessment: Assessment): ActivityContent {
  const content: AssessmentActivityContent = { assessment };
  return content as ActivityContent;
}

/**
 * Checks an authored assessment document given with an activity (e.g. in a template version):
 * payload errors under `path`, or the content to store. Undefined when no document was given.
 */
export function checkAssessmentContent(check: InputCheck, kind: ActivityKind, raw: unknown, path: (string | number)[]): ActivityContent | undefined {
  if (raw === undefined || raw === null) return undefined;
  if (kind !== ActivityKind.ASSESSMENT) {
    check.add(UserErrorCode.INVALID, 'an assessment is for ASSESSMENT activities', path);
    return undefined;
  }
  const parsed = parseAssessmentDocument(raw);
  if (parsed.ok) return contentWith(parsed.assessment);
  for (const issue of parsed.issues) check.add(issue.code as UserErrorCode, issue.message, [...path, ...issue.path]);
  return undefined;
}

/** The questions of an attempt's plan, in the order it shows them. */
export function planQuestions(assessment: Assessment, plan: AttemptPlan): Question[] {
  const byId = new Map(assessment.questions.map((q) => [q.id, q]));
  return plan.questionIds.map((id) => {
    const question = byId.get(id);
    if (!question) throw new Error(`question "${id}" of an attempt plan is missing from assessment "${assessment.key}"`);
    return question;
  });
}
