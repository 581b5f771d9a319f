import { randomBytes } from 'node:crypto';
import type { ClientBase } from 'pg';

/** Courses every generated employee is enrolled in: report rows = employees × COURSES (open cycles). */
export const SCALE_COURSES = 10;
/** Employees written per statement batch (a multiple of TEAM_SIZE, so a team's manager is in its batch). */
const BATCH_USERS = 5000;
const TEAM_SIZE = 50;

export interface ScaleOptions {
  /** Report rows wanted (open enrollment cycles); past cycles come on top. */
  rows: number;
  /** Called after each batch with the rows written so far and the total. */
  onProgress?: (done: number, total: number) => void;
}

export interface ScaleResult {
  users: number;
  courses: number;
  rows: number;
  /** A prefix of the generated employees' external ids (`<prefix>-<n>`). */
  prefix: string;
}

/** A uuid that the same seed always gives (md5 of the run's salt and the parts). */
const uuidOf = (salt: string, ...parts: string[]): string => `md5('${salt}' || ${parts.join(` || '-' || `)})::uuid`;

/**
 * Enrollment outcomes by a bucket 0–99 of (employee, course): not started, in progress, overdue,
 * withdrawn, then completed with a certificate that is active (some expiring within 30 days),
 * expired or revoked. A third of the completed pairs also have a past cycle whose certificate was
 * superseded by the current one.
 */
const BUCKET = `((g * 7 + j * 13) % 100)`;

async function courses(db: ClientBase, org: string, salt: string): Promise<void> {
  await db.query(`INSERT INTO course (organization_id, id, code, title, status, validity_days, published_at)
    SELECT $1, ${uuidOf(salt, "'c'", 'j::text')}, 'SC' || upper(substr('${salt}', 1, 4)) || '-' || j,
           jsonb_build_object('zh-CN', '合规课程 ' || j, 'en', 'Compliance course ' || j), 'PUBLISHED', 365, now() - interval '2 years'
      FROM generate_series(1, ${SCALE_COURSES}) j`, [org]);
  await db.query(`INSERT INTO course_revision (organization_id, id, course_id, number, status, published_at)
    SELECT $1, ${uuidOf(salt, "'r'", 'j::text')}, ${uuidOf(salt, "'c'", 'j::text')}, 1, 'PUBLISHED', now() - interval '2 years'
      FROM generate_series(1, ${SCALE_COURSES}) j`, [org]);
  await db.query(`UPDATE course SET published_revision_id = ${uuidOf(salt, "'r'", 'j::text')}
      FROM generate_series(1, ${SCALE_COURSES}) j WHERE organization_id = $1 AND id = ${uuidOf(salt, "'c'", 'j::text')}`, [org]);
}

/** Employees lo..hi over a five-level org tree (400 teams), each team's first member its manager. */
async function users(db: ClientBase, org: string, salt: string, lo: number, hi: number): Promise<void> {
  await db.query(`INSERT INTO app_user (organization_id, id, external_id, employee_id, name, email, org_unit_path, job_title, manager_id, roles)
    SELECT $1, ${uuidOf(salt, "'u'", 'g::text')}, '${salt}-' || g, 'E' || upper(substr('${salt}', 1, 4)) || lpad(g::text, 8, '0'),
           (ARRAY['王','李','张','刘','陈','杨','赵','黄'])[1 + g % 8] || (ARRAY['伟','芳','娜','敏','静','磊','洋','艳','勇','军'])[1 + (g / 8) % 10] || g,
           'e' || g || '@scale.test',
           '总部/大区' || (1 + g % 4) || '/分公司' || (1 + (g / 4) % 5) || '/营业厅' || (1 + (g / 20) % 5) || '/班组' || (1 + (g / 100) % 4),
           (ARRAY['营业员','客服专员','店长','质检员'])[1 + g % 4],
           CASE WHEN (g - 1) % ${TEAM_SIZE} = 0 THEN NULL ELSE ${uuidOf(salt, "'u'", `(((g - 1) / ${TEAM_SIZE}) * ${TEAM_SIZE} + 1)::text`)} END,
           CASE WHEN (g - 1) % ${TEAM_SIZE} = 0 THEN '{LEARNER,MANAGER}'::text[] ELSE '{LEARNER}'::text[] END
      FROM generate_series(${lo}, ${hi}) g`, [org]);
}

