import type { RequestContext } from '../../../shared/context';
import { auditService } from '../../audit/audit.service';
import { accessToken, invalidateToken, SCOPES, type TokenRequest } from './token-client';
import { checkPlatformUrl, LtiPlatformError, platformFetch } from './platform-http';

/** AGS media types. */
export const AGS_MEDIA = {
  score: 'application/vnd.ims.lis.v1.score+json',
  lineItem: 'application/vnd.ims.lis.v2.lineitem+json',
  lineItemContainer: 'application/vnd.ims.lis.v2.lineitemcontainer+json',
} as const;

/** The AGS score message (LTI AGS 2.0 §3.4). */
export interface AgsScore {
  userId: string;
  scoreGiven?: number;
  scoreMaximum?: number;
  activityProgress: 'Initialized' | 'Started' | 'InProgress' | 'Submitted' | 'Completed';
  gradingProgress: 'FullyGraded' | 'Pending' | 'PendingManual' | 'Failed' | 'NotReady';
  timestamp: string;
  comment?: string;
}

interface LinkRow {
  id: string;
  lti_context_id: string;
  enrollment_id: string;
  resource_link_id: string;
  sub: string;
  activity_id: string | null;
  activity_key: string | null;
  lineitem_url: string | null;
  score_maximum: number;
  course_id: string;
  client_id: string;
  token_url: string;
  lineitems_url: string | null;
  ags_scopes: string[];
}

/** The state to send, read at delivery time (the timestamp is added when it is sent). */
type State = Omit<AgsScore, 'userId' | 'timestamp'>;

/** The AGS scopes asked for: what the platform granted of those this tool uses (one set per context, so one cached token). */
export function agsScopes(granted: readonly string[]): string[] {
  const wanted = [SCOPES.score, SCOPES.lineitem, SCOPES.lineitemReadonly, SCOPES.resultReadonly];
  const chosen = granted.length ? wanted.filter((s) => granted.includes(s)) : [SCOPES.score];
  return chosen.length ? chosen : [SCOPES.score];
}

const round = (n: number): number => Math.round(n * 10_000) / 10_000;

/** `<lineitem>/scores`, keeping the line item URL's query (Canvas and Moodle add one). */
export function scoresUrl(lineitem: string): string {
  const u = checkPlatformUrl(lineitem);
  u.pathname = `${u.pathname.replace(/\/$/, '')}/scores`;
  return u.toString();
}

/**
 * The learner's current state as AGS puts it, or null before there is any. An activity: its best
 * score (scaled, or raw within min..max) and its completion; an activity without a score gives
 * full marks once completed. A course as a whole: the share of its required activities done.
 */
async function readState(ctx: RequestContext, link: LinkRow): Promise<State | null> {
  const max = link.score_maximum;
  if (link.activity_key) {
    const [p] = (await ctx.manager.query(
      `SELECT completion_status, success_status, score_scaled, score_raw, score_min, score_max, completed, attempt_count
         FROM activity_progress WHERE organization_id = $1 AND enrollment_id = $2 AND activity_key = $3`,
      [ctx.orgId, link.enrollment_id, link.activity_key],
    )) as { completion_status: string; success_status: string; score_scaled: number | null; score_raw: number | null; score_min: number | null; score_max: number | null; completed: boolean; attempt_count: number }[];
    if (!p) return null;
    let scaled = p.score_scaled;
    if (scaled === null && p.score_raw !== null && p.score_max !== null && p.score_max > (p.score_min ?? 0)) scaled = (p.score_raw - (p.score_min ?? 0)) / (p.score_max - (p.score_min ?? 0));
    const done = p.completed || p.completion_status === 'completed';
    if (scaled === null && done) scaled = 1;
    const graded = scaled !== null && (done || p.success_status !== 'unknown');
    return {
      ...(scaled === null ? {} : { scoreGiven: round(Math.min(1, Math.max(0, scaled)) * max), scoreMaximum: max }),
      activityProgress: done ? 'Completed' : p.completion_status === 'incomplete' || p.attempt_count > 0 ? 'InProgress' : 'Started',
      gradingProgress: graded ? 'FullyGraded' : scaled === null ? 'NotReady' : 'Pending',
    };
  }
  const [e] = (await ctx.manager.query(
    `SELECT status, progress_percent FROM enrollment WHERE organization_id = $1 AND id = $2`,
    [ctx.orgId, link.enrollment_id],
  )) as { status: string; progress_percent: number }[];
  if (!e) return null;
  const done = e.status === 'COMPLETED';
  return {
    scoreGiven: round((e.progress_percent / 100) * max),
    scoreMaximum: max,
    activityProgress: done ? 'Completed' : e.status === 'IN_PROGRESS' ? 'InProgress' : 'Initialized',
    gradingProgress: done ? 'FullyGraded' : 'Pending',
  };
}

