import type { RequestContext } from '../../../shared/context';
import { accessToken, invalidateToken, SCOPES, type TokenRequest } from './token-client';
import { LtiPlatformError, platformFetch } from './platform-http';

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

/** The state to send, read at delivery time: the score message and the state's time (full precision, for the ledger). */
interface State {
  score: Omit<AgsScore, 'userId'>;
  at: string;
  newer: boolean;
}

/** The AGS scopes asked for: what the platform granted of those this tool uses (one set per context, so one cached token). */
export function agsScopes(granted: readonly string[]): string[] {
  const wanted = [SCOPES.score, SCOPES.lineitem, SCOPES.lineitemReadonly, SCOPES.resultReadonly];
  const chosen = granted.length ? wanted.filter((s) => granted.includes(s)) : [SCOPES.score];
  return chosen.length ? chosen : [SCOPES.score];
}

const round = (n: number): number => Math.round(n * 10_000) / 10_000;

/** `<lineitem>/scores`, keeping the line item URL's query (Canvas and Moodle add one). */
export function scoresUrl(lineitem: string): string {
  const u = new URL(lineitem);
  u.pathname = `${u.pathname.replace(/\/$/, '')}/scores`;
  return u.toString();
}

/**
 * The learner's current state as AGS puts it. An activity: its best score (scaled, or raw within
 * min..max) and its completion; an activity without a score gives full marks once completed. A
 * course as a whole: the share of its required activities done. `at` is when that state was
 * recorded; `newer` whether it is newer than what was sent last.
 */
async function readState(ctx: RequestContext, link: LinkRow & { last_sent_at: Date | null }): Promise<State> {
  const max = link.score_maximum;
  if (link.activity_key) {
    const [p] = (await ctx.manager.query(
      `SELECT p.completion_status, p.success_status, p.score_scaled, p.score_raw, p.score_min, p.score_max, p.completed, p.attempt_count,
              p.updated_at::text AS at, p.updated_at > COALESCE(l.last_sent_at, '-infinity') AS newer
         FROM lti_grade_link l JOIN activity_progress p ON p.organization_id = l.organization_id AND p.enrollment_id = l.enrollment_id AND p.activity_key = l.activity_key
        WHERE l.organization_id = $1 AND l.id = $2`,
      [ctx.orgId, link.id],
    )) as { completion_status: string; success_status: string; score_scaled: number | null; score_raw: number | null; score_min: number | null; score_max: number | null; completed: boolean; attempt_count: number; at: string; newer: boolean }[];
    if (!p) return { score: { activityProgress: 'Initialized', gradingProgress: 'NotReady', timestamp: '' }, at: '', newer: false };
    let scaled = p.score_scaled;
    if (scaled === null && p.score_raw !== null && p.score_max !== null && p.score_max > (p.score_min ?? 0)) scaled = (p.score_raw - (p.score_min ?? 0)) / (p.score_max - (p.score_min ?? 0));
    const done = p.completed || p.completion_status === 'completed';
    if (scaled === null && done) scaled = 1;
    const graded = scaled !== null && (done || p.success_status !== 'unknown');
    return {
      at: p.at,
      newer: p.newer,
      score: {
        ...(scaled === null ? {} : { scoreGiven: round(Math.min(1, Math.max(0, scaled)) * max), scoreMaximum: max }),
        activityProgress: done ? 'Completed' : p.completion_status === 'incomplete' || p.attempt_count > 0 ? 'InProgress' : 'Started',
        gradingProgress: graded ? 'FullyGraded' : scaled === null ? 'NotReady' : 'Pending',
        timestamp: '',
      },
    };
  }
  const [e] = (await ctx.manager.query(
    `SELECT e.status, e.progress_percent, e.updated_at::text AS at, e.updated_at > COALESCE(l.last_sent_at, '-infinity') AS newer
       FROM lti_grade_link l JOIN enrollment e ON e.organization_id = l.organization_id AND e.id = l.enrollment_id
      WHERE l.organization_id = $1 AND l.id = $2`,
    [ctx.orgId, link.id],
  )) as { status: string; progress_percent: number; at: string; newer: boolean }[];
  if (!e) return { score: { activityProgress: 'Initialized', gradingProgress: 'NotReady', timestamp: '' }, at: '', newer: false };
  const done = e.status === 'COMPLETED';
  return {
    at: e.at,
    newer: e.newer,
    score: {
      scoreGiven: round((e.progress_percent / 100) * max),
      scoreMaximum: max,
      activityProgress: done ? 'Completed' : e.status === 'IN_PROGRESS' ? 'InProgress' : 'Initialized',
      gradingProgress: done ? 'FullyGraded' : 'Pending',
      timestamp: '',
    },
  };
}

