import type { RequestContext } from '../../shared/context';
import { UserError, UserErrorCode, UserErrors } from '../../shared/payload';
import { InputCheck } from '../../shared/validate';
import { AssessmentAttemptStatus } from './assessment-attempt.entity';
import type { AnswerInput } from './assessment.inputs';
import { DEADLINE_GRACE_SQL } from './attempt.time';
import { validateAnswers, type Answer, type Issue, type Question } from './engine';
import { msg } from '../../shared/i18n/message';

/** The input fields that carry an answer, and the key each one has in the engine's answer shape. */
const ENGINE_KEY = { optionId: 'optionId', optionIds: 'optionIds', value: 'value', text: 'text', pairs: 'pairs', scale: 'value' } as const;
type AnswerField = keyof typeof ENGINE_KEY;
const FIELDS = Object.keys(ENGINE_KEY) as AnswerField[];
const MAX_QUESTION_ID = 128;
const PATH = ['input', 'answers'];

/** Checked answers to store, and the questions whose answers are cleared. */
export interface AnswerChanges {
  set: Record<string, Answer>;
  cleared: string[];
}

function engineShape(field: AnswerField, input: AnswerInput): unknown {
  if (field === 'pairs') return { pairs: input.pairs!.map((p) => ({ left: p.left, right: p.right })) };
  return { [ENGINE_KEY[field]]: input[field] };
}

/** An engine issue (path `[questionId, ...]`) at the input's path, naming the field the learner used. */
function toUserError(issue: Issue, indexOf: Map<string, number>, usedField: Map<string, AnswerField>): UserError {
  const [questionId, ...rest] = issue.path.map(String);
  const index = indexOf.get(questionId) ?? 0;
  if (rest.length === 0) return new UserError(issue.code as UserErrorCode, issue.message, [...PATH, index, 'questionId']);
  const used = usedField.get(questionId);
  if (used && ENGINE_KEY[used] === rest[0]) rest[0] = used;
  return new UserError(issue.code as UserErrorCode, issue.message, [...PATH, index, ...rest]);
}

/**
 * Checks a saveAnswers input against the attempt's questions with the engine: one field per
 * answer that fits the question, known option ids, no repeats, sizes within limits, and only
 * questions of this attempt. Throws UserErrors (so nothing is saved) on any problem.
 */
export function checkAnswerInputs(inputs: AnswerInput[], questions: readonly Question[]): AnswerChanges {
  const check = new InputCheck();
  if (!check.count(inputs, PATH, questions.length, 1)) throw new UserErrors(check.errors);
  const raw = Object.create(null) as Record<string, unknown>;
  const indexOf = new Map<string, number>();
  const usedField = new Map<string, AnswerField>();
  inputs.forEach((input, i) => {
    const given = FIELDS.filter((f) => input[f] !== null && input[f] !== undefined);
    if ([...input.questionId].length > MAX_QUESTION_ID) check.add(UserErrorCode.TOO_LARGE, 'questionId is too long', [...PATH, i, 'questionId']);
    else if (indexOf.has(input.questionId)) check.add(UserErrorCode.DUPLICATE, 'the question is answered twice in this call', [...PATH, i, 'questionId']);
    else if (given.length > 1) check.add(UserErrorCode.INVALID, msg('give one answer field, not {fields}', { fields: given.join(', ') }), [...PATH, i]);
    else {
      indexOf.set(input.questionId, i);
      if (given[0]) usedField.set(input.questionId, given[0]);
      raw[input.questionId] = given[0] ? engineShape(given[0], input) : null;
    }
  });
  if (!check.ok) throw new UserErrors(check.errors);
  const result = validateAnswers(questions, raw, []);
  if (!result.ok) throw new UserErrors(result.issues.map((issue) => toUserError(issue, indexOf, usedField)));
  return { set: result.answers, cleared: Object.keys(raw).filter((id) => raw[id] === null) };
}

/**
 * Stores answers on an attempt that is still open and within its deadline (plus grace), in one
 * statement, so a concurrent submit or the deadline cannot slip in between. False when refused.
 */
export async function storeAnswers(ctx: RequestContext, attemptId: string, changes: AnswerChanges): Promise<boolean> {
  const [rows] = (await ctx.manager.query(
    `UPDATE assessment_attempt SET
       answers = (answers || $3::jsonb) - $4::text[],
       answered_at = (answered_at || COALESCE((SELECT jsonb_object_agg(k, now()) FROM unnest($5::text[]) AS k), '{}'::jsonb)) - $4::text[],
       updated_at = now()
     WHERE organization_id = $1 AND id = $2 AND status = '${AssessmentAttemptStatus.IN_PROGRESS}'
       AND (deadline_at IS NULL OR now() <= deadline_at + ${DEADLINE_GRACE_SQL})
     RETURNING id`,
    [ctx.orgId, attemptId, JSON.stringify(changes.set), changes.cleared, Object.keys(changes.set)],
  )) as [{ id: string }[], number];
  return rows.length === 1;
}
