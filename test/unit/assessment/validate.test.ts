import { UserErrorCode } from '../../../src/shared/payload';
import {
  validateAssessment,
  validateQuestion,
  type Assessment,
  type FillInQuestion,
  type IssueCode,
  type MatchingQuestion,
  type MultipleChoiceQuestion,
  type OrderingQuestion,
  type ScaleQuestion,
  type SingleChoiceQuestion,
} from '../../../src/modules/assessment/engine';
import { EVERY_KIND, gradedAssessment, selfAssessment } from './fixtures';

/** Question index of each kind in the graded fixture. */
const Q = { single: 0, multiple: 1, tf: 2, fill: 3, order: 4, match: 5, scale: 6 };

function issuesAfter(base: () => Assessment, mutate: (a: Assessment) => void) {
  const assessment = base();
  mutate(assessment);
  return validateAssessment(assessment);
}

const at = <T>(a: Assessment, index: number): T => a.questions[index] as T;

describe('validateAssessment', () => {
  it('accepts well-formed graded and self-assessments', () => {
    expect(validateAssessment(gradedAssessment())).toEqual([]);
    expect(validateAssessment(selfAssessment())).toEqual([]);
  });

  it('uses codes the API can return as UserErrorCode as they are', () => {
    const codes: IssueCode[] = ['INVALID', 'NOT_FOUND', 'DUPLICATE', 'TOO_LARGE'];
    for (const code of codes) expect(Object.values(UserErrorCode)).toContain(code);
  });

  type Case = [name: string, mutate: (a: Assessment) => void, code: IssueCode, path: (string | number)[]];
  const graded: Case[] = [
    ['duplicate option ids', (a) => { at<SingleChoiceQuestion>(a, Q.single).options[2].id = 'a'; }, 'DUPLICATE', ['questions', Q.single, 'options', 2, 'id']],
    ['single choice with two correct', (a) => { at<SingleChoiceQuestion>(a, Q.single).options[0].correct = true; }, 'INVALID', ['questions', Q.single, 'options']],
    ['single choice with none correct', (a) => { at<SingleChoiceQuestion>(a, Q.single).options[1].correct = false; }, 'INVALID', ['questions', Q.single, 'options']],
    ['multiple choice with none correct', (a) => { at<MultipleChoiceQuestion>(a, Q.multiple).options.forEach((o) => (o.correct = false)); }, 'INVALID', ['questions', Q.multiple, 'options']],
    ['one option only', (a) => { at<SingleChoiceQuestion>(a, Q.single).options.splice(0, 2); }, 'INVALID', ['questions', Q.single, 'options']],
    ['more than 36 options', (a) => {
      at<OrderingQuestion>(a, Q.order).options = Array.from({ length: 37 }, (_, i) => ({ id: `o${i}`, text: { 'zh-CN': `${i}` } }));
    }, 'TOO_LARGE', ['questions', Q.order, 'options']],
    ['option id with SCORM delimiters', (a) => { at<OrderingQuestion>(a, Q.order).options[0].id = 'a[,]b'; }, 'INVALID', ['questions', Q.order, 'options', 0, 'id']],
    ['blank option text', (a) => { at<OrderingQuestion>(a, Q.order).options[1].text = { 'zh-CN': ' ' }; }, 'INVALID', ['questions', Q.order, 'options', 1, 'text', 'zh-CN']],
    ['duplicate question ids', (a) => { a.questions[1].id = a.questions[0].id; }, 'DUPLICATE', ['questions', 1, 'id']],
    ['question id with spaces', (a) => { a.questions[0].id = 'q 1'; }, 'INVALID', ['questions', 0, 'id']],
    ['missing Chinese prompt', (a) => { a.questions[2].prompt = { 'zh-CN': '', en: 'x' }; }, 'INVALID', ['questions', 2, 'prompt', 'zh-CN']],
    ['prompt too long', (a) => { a.questions[2].prompt = { 'zh-CN': '长'.repeat(2001) }; }, 'TOO_LARGE', ['questions', 2, 'prompt', 'zh-CN']],
    ['zero points on a graded question', (a) => { a.questions[0].points = 0; }, 'INVALID', ['questions', 0, 'points']],
    ['points on a scale item', (a) => { (a.questions[Q.scale] as { points: number }).points = 1; }, 'INVALID', ['questions', Q.scale, 'points']],
    ['repeated tag', (a) => { a.questions[0].tags = ['x', 'x']; }, 'DUPLICATE', ['questions', 0, 'tags', 1]],
    ['fill-in without accepted answers', (a) => { at<FillInQuestion>(a, Q.fill).accepted = []; }, 'INVALID', ['questions', Q.fill, 'accepted']],
    ['fill-in answers equal ignoring width', (a) => { at<FillInQuestion>(a, Q.fill).accepted = ['ABC', 'ａｂｃ']; }, 'DUPLICATE', ['questions', Q.fill, 'accepted', 1]],
    ['fill-in answer that cannot be typed', (a) => { at<FillInQuestion>(a, Q.fill).accepted = ['x'.repeat(1001)]; }, 'TOO_LARGE', ['questions', Q.fill, 'accepted', 0]],
    ['blank fill-in answer', (a) => { at<FillInQuestion>(a, Q.fill).accepted = ['ok', '\u3000']; }, 'INVALID', ['questions', Q.fill, 'accepted', 1]],
    ['matching pair to an unknown right item', (a) => { at<MatchingQuestion>(a, Q.match).pairs[0].right = 'nope'; }, 'NOT_FOUND', ['questions', Q.match, 'pairs', 0, 'right']],
    ['matching pair from an unknown left item', (a) => { at<MatchingQuestion>(a, Q.match).pairs[0].left = 'nope'; }, 'NOT_FOUND', ['questions', Q.match, 'pairs', 0, 'left']],
    ['matching left item without a pair', (a) => { at<MatchingQuestion>(a, Q.match).pairs.pop(); }, 'INVALID', ['questions', Q.match, 'pairs']],
    ['matching left item paired twice', (a) => { at<MatchingQuestion>(a, Q.match).pairs[1].left = 'l1'; }, 'DUPLICATE', ['questions', Q.match, 'pairs', 1, 'left']],
    ['matching right item used twice', (a) => { at<MatchingQuestion>(a, Q.match).pairs[1].right = 'r1'; }, 'DUPLICATE', ['questions', Q.match, 'pairs', 1, 'right']],
    ['matching id in both columns', (a) => { at<MatchingQuestion>(a, Q.match).right[3].id = 'l1'; }, 'DUPLICATE', ['questions', Q.match, 'right', 3, 'id']],
    ['matching with fewer answers than prompts', (a) => {
      const q = at<MatchingQuestion>(a, Q.match);
      q.left.push({ id: 'l4', text: { 'zh-CN': '4' } }, { id: 'l5', text: { 'zh-CN': '5' } });
      q.pairs.push({ left: 'l4', right: 'rx' }, { left: 'l5', right: 'r3' });
    }, 'INVALID', ['questions', Q.match, 'right']],
    ['scale with equal ends', (a) => { at<ScaleQuestion>(a, Q.scale).scaleTo = 10; }, 'INVALID', ['questions', Q.scale, 'scaleTo']],
    ['scale with a fractional end', (a) => { at<ScaleQuestion>(a, Q.scale).scaleFrom = 9.5; }, 'INVALID', ['questions', Q.scale, 'scaleFrom']],
    ['scale spanning too much', (a) => { at<ScaleQuestion>(a, Q.scale).scaleFrom = 200; }, 'TOO_LARGE', ['questions', Q.scale, 'scaleTo']],
    ['passing score above 100', (a) => { a.settings.passingScore = 120; }, 'INVALID', ['settings', 'passingScore']],
    ['graded without passing score', (a) => { a.settings.passingScore = null; }, 'INVALID', ['settings', 'passingScore']],
    ['zero attempts', (a) => { a.settings.attemptsAllowed = 0; }, 'INVALID', ['settings', 'attemptsAllowed']],
    ['negative time limit', (a) => { a.settings.timeLimitSeconds = -1; }, 'INVALID', ['settings', 'timeLimitSeconds']],
    ['unknown grading method', (a) => { (a.settings as { gradingMethod: string }).gradingMethod = 'BEST'; }, 'INVALID', ['settings', 'gradingMethod']],
    ['unknown review level', (a) => { (a.settings.reviewPolicy as { show: string }).show = 'ALL'; }, 'INVALID', ['settings', 'reviewPolicy', 'show']],
    ['score bands on a graded quiz', (a) => { a.settings.scoreBands = selfAssessment().settings.scoreBands; }, 'INVALID', ['settings', 'scoreBands']],
    ['draw larger than its pool', (a) => { a.questions[0].tags = ['pool']; a.settings.draw = [{ tag: 'pool', count: 2 }]; }, 'INVALID', ['settings', 'draw', 0, 'count']],
    ['draw of zero', (a) => { a.questions[0].tags = ['pool']; a.settings.draw = [{ tag: 'pool', count: 0 }]; }, 'INVALID', ['settings', 'draw', 0, 'count']],
    ['the same pool twice', (a) => { a.questions[0].tags = ['pool']; a.settings.draw = [{ tag: 'pool', count: 1 }, { tag: 'pool', count: 1 }]; }, 'DUPLICATE', ['settings', 'draw', 1, 'tag']],
    ['a question in two pools', (a) => {
      a.questions[0].tags = ['p1', 'p2'];
      a.questions[1].tags = ['p2'];
      a.settings.draw = [{ tag: 'p1', count: 1 }, { tag: 'p2', count: 1 }];
    }, 'INVALID', ['questions', 0, 'tags']],
    ['a graded quiz whose attempts may earn nothing', (a) => { a.questions = [a.questions[Q.scale]]; }, 'INVALID', ['questions']],
    ['a bad key', (a) => { a.key = 'Not A Key'; }, 'INVALID', ['key']],
    ['no questions', (a) => { a.questions = []; }, 'INVALID', ['questions']],
  ];

  it.each(graded)('reports %s', (_name, mutate, code, path) => {
    expect(issuesAfter(gradedAssessment, mutate)).toContainEqual(expect.objectContaining({ code, path }));
  });

  const selfCases: Case[] = [
    ['overlapping bands', (a) => { a.settings.scoreBands[1].min = 6; }, 'INVALID', ['settings', 'scoreBands', 1, 'min']],
    ['a gap between bands', (a) => { a.settings.scoreBands[1].min = 8; }, 'INVALID', ['settings', 'scoreBands', 1, 'min']],
    ['bands that start above the lowest sum', (a) => { a.settings.scoreBands[0].min = 4; }, 'INVALID', ['settings', 'scoreBands', 0, 'min']],
    ['bands that stop below the highest sum', (a) => { a.settings.scoreBands[2].max = 14; }, 'INVALID', ['settings', 'scoreBands', 2, 'max']],
    ['a band with min above max', (a) => { a.settings.scoreBands[0].max = 2; }, 'INVALID', ['settings', 'scoreBands', 0]],
    ['no bands', (a) => { a.settings.scoreBands = []; }, 'INVALID', ['settings', 'scoreBands']],
    ['a band without interpretation', (a) => { a.settings.scoreBands[0].interpretation = { 'zh-CN': '' }; }, 'INVALID', ['settings', 'scoreBands', 0, 'interpretation', 'zh-CN']],
    ['a graded question in it', (a) => { a.questions.push(structuredClone(EVERY_KIND[0])); }, 'INVALID', ['questions', 3, 'kind']],
    ['a passing score', (a) => { a.settings.passingScore = 50; }, 'INVALID', ['settings', 'passingScore']],
    ['drawing from a pool', (a) => { a.questions[0].tags = ['p']; a.settings.draw = [{ tag: 'p', count: 1 }]; }, 'INVALID', ['settings', 'draw']],
    ['review after passing', (a) => { a.settings.reviewPolicy.when = 'AFTER_PASSING'; }, 'INVALID', ['settings', 'reviewPolicy', 'when']],
  ];

  it.each(selfCases)('reports %s in a self-assessment', (_name, mutate, code, path) => {
    expect(issuesAfter(selfAssessment, mutate)).toContainEqual(expect.objectContaining({ code, path }));
  });

  it('accepts bands given in any order', () => {
    const a = selfAssessment();
    a.settings.scoreBands.reverse();
    expect(validateAssessment(a)).toEqual([]);
  });

  it('accepts pools that can be drawn from', () => {
    const a = gradedAssessment({ draw: [{ tag: 'pool', count: 2 }] });
    a.questions[0].tags = ['pool'];
    a.questions[1].tags = ['pool'];
    a.questions[2].tags = ['pool'];
    expect(validateAssessment(a)).toEqual([]);
  });

  it('survives malformed JSON without throwing', () => {
    const junk = { key: 'x', title: null, settings: null, questions: [{ id: 'q', kind: 'ESSAY' }] } as unknown as Assessment;
    expect(validateAssessment(junk)).toContainEqual(expect.objectContaining({ code: 'INVALID', path: ['questions', 0, 'kind'] }));
  });

  it.each(EVERY_KIND.map((q) => q.kind))('reports a bare %s question instead of throwing', (kind) => {
    const bare = { key: 'x', title: { 'zh-CN': 'x' }, settings: gradedAssessment().settings, questions: [{ id: 'q', kind }] };
    const issues = validateAssessment(bare as unknown as Assessment);
    expect(issues).toContainEqual(expect.objectContaining({ code: 'INVALID', path: ['questions', 0, 'prompt', 'zh-CN'] }));
  });
});

describe('validateQuestion', () => {
  it.each(EVERY_KIND.map((q) => [q.kind, q] as const))('accepts the %s fixture', (_kind, question) => {
    expect(validateQuestion(question)).toEqual([]);
  });

  it('reports under the given path', () => {
    const q = structuredClone(EVERY_KIND[0]) as SingleChoiceQuestion;
    q.options[0].correct = true;
    expect(validateQuestion(q, ['input', 'question'])).toEqual([
      expect.objectContaining({ code: 'INVALID', path: ['input', 'question', 'options'] }),
    ]);
  });
});
