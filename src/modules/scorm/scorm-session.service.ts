import type { RequestContext } from '../../shared/context';

/** Whose sessions end: one attempt's (a new launch of it) or every attempt's of an enrollment (its withdrawal). */
export type SessionScope = { attemptId: string } | { enrollmentId: string };

/** What ending the sessions of one attempt did. */
export interface EndedSessions {
  /** Sessions the attempt had that were not already ended. */
  sessions: number;
  /** Time the abandoned ones reported, now counted in the attempt's total and the activity's time spent. */
  abandonedSeconds: number;
}

/**
 * Ends the open sessions of a scope (`superseded`): their commit URLs are refused from now on
 * (SUPERSEDED, or WITHDRAWN once the enrollment is), which is all `scorm_commit` checks, so a
 * commit never needs to read the enrollment. A session that never sent its final commit was
 * abandoned (a crash, a closed tab, a session left until its URLs expired, a withdrawal under an
 * open player): the time it reported is added to the totals now, once. Returns what was ended, by
 * attempt.
 */
export async function endSessions(ctx: RequestContext, scope: SessionScope): Promise<Map<string, EndedSessions>> {
  const [column, id] = 'attemptId' in scope ? ['id', scope.attemptId] : ['enrollment_id', scope.enrollmentId];
  const rows = (await ctx.manager.query(
    `WITH closed AS (
       UPDATE scorm_session s SET superseded = true
         FROM activity_attempt a
        WHERE a.organization_id = $1 AND a.${column} = $2 AND s.organization_id = $1 AND s.attempt_id = a.id AND NOT s.superseded
       RETURNING s.attempt_id, a.enrollment_id, a.activity_id, s.finished_at, s.session_time_seconds)
     SELECT attempt_id, enrollment_id, activity_id, count(*)::int AS sessions,
            COALESCE(sum(session_time_seconds) FILTER (WHERE finished_at IS NULL), 0)::float8 AS abandoned_seconds
       FROM closed GROUP BY attempt_id, enrollment_id, activity_id`,
    [ctx.orgId, id],
  )) as { attempt_id: string; enrollment_id: string; activity_id: string; sessions: number; abandoned_seconds: number }[];
  const ended = new Map<string, EndedSessions>();
  for (const row of rows) {
    if (row.abandoned_seconds > 0) await addAbandonedTime(ctx, row.enrollment_id, row.attempt_id, row.activity_id, row.abandoned_seconds);
    ended.set(row.attempt_id, { sessions: row.sessions, abandonedSeconds: row.abandoned_seconds });
  }
  return ended;
}

/** An abandoned session's reported time, into the attempt's total_time and the activity's time spent. */
async function addAbandonedTime(ctx: RequestContext, enrollmentId: string, attemptId: string, activityId: string, seconds: number): Promise<void> {
  await ctx.manager.query(
    'UPDATE activity_attempt SET total_time_seconds = round((total_time_seconds + $3)::numeric, 2)::float8 WHERE organization_id = $1 AND id = $2',
    [ctx.orgId, attemptId, seconds],
  );
  await ctx.manager.query(
    `UPDATE activity_progress SET time_spent_seconds = time_spent_seconds + $3
      WHERE organization_id = $1 AND enrollment_id = $2 AND activity_key = (SELECT key FROM activity WHERE organization_id = $1 AND id = $4)`,
    [ctx.orgId, enrollmentId, seconds, activityId],
  );
}