/** Whether a state is what was delivered last (its timestamp and user aside). */
function alreadySent(state: State, last: AgsScore | null): boolean {
  if (!last) return false;
  const { userId: _u, timestamp: _t, ...sent } = last;
  const sorted = (o: object) => JSON.stringify(Object.entries(o).sort(([x], [y]) => x.localeCompare(y)));
  return sorted(sent) === sorted(state);
}

const tokenRequest = (ctx: RequestContext, link: LinkRow): TokenRequest => ({
  organizationId: ctx.orgId, tokenUrl: link.token_url, clientId: link.client_id, scopes: agsScopes(link.ags_scopes),
});

/**
 * Answers of a line item or score endpoint that sending the same request again cannot change (bad
 * request, forbidden, gone, unprocessable…). The token endpoint's answers are not among them: a
 * refused client assertion is often the platform's cached keyset, right again later.
 */
const REFUSED_FOR_GOOD = new Set([400, 403, 404, 405, 410, 413, 415, 422]);

/** The platform refused a grade request for good: the job records it and is not retried. */
export class LtiRequestRefused extends Error {
  constructor(readonly refusal: LtiPlatformError) {
    super(refusal.message);
    this.name = 'LtiRequestRefused';
  }
}

/**
 * A request with the platform's access token; a 401 forgets the cached token (the retry gets a new
 * one), and an answer in REFUSED_FOR_GOOD becomes LtiRequestRefused.
 */
async function withToken(ctx: RequestContext, req: TokenRequest, url: string, init: RequestInit): Promise<Response> {
  const token = await accessToken(ctx, req);
  try {
    return await platformFetch(url, { ...init, headers: { ...(init.headers as Record<string, string>), authorization: `Bearer ${token}` } });
  } catch (err) {
    if (err instanceof LtiPlatformError && err.status === 401) invalidateToken(req);
    if (err instanceof LtiPlatformError && REFUSED_FOR_GOOD.has(err.status)) throw new LtiRequestRefused(err);
    throw err;
  }
}

/**
 * The line item of a resource link that came with `lineitems` only: the one the platform has for
 * the resource link, or a new one (scoreMaximum, label, resourceLinkId). One per resource link
 * however many learners' jobs ask at once; every grade link of the resource link keeps its URL.
 */
async function ensureLineItem(ctx: RequestContext, link: LinkRow): Promise<string> {
  if (!link.lineitems_url) throw new Error('a grade link without lineitem or lineitems');
  await ctx.manager.query(`SELECT pg_advisory_xact_lock(hashtextextended('lti_lineitem:' || $1 || ':' || $2, 0))`, [link.lti_context_id, link.resource_link_id]);
  const [known] = (await ctx.manager.query(
    `SELECT lineitem_url FROM lti_grade_link WHERE organization_id = $1 AND lti_context_id = $2 AND resource_link_id = $3 AND lineitem_url IS NOT NULL LIMIT 1`,
    [ctx.orgId, link.lti_context_id, link.resource_link_id],
  )) as { lineitem_url: string }[];
  let url: string | undefined = known?.lineitem_url;
  const req = tokenRequest(ctx, link);
  if (!url) {
    const search = checkPlatformUrl(link.lineitems_url);
    search.searchParams.set('resource_link_id', link.resource_link_id);
    const found = (await (await withToken(ctx, req, search.toString(), { headers: { accept: AGS_MEDIA.lineItemContainer } })).json().catch(() => [])) as unknown;
    const match = Array.isArray(found) ? (found as { id?: unknown; resourceLinkId?: unknown }[]).find((li) => li.resourceLinkId === link.resource_link_id && typeof li.id === 'string') : undefined;
    url = match?.id as string | undefined;
  }
  if (url === undefined) {
    const [titled] = (await ctx.manager.query(
      link.activity_id
        ? `SELECT title->>'zh-CN' AS label FROM activity WHERE organization_id = $1 AND id = $2`
        : `SELECT title->>'zh-CN' AS label FROM course WHERE organization_id = $1 AND id = $2`,
      [ctx.orgId, link.activity_id ?? link.course_id],
    )) as { label: string }[];
    const res = await withToken(ctx, req, link.lineitems_url, {
      method: 'POST',
      headers: { 'content-type': AGS_MEDIA.lineItem, accept: AGS_MEDIA.lineItem },
      body: JSON.stringify({ scoreMaximum: link.score_maximum, label: titled?.label ?? 'Coursegraph', resourceLinkId: link.resource_link_id, resourceId: link.activity_id ?? link.course_id }),
    });
    const created = (await res.json().catch(() => null)) as { id?: unknown } | null;
    if (!created || typeof created.id !== 'string') throw new LtiPlatformError(res.status, link.lineitems_url, 'invalid_lineitem', 'the created line item has no id');
    url = created.id;
  }
  const lineitem: string = url;
  await ctx.manager.query(
    `UPDATE lti_grade_link SET lineitem_url = $4, updated_at = now() WHERE organization_id = $1 AND lti_context_id = $2 AND resource_link_id = $3 AND lineitem_url IS NULL`,
    [ctx.orgId, link.lti_context_id, link.resource_link_id, lineitem],
  );
  return lineitem;
}

