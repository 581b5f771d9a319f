import { IssueList, validateAssessment, type Assessment, type Issue, type IssuePath, type QuestionKind } from './engine';

/**
 * What a JSON value must look like at one place of an assessment document. The engine checks
 * meaning (ids, ranges, bands); this checks form first, so the engine only ever sees well-typed
 * data, and copies only known fields, so nothing unknown is stored or handed back.
 */
type Spec =
  | 'string'
  | 'number'
  | 'boolean'
  | 'text'
  | { list: Spec }
  | { fields: Record<string, Spec>; optional?: readonly string[] }
  | { nullable: Spec };

const text = 'text';
const option: Spec = { fields: { id: 'string', text } };
const choice: Spec = { fields: { id: 'string', text, correct: 'boolean' } };

const QUESTION_COMMON: Record<string, Spec> = {
  id: 'string', kind: 'string', prompt: text, points: 'number', tags: { list: 'string' }, explanation: text,
  feedback: { fields: { correct: text, incorrect: text }, optional: ['correct', 'incorrect'] },
};
const COMMON_OPTIONAL = ['explanation', 'feedback'];

/** Kind-specific fields and which of them may be left out. */
const QUESTION_FIELDS: Record<QuestionKind, { fields: Record<string, Spec>; optional?: string[] }> = {
  SINGLE_CHOICE: { fields: { options: { list: choice } } },
  MULTIPLE_CHOICE: { fields: { options: { list: choice }, partialCredit: 'boolean' } },
  TRUE_FALSE: { fields: { answer: 'boolean' } },
  FILL_IN: { fields: { accepted: { list: 'string' } } },
  ORDERING: { fields: { options: { list: option }, partialCredit: 'boolean' }, optional: ['partialCredit'] },
  MATCHING: {
    fields: { left: { list: option }, right: { list: option }, pairs: { list: { fields: { left: 'string', right: 'string' } } }, partialCredit: 'boolean' },
    optional: ['partialCredit'],
  },
  SCALE: { fields: { leftPole: text, rightPole: text, scaleFrom: 'number', scaleTo: 'number', reverse: 'boolean' }, optional: ['reverse'] },
};

const SETTINGS: Spec = {
  fields: {
    kind: 'string', passingScore: { nullable: 'number' }, attemptsAllowed: { nullable: 'number' }, gradingMethod: 'string',
    timeLimitSeconds: { nullable: 'number' }, shuffleQuestions: 'boolean', shuffleOptions: 'boolean',
    draw: { list: { fields: { tag: 'string', count: 'number' } } },
    reviewPolicy: { fields: { show: 'string', when: 'string' } },
    scoreBands: { list: { fields: { min: 'number', max: 'number', label: text, interpretation: text } } },
  },
};

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

function readFields(fields: Record<string, Spec>, optional: readonly string[], value: unknown, path: IssuePath, issues: IssueList): unknown {
  if (!isObject(value)) return issues.refuse('INVALID', 'must be an object', path);
  const out: Record<string, unknown> = {};
  for (const [name, spec] of Object.entries(fields)) {
    if (value[name] === undefined && optional.includes(name)) continue;
    if (value[name] === undefined) issues.add('INVALID', `${name} is required`, [...path, name]);
    else out[name] = read(spec, value[name], [...path, name], issues);
  }
  return out;
}

/**
 * A text as `{ zhCN, en }`, the API's spelling everywhere else, or as the stored `{ "zh-CN", en }`
 * that documents were first written in; stored as the latter, as course titles are.
 */
function readText(value: unknown, path: IssuePath, issues: IssueList): unknown {
  if (!isObject(value)) return issues.refuse('INVALID', 'must be an object', path);
  if (value.zhCN !== undefined && value['zh-CN'] !== undefined) return issues.refuse('INVALID', 'give zhCN only', [...path, 'zh-CN']);
  const zh = value.zhCN ?? value['zh-CN'];
  if (zh === undefined) return issues.refuse('INVALID', 'zhCN is required', [...path, 'zhCN']);
  const spelled = { 'zh-CN': zh, ...(value.en === undefined || value.en === null ? {} : { en: value.en }) };
  return readFields({ 'zh-CN': 'string', en: 'string' }, ['en'], spelled, path, issues);
}

function read(spec: Spec, value: unknown, path: IssuePath, issues: IssueList): unknown {
  if (spec === 'text') return readText(value, path, issues);
  if (typeof spec === 'string') return typeof value === spec ? value : issues.refuse('INVALID', `must be a ${spec}`, path);
  if ('nullable' in spec) return value === null ? null : read(spec.nullable, value, path, issues);
  if ('list' in spec) {
    if (!Array.isArray(value)) return issues.refuse('INVALID', 'must be a list', path);
    return value.map((item, i) => read(spec.list, item, [...path, i], issues));
  }
  return readFields(spec.fields, spec.optional ?? [], value, path, issues);
}

function readQuestion(value: unknown, path: IssuePath, issues: IssueList): unknown {
  if (!isObject(value)) return issues.refuse('INVALID', 'must be an object', path);
  const kind = value.kind;
  const specific = typeof kind === 'string' && Object.hasOwn(QUESTION_FIELDS, kind) ? QUESTION_FIELDS[kind as QuestionKind] : null;
  if (!specific) return issues.refuse('INVALID', 'kind must be one of SINGLE_CHOICE, MULTIPLE_CHOICE, TRUE_FALSE, FILL_IN, ORDERING, MATCHING, SCALE', [...path, 'kind']);
  const optional = [...COMMON_OPTIONAL, ...(specific.optional ?? [])];
  return readFields({ ...QUESTION_COMMON, ...specific.fields }, optional, value, path, issues);
}

const DOCUMENT_FIELDS: Record<string, Spec> = { key: 'string', title: text, description: text, settings: SETTINGS };

/**
 * Reads an authored assessment document (the engine's `Assessment` as JSON): its form, then the
 * engine's authoring rules. Returns the canonical copy to store, or the issues (paths relative
 * to the document).
 */
export function parseAssessmentDocument(raw: unknown): { ok: true; assessment: Assessment } | { ok: false; issues: Issue[] } {
  const issues = new IssueList();
  const head = readFields(DOCUMENT_FIELDS, ['description'], raw, [], issues) as Record<string, unknown> | null;
  const questions = isObject(raw) && Array.isArray(raw.questions)
    ? raw.questions.map((q, i) => readQuestion(q, ['questions', i], issues))
    : issues.add('INVALID', 'questions must be a list', ['questions']);
  if (!issues.ok || !head) return { ok: false, issues: issues.items };
  const assessment = { ...head, questions } as Assessment;
  const found = validateAssessment(assessment);
  return found.length ? { ok: false, issues: found } : { ok: true, assessment };
}