const tokenRequest = (ctx: RequestContext, link: LinkRow): TokenRequest => ({
  organizationId: ctx.orgId, tokenUrl: link.token_url, clientId: link.client_id, scopes: agsScopes(link.ags_scopes),
});

/** A request with the platform's access token; a 401 forgets the cached token (the retry gets a new one). */
async function withToken(ctx: RequestContext, req: TokenRequest, url: string, init: RequestInit): Promise<Response> {
  const token = await accessToken(ctx, req);
  try {
    return await platformFetch(url, { ...init, headers: { ...(init.headers as Record<string, string>), authorization: `Bearer ${token}` } });
  } catch (err) {
    if (err instanceof LtiPlatformError && err.status === 401) invalidateToken(req);
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
    const search = new URL(link.lineitems_url);
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
export type DeliveryOutcome = 'sent' | 'stale' | 'unchanged' | 'no-score-scope';

/**
 * Sends the current score of a learner's grade links to the platform (AGS `POST <lineitem>/scores`):
 * the links of the enrollment for `activityKey` (null: the course as a whole). A change older than
 * or as old as what was delivered last does nothing, and so does a state already delivered: the
 * platform never receives an older score after a newer one. Holds each link's row lock while it
 * sends, so two jobs of one link take turns. A platform failure throws (the job is retried).
 */
export async function deliverScoreChange(ctx: RequestContext, change: { enrollmentId: string; activityKey: string | null; at: string | null }): Promise<DeliveryOutcome[]> {
  const links = (await ctx.manager.query(
    `SELECT l.id, l.lti_context_id, l.enrollment_id, l.resource_link_id, l.sub, l.activity_id, l.activity_key, l.lineitem_url, l.score_maximum, l.last_sent_at,
            c.course_id, c.client_id, c.token_url, c.lineitems_url, c.ags_scopes,
            $4::timestamptz IS NOT NULL AND $4::timestamptz <= l.last_sent_at AS stale
       FROM lti_grade_link l JOIN lti_context c ON c.organization_id = l.organization_id AND c.id = l.lti_context_id
      WHERE l.organization_id = $1 AND l.enrollment_id = $2 AND l.activity_key IS NOT DISTINCT FROM $3::uuid
      ORDER BY l.id FOR UPDATE OF l`,
    [ctx.orgId, change.enrollmentId, change.activityKey, change.at],
  )) as (LinkRow & { last_sent_at: Date | null; stale: boolean })[];
  const outcomes: DeliveryOutcome[] = [];
  for (const link of links) {
    if (link.stale) {
      outcomes.push('stale');
      continue;
    }
    if (link.ags_scopes.length && !link.ags_scopes.includes(SCOPES.score)) {
      ctx.log.warn({ gradeLink: link.id }, 'LTI platform did not grant the score scope: no grade passback');
      outcomes.push('no-score-scope');
      continue;
    }
    const state = await readState(ctx, link);
    if (!state.newer) {
      outcomes.push('unchanged');
      continue;
    }
    const [{ iso }] = (await ctx.manager.query(`SELECT to_char($1::timestamptz AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS iso`, [state.at])) as { iso: string }[];
    const score: AgsScore = { userId: link.sub, ...state.score, timestamp: iso };
    const lineitem = link.lineitem_url ?? (await ensureLineItem(ctx, link));
    await withToken(ctx, tokenRequest(ctx, link), scoresUrl(lineitem), {
      method: 'POST',
      headers: { 'content-type': AGS_MEDIA.score },
      body: JSON.stringify(score),
    });
    await ctx.manager.query(
      `UPDATE lti_grade_link SET last_sent_at = $3::timestamptz, last_sent_score = $4::jsonb, updated_at = now() WHERE organization_id = $1 AND id = $2`,
      [ctx.orgId, link.id, state.at, JSON.stringify(score)],
    );
    outcomes.push('sent');
  }
  return outcomes;
}