/** What one delivery did, per grade link (logs and tests). */
export type DeliveryOutcome = 'sent' | 'unchanged' | 'no-score-scope' | 'refused';

/**
 * Sends the current score of a learner's grade links to the platform (AGS `POST <lineitem>/scores`):
 * the links of the enrollment for `activityKey` (null: the course as a whole). A lock per link is
 * held while its state is read, sent and recorded, so the jobs of one link take turns and each
 * reads what the one before it saw or newer. The state is the current one, read now, whatever the
 * event carried: a job for an older change finds it already delivered (or a newer one) and does
 * nothing. The timestamp is the time of that reading, later than any sent before for the link, so
 * the platform never takes an older score for a newer one. A platform failure throws (the job is
 * retried), except a refusal that a retry cannot change (LtiRequestRefused): that one is audited
 * (`lti.score_refused`, with the status and the platform's error code) and logged, and the next
 * change sends the state of then. (The job does not skip on the change's own time: a change made
 * before a delivery read the state but committed after it would then be lost.)
 */
export async function deliverScoreChange(ctx: RequestContext, change: { enrollmentId: string; activityKey: string | null }): Promise<DeliveryOutcome[]> {
  const ids = (await ctx.manager.query(
    `SELECT id FROM lti_grade_link WHERE organization_id = $1 AND enrollment_id = $2 AND activity_key IS NOT DISTINCT FROM $3::uuid ORDER BY id`,
    [ctx.orgId, change.enrollmentId, change.activityKey],
  )) as { id: string }[];
  const links: (LinkRow & { last_sent_score: AgsScore | null })[] = [];
  for (const { id } of ids) {
    // A lock of the link's deliveries only (not its row: a launch updating the link never waits
    // for a slow platform); the row is read after it, so it shows what the previous delivery wrote.
    await ctx.manager.query(`SELECT pg_advisory_xact_lock(hashtextextended('lti_grade_link:' || $1, 0))`, [id]);
    links.push(...((await ctx.manager.query(
      `SELECT l.id, l.lti_context_id, l.enrollment_id, l.resource_link_id, l.sub, l.activity_id, l.activity_key, l.lineitem_url, l.score_maximum, l.last_sent_score,
              c.course_id, c.client_id, c.token_url, c.lineitems_url, c.ags_scopes
         FROM lti_grade_link l JOIN lti_context c ON c.organization_id = l.organization_id AND c.id = l.lti_context_id
        WHERE l.organization_id = $1 AND l.id = $2`,
      [ctx.orgId, id],
    )) as (LinkRow & { last_sent_score: AgsScore | null })[]));
  }
  const outcomes: DeliveryOutcome[] = [];
  for (const link of links) {
    if (link.ags_scopes.length && !link.ags_scopes.includes(SCOPES.score)) {
      ctx.log.warn({ gradeLink: link.id }, 'LTI platform did not grant the score scope: no grade passback');
      outcomes.push('no-score-scope');
      continue;
    }
    const state = await readState(ctx, link);
    if (!state || alreadySent(state, link.last_sent_score)) {
      outcomes.push('unchanged');
      continue;
    }
    // Now, in milliseconds (as sent), and after the last timestamp sent for this link.
    const [{ at, iso }] = (await ctx.manager.query(
      `SELECT t::text AS at, to_char(t AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS iso
         FROM (SELECT date_trunc('milliseconds', GREATEST(clock_timestamp(), COALESCE(last_sent_at + interval '1 millisecond', '-infinity'))) AS t
                 FROM lti_grade_link WHERE organization_id = $1 AND id = $2) x`,
      [ctx.orgId, link.id],
    )) as { at: string; iso: string }[];
    const score: AgsScore = { userId: link.sub, ...state, timestamp: iso };
    try {
      const lineitem = link.lineitem_url ?? (await ensureLineItem(ctx, link));
      await withToken(ctx, tokenRequest(ctx, link), scoresUrl(lineitem), {
        method: 'POST',
        headers: { 'content-type': AGS_MEDIA.score },
        body: JSON.stringify(score),
      });
    } catch (err) {
      if (!(err instanceof LtiRequestRefused)) throw err;
      const { status, code, url } = err.refusal;
      ctx.log.warn({ gradeLink: link.id, status, code, url }, 'LTI platform refused the score for good: not retried');
      await auditService.record(ctx, {
        action: 'lti.score_refused', entityType: 'Enrollment', entityId: link.enrollment_id, after: { gradeLink: link.id, status, code, url },
      });
      outcomes.push('refused');
      continue;
    }
    await ctx.manager.query(
      `UPDATE lti_grade_link SET last_sent_at = $3::timestamptz, last_sent_score = $4::jsonb, updated_at = now() WHERE organization_id = $1 AND id = $2`,
      [ctx.orgId, link.id, at, JSON.stringify(score)],
    );
    outcomes.push('sent');
  }
  return outcomes;
}