/** Open cycles of employees lo..hi in every course, and past (closed, completed) cycles for a third of the completed ones. */
async function enrollments(db: ClientBase, org: string, salt: string, lo: number, hi: number): Promise<void> {
  const pairs = `FROM generate_series(${lo}, ${hi}) g CROSS JOIN generate_series(1, ${SCALE_COURSES}) j`;
  const renewed = `(${BUCKET} >= 45 AND (g + j) % 3 = 0)`;
  await db.query(`INSERT INTO enrollment (organization_id, id, user_id, course_id, revision_id, source, status, assigned_at, assigned_by,
        due_at, started_at, completed_at, withdrawn_at, progress_percent, cycle)
    SELECT $1, ${uuidOf(salt, "'e'", 'g::text', 'j::text', "'open'")}, ${uuidOf(salt, "'u'", 'g::text')}, ${uuidOf(salt, "'c'", 'j::text')},
           ${uuidOf(salt, "'r'", 'j::text')}, 'ADMIN',
           CASE WHEN b < 15 THEN 'NOT_STARTED' WHEN b < 30 THEN 'IN_PROGRESS' WHEN b < 40 THEN (ARRAY['NOT_STARTED','IN_PROGRESS'])[1 + b % 2]
                WHEN b < 45 THEN 'WITHDRAWN' ELSE 'COMPLETED' END,
           now() - make_interval(days => 60 + b), 'system:scale',
           CASE WHEN b BETWEEN 30 AND 39 THEN now() - make_interval(days => 1 + b % 9) ELSE now() + make_interval(days => 10 + b) END,
           CASE WHEN b >= 15 AND NOT (b BETWEEN 30 AND 39 AND b % 2 = 0) THEN now() - make_interval(days => 50 + b) END,
           CASE WHEN b >= 45 THEN now() - make_interval(days => b) END,
           CASE WHEN b BETWEEN 40 AND 44 THEN now() - interval '5 days' END,
           CASE WHEN b < 15 THEN 0 WHEN b < 45 THEN 10 + b ELSE 100 END,
           CASE WHEN ${renewed} THEN 2 ELSE 1 END
      FROM (SELECT g, j, ${BUCKET} AS b ${pairs}) x`, [org]);
  await db.query(`INSERT INTO enrollment (organization_id, id, user_id, course_id, revision_id, source, status, assigned_at, assigned_by,
        due_at, started_at, completed_at, progress_percent, cycle, closed_at)
    SELECT $1, ${uuidOf(salt, "'e'", 'g::text', 'j::text', "'past'")}, ${uuidOf(salt, "'u'", 'g::text')}, ${uuidOf(salt, "'c'", 'j::text')},
           ${uuidOf(salt, "'r'", 'j::text')}, 'ADMIN', 'COMPLETED', now() - interval '500 days', 'system:scale',
           now() - interval '470 days', now() - interval '495 days', now() - interval '480 days', 100, 1, now() - interval '100 days'
      ${pairs} WHERE ${renewed}`, [org]);
}

/** The certificate columns of a generated cycle; `kind` is 'open' or 'past', `idx` its status list position. */
const certificateSelect = (salt: string, kind: 'open' | 'past', idx: string): string => `$1, ${uuidOf(salt, "'k'", 'g::text', 'j::text', `'${kind}'`)},
    'S' || upper(substr('${salt}', 1, 4)) || '-' || lpad((${idx})::text, 9, '0'),
    translate(upper(substr(md5('${salt}' || 'v' || g || '-' || j || '${kind}'), 1, 20)), '0189', 'QRST'), ${idx},
    ${uuidOf(salt, "'u'", 'g::text')}, ${uuidOf(salt, "'c'", 'j::text')}, ${uuidOf(salt, "'r'", 'j::text')},
    ${uuidOf(salt, "'e'", 'g::text', 'j::text', `'${kind}'`)}, 'x', jsonb_build_object('zh-CN', '合规课程 ' || j), 60 + (g + j) % 41, 'system:scale'`;

const CERTIFICATE_COLUMNS = `organization_id, id, number, verification_code, status_list_index, user_id, course_id, revision_id, enrollment_id,
    holder_name, course_title, score, issued_by, cycle, issued_at, valid_from, valid_until, status, revoked_at, revoked_by, revocation_reason,
    superseded_at, superseded_by_id`;

