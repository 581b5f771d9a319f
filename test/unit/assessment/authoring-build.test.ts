import 'reflect-metadata';
import { assessmentFromInput } from '../../../src/modules/assessment/authoring.build';
import type { AuthorAssessmentInput, QuestionInput } from '../../../src/modules/assessment/authoring.inputs';

const zh = (s: string) => ({ zhCN: s });
const input = (questions: unknown[]): AuthorAssessmentInput => ({ activityId: 'x', key: 'unit-quiz', title: zh('测验'), questions: questions as QuestionInput[] });
const tf = { key: 'tf', prompt: zh('对吗?'), answer: true };

test('a question with no kind or two kinds set is refused at its index, for callers that bypass GraphQL', () => {
  const result = assessmentFromInput(input([{ trueFalse: tf }, {}, { trueFalse: tf, fillIn: { ...tf, accepted: ['x'] } }]));
  expect(result).toEqual({ ok: false, issues: [
    { code: 'INVALID', message: expect.any(String), path: ['questions', 1] },
    { code: 'INVALID', message: expect.any(String), path: ['questions', 2] },
  ] });
});

test('engine issues come back at input paths: the kind field, key for id, zhCN for zh-CN; texts are stored as zh-CN', () => {
  const bad = { key: 'q', prompt: zh('排序'), explanation: zh(' '), options: [{ key: 'a b', text: zh('甲') }, { key: 'c', text: { zhCN: ' 乙 ', en: ' ' } }] };
  const refused = assessmentFromInput(input([{ ordering: bad }]));
  expect(refused.ok ? [] : refused.issues.map((i) => i.path)).toEqual([
    ['questions', 0, 'ordering', 'explanation', 'zhCN'],
    ['questions', 0, 'ordering', 'options', 0, 'key'],
  ]);
  const built = assessmentFromInput(input([{ ordering: { ...bad, explanation: null, options: [bad.options[1], { key: 'a', text: zh('甲') }] } }]));
  expect(built.ok && built.assessment.questions[0]).toEqual({
    id: 'q', kind: 'ORDERING', prompt: { 'zh-CN': '排序' }, points: 1, tags: [], partialCredit: false,
    options: [{ id: 'c', text: { 'zh-CN': '乙' } }, { id: 'a', text: { 'zh-CN': '甲' } }],
  });
});
