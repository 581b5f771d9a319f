import type { RequestContext } from '../../shared/context';
import { getEntityOrThrow } from '../../shared/scoped';
import { Activity } from '../course/content.entity';
import { Enrollment, EnrollmentStatus } from '../enrollment/enrollment.entity';
import { ActivityAttempt, AttemptStatus, CompletionStatus, SuccessStatus } from '../progress/progress.entity';
import type { ProgressUpdate } from '../progress/progress.rules';
import { progressService } from '../progress/progress.service';
import type { Interaction } from '../scorm/engine/cmi-types';
import { AssessmentAttempt, AssessmentAttemptStatus } from './assessment-attempt.entity';
import { assessmentOf, planQuestions } from './assessment.content';
import { DEADLINE_GRACE_SQL } from './attempt.time';
import {
  combineAttempts, gradeAttempt, toInteractions,
  type Assessment, type AttemptGrade, type CombinedGrade, type InteractionTiming, type Question, type ScormInteraction,
} from './engine';

const OVERDUE = `(deadline_at IS NOT NULL AND now() > deadline_at + ${DEADLINE_GRACE_SQL})`;

/**
 * Closes an open attempt exactly once: the status moves from IN_PROGRESS in one guarded UPDATE,
 * so of two racing submits (or a submit racing the deadline) one closes it and the other sees it
 * closed. An attempt past its deadline closes as EXPIRED at its deadline. The one that closes it
 * grades it. `onlyIfOverdue` closes nothing that is still within its time. True when it closed it.
 */
export async function closeAttempt(ctx: RequestContext, attemptId: string, onlyIfOverdue = false): Promise<boolean> {
  const [rows] = (await ctx.manager.query(
    `UPDATE assessment_attempt SET
       status = CASE WHEN ${OVERDUE} THEN '${AssessmentAttemptStatus.EXPIRED}' ELSE '${AssessmentAttemptStatus.SUBMITTED}' END,
       submitted_at = CASE WHEN ${OVERDUE} THEN deadline_at ELSE now() END,
       updated_at = now()
     WHERE organization_id = $1 AND id = $2 AND status = '${AssessmentAttemptStatus.IN_PROGRESS}'${onlyIfOverdue ? ` AND ${OVERDUE}` : ''}
     RETURNING id`,
    [ctx.orgId, attemptId],
  )) as [{ id: string }[], number];
  if (rows.length === 0) return false;
  await gradeClosed(ctx, await getEntityOrThrow(ctx, AssessmentAttempt, attemptId, 'Attempt'));
  return true;
}

/** Grades a just-closed attempt, records it in the SCORM shape and feeds the combined result to progress. */
async function gradeClosed(ctx: RequestContext, attempt: AssessmentAttempt): Promise<void> {
  const activity = await getEntityOrThrow(ctx, Activity, attempt.activityId, 'Activity');
  const assessment = assessmentOf(activity);
  if (!assessment) throw new Error(`activity ${activity.id} lost its assessment while attempt ${attempt.id} was open`);
  const grade = gradeAttempt(assessment, attempt.plan.questionIds, attempt.answers);
  await ctx.manager.update(AssessmentAttempt, { organizationId: ctx.orgId, id: attempt.id }, {
    grade, scoreRaw: grade.raw, scoreScaled: grade.scaled, passed: grade.passed,
  });
  await recordScormAttempt(ctx, attempt, planQuestions(assessment, attempt.plan), grade);
  const combined = await combinedResult(ctx, attempt, assessment);
  const enrollment = await ctx.manager.findOneBy(Enrollment, { organizationId: ctx.orgId, id: attempt.enrollmentId });
  if (combined && enrollment && enrollment.status !== EnrollmentStatus.WITHDRAWN) {
    await progressService.recordActivityProgress(ctx, enrollment, activity, progressOf(combined, attempt));
  }
}

const seconds = (attempt: AssessmentAttempt): number =>
  Math.max(0, ((attempt.submittedAt ?? new Date()).getTime() - attempt.startedAt.getTime()) / 1000);

/** An interaction as `activity_attempt` stores it for every activity kind (the SCORM run-time's record). */
function storedInteraction(i: ScormInteraction): Interaction {
  return {
    id: i.id, type: i.type, learnerResponse: i.learner_response, result: String(i.result),
    latency: i.latency ?? '', timestamp: i.timestamp ?? '', weighting: i.weighting, description: i.description,
    // The key stays with the assessment (staff-only); the run-time record carries no correct responses.
    objectiveIds: [], correctResponses: [],
  };
}

/** The attempt as an `activity_attempt` row: the run-time state every activity kind shares. */
async function recordScormAttempt(ctx: RequestContext, attempt: AssessmentAttempt, questions: Question[], grade: AttemptGrade): Promise<void> {
  const timings: Record<string, InteractionTiming> = {};
  for (const [id, at] of Object.entries(attempt.answeredAt)) timings[id] = { presentedAt: attempt.startedAt, answeredAt: at };
  await ctx.manager.insert(ActivityAttempt, ctx.manager.create(ActivityAttempt, {
    organizationId: ctx.orgId, enrollmentId: attempt.enrollmentId, activityId: attempt.activityId, userId: attempt.userId,
    number: attempt.number, status: AttemptStatus.FINISHED, completionStatus: CompletionStatus.COMPLETED,
    successStatus: grade.success as SuccessStatus, scoreScaled: grade.scaled, scoreRaw: grade.raw, scoreMin: grade.min, scoreMax: grade.max,
    progressMeasure: 1, totalTimeSeconds: seconds(attempt), entry: 'ab-initio',
    exit: attempt.status === AssessmentAttemptStatus.EXPIRED ? 'time-out' : 'normal',
    interactions: toInteractions(questions, attempt.answers, grade.questions, timings).map(storedInteraction),
    startedAt: attempt.startedAt, finishedAt: attempt.submittedAt,
  }));
}

/** The graded attempts of the same learner and activity, oldest first. */
async function gradedAttempts(ctx: RequestContext, enrollmentId: string, activityId: string): Promise<AttemptGrade[]> {
  const rows = await ctx.manager.find(AssessmentAttempt, {
    where: { organizationId: ctx.orgId, enrollmentId, activityId },
    order: { number: 'ASC' },
  });
  return rows.flatMap((r) => (r.grade ? [r.grade] : []));
}

async function combinedResult(ctx: RequestContext, attempt: AssessmentAttempt, assessment: Assessment): Promise<CombinedGrade | null> {
  return combineAttempts(await gradedAttempts(ctx, attempt.enrollmentId, attempt.activityId), assessment.settings.gradingMethod);
}

/** What the activity's progress learns: the result that counts, per the grading method. */
function progressOf(combined: CombinedGrade, attempt: AssessmentAttempt): ProgressUpdate {
  return {
    completionStatus: CompletionStatus.COMPLETED,
    successStatus: combined.success as SuccessStatus,
    scoreScaled: combined.scaled, scoreRaw: combined.raw, scoreMin: combined.min, scoreMax: combined.max,
    progressMeasure: 1,
    timeSpentSeconds: seconds(attempt),
    attemptNumber: attempt.number,
  };
}
