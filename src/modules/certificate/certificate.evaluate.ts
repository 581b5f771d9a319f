import type { RequestContext } from '../../shared/context';
import type { CertificationRuleData } from '../course/course.entity';
import type { Enrollment } from '../enrollment/enrollment.entity';

/** What a completed cycle achieved, as the certification rule reads it. */
export interface CycleResult {
  /** Mean scaled score of the required activities that reported one, ×100; null when none did. */
  score: number | null;
  passed: number;
  failed: number;
}

/**
 * The course score and pass counts of an enrollment cycle over the required activities of its
 * revision (all activities when none is marked required, as the roll-up counts them).
 */
export async function evaluateCycle(ctx: RequestContext, enrollment: Enrollment, revisionId: string): Promise<CycleResult> {
  const rows = (await ctx.manager.query(
    `WITH req AS (
       SELECT a.key FROM activity a
        WHERE a.organization_id = $1 AND a.revision_id = $2
          AND (a.required OR NOT EXISTS (SELECT 1 FROM activity r WHERE r.organization_id = $1 AND r.revision_id = $2 AND r.required)))
     SELECT avg(p.score_scaled) * 100 AS score,
            count(*) FILTER (WHERE p.success_status = 'passed')::int AS passed,
            count(*) FILTER (WHERE p.success_status = 'failed')::int AS failed
       FROM req LEFT JOIN activity_progress p ON p.organization_id = $1 AND p.enrollment_id = $3 AND p.activity_key = req.key`,
    [ctx.orgId, revisionId, enrollment.id],
  )) as { score: number | null; passed: number; failed: number }[];
  const r = rows[0];
  return { score: r.score === null ? null : Math.round(Number(r.score) * 100) / 100, passed: r.passed, failed: r.failed };
}

/** Whether a completed cycle meets the rule (completion itself is the cycle's COMPLETED status). */
export function ruleMet(rule: CertificationRuleData, result: CycleResult): boolean {
  if (rule.requirePassed && (result.failed > 0 || result.passed === 0)) return false;
  if (rule.minScore !== null && (result.score === null || result.score < rule.minScore)) return false;
  return true;
}