/** Certificates of the completed cycles of employees lo..hi; status list positions from `base` on. */
async function certificates(db: ClientBase, org: string, salt: string, lo: number, hi: number, base: number): Promise<void> {
  const idx = (k: number) => `${base} + ((g - 1) * ${SCALE_COURSES} + (j - 1)) * 2 + ${k}`;
  const pairs = `FROM (SELECT g, j, ${BUCKET} AS b FROM generate_series(${lo}, ${hi}) g CROSS JOIN generate_series(1, ${SCALE_COURSES}) j) x`;
  await db.query(`INSERT INTO certificate (${CERTIFICATE_COLUMNS})
    SELECT ${certificateSelect(salt, 'open', idx(2))}, CASE WHEN (g + j) % 3 = 0 THEN 2 ELSE 1 END,
           now() - make_interval(days => b), now() - make_interval(days => b),
           CASE WHEN b < 53 THEN now() + make_interval(days => 2 + (b - 45) * 3) WHEN b < 80 THEN now() + make_interval(days => 100 + b)
                WHEN b < 90 THEN now() - make_interval(days => b - 79) ELSE now() + interval '200 days' END,
           CASE WHEN b >= 90 THEN 'REVOKED' ELSE 'ACTIVE' END,
           CASE WHEN b >= 90 THEN now() - interval '3 days' END, CASE WHEN b >= 90 THEN 'system:scale' END,
           CASE WHEN b >= 90 THEN (ARRAY['考核作弊', '=证书信息有误', '离职'])[1 + g % 3] END, NULL::timestamptz, NULL::uuid
      ${pairs} WHERE b >= 45`, [org]);
  await db.query(`INSERT INTO certificate (${CERTIFICATE_COLUMNS})
    SELECT ${certificateSelect(salt, 'past', idx(1))}, 1, now() - interval '480 days', now() - interval '480 days', now() - interval '115 days',
           'SUPERSEDED', NULL, NULL, NULL, now() - make_interval(days => b), ${uuidOf(salt, "'k'", 'g::text', 'j::text', "'open'")}
      ${pairs} WHERE b >= 45 AND (g + j) % 3 = 0`, [org]);
}

/** Moves the organization's status list counter past the generated positions, so issuing goes on after them. */
async function advanceCounter(db: ClientBase, org: string, last: number): Promise<void> {
  await db.query(`INSERT INTO certificate_counter AS k (organization_id, id, scope, last_value) VALUES ($1, gen_random_uuid(), 'status-list', $2)
    ON CONFLICT (organization_id, scope) DO UPDATE SET last_value = greatest(k.last_value, $2)`, [org, last]);
}

/**
 * Fills a tenant with a large, realistic data set in set-based batches (INSERT … SELECT
 * generate_series): employees over a deep org tree with managers, courses with a published
 * revision, enrollments in every status over one or two cycles, certificates in every state.
 * Runs on an owner connection with triggers off (`session_replication_role = replica`): the
 * completed cycles are history, not news for the outbox. ANALYZEs the tables at the end.
 */
export async function generateScale(db: ClientBase, organizationId: string, opts: ScaleOptions): Promise<ScaleResult> {
  const salt = randomBytes(6).toString('hex');
  const userCount = Math.max(1, Math.ceil(opts.rows / SCALE_COURSES));
  const total = userCount * SCALE_COURSES;
  const [{ base }] = (await db.query(`SELECT COALESCE(max(last_value), 0) AS base FROM certificate_counter WHERE organization_id = $1 AND scope = 'status-list'`, [organizationId])).rows as { base: number }[];
  await db.query('BEGIN');
  try {
    await db.query(`SET LOCAL session_replication_role = replica`);
    await db.query(`SELECT set_config('app.organization_id', $1, true)`, [organizationId]);
    await courses(db, organizationId, salt);
    for (let lo = 1; lo <= userCount; lo += BATCH_USERS) {
      const hi = Math.min(userCount, lo + BATCH_USERS - 1);
      await users(db, organizationId, salt, lo, hi);
      await enrollments(db, organizationId, salt, lo, hi);
      await certificates(db, organizationId, salt, lo, hi, base);
      opts.onProgress?.(hi * SCALE_COURSES, total);
    }
    await advanceCounter(db, organizationId, base + total * 2);
    await db.query('COMMIT');
  } catch (err) {
    await db.query('ROLLBACK');
    throw err;
  }
  await db.query('ANALYZE app_user, course, course_revision, enrollment, certificate');
  return { users: userCount, courses: SCALE_COURSES, rows: total, prefix: salt };
}
