import {
  SEED_ASSESSMENTS,
  SELF_ASSESSMENT_NOTE,
  etiquetteQuiz,
  tobaccoSelfAssessment,
} from '../../../src/modules/assessment/content';
import {
  correctAnswerOf,
  gradeAttempt,
  planAttempt,
  validateAnswers,
  validateAssessment,
  type Answer,
  type Assessment,
  type Question,
} from '../../../src/modules/assessment/engine';

const graded = SEED_ASSESSMENTS.filter((s) => s.assessment.settings.kind === 'GRADED').map((s) => [s.assessment.key, s.assessment] as const);
const all = SEED_ASSESSMENTS.map((s) => [s.assessment.key, s.assessment] as const);

function perfectAnswers(assessment: Assessment): Record<string, Answer> {
  const entries = assessment.questions.flatMap((q) => {
    const answer = correctAnswerOf(q);
    return answer ? [[q.id, answer] as const] : [];
  });
  return Object.fromEntries(entries);
}

/** A wrong but well-formed answer for every question. */
function wrongAnswer(q: Question): unknown {
  switch (q.kind) {
    case 'SINGLE_CHOICE':
    case 'MULTIPLE_CHOICE':
      return q.kind === 'SINGLE_CHOICE' ? { optionId: q.options.find((o) => !o.correct)?.id } : { optionIds: q.options.filter((o) => !o.correct).map((o) => o.id) };
    case 'TRUE_FALSE':
      return { value: !q.answer };
    case 'FILL_IN':
      return { text: '不知道' };
    case 'ORDERING':
      return { optionIds: q.options.map((o) => o.id).reverse() };
    case 'MATCHING':
      return { pairs: [] };
    case 'SCALE':
      return { value: q.scaleTo };
  }
}

describe('seed assessments', () => {
  it.each(all)('%s passes authoring validation', (_key, assessment) => {
    expect(validateAssessment(assessment)).toEqual([]);
  });

  it('have unique keys', () => {
    expect(new Set(SEED_ASSESSMENTS.map((s) => s.assessment.key)).size).toBe(SEED_ASSESSMENTS.length);
  });

  it.each(graded)('%s has 8-12 questions mixing every graded kind, each explained from its lesson', (_key, assessment) => {
    expect(assessment.questions.length).toBeGreaterThanOrEqual(8);
    expect(assessment.questions.length).toBeLessThanOrEqual(12);
    const kinds = new Set(assessment.questions.map((q) => q.kind));
    expect([...kinds].sort()).toEqual(['FILL_IN', 'MATCHING', 'MULTIPLE_CHOICE', 'ORDERING', 'SINGLE_CHOICE', 'TRUE_FALSE']);
    expect(assessment.questions.some((q) => q.kind === 'MULTIPLE_CHOICE' && q.partialCredit)).toBe(true);
    for (const q of assessment.questions) {
      expect(q.explanation?.['zh-CN']).toMatch(/^见《[^》]+》/);
      expect(q.prompt.en).toBeTruthy();
    }
    expect(assessment.title.en).toBeTruthy();
  });

  it.each(graded)('%s grades a perfect answer set 100%% and passed', (_key, assessment) => {
    const answers = perfectAnswers(assessment);
    const plan = planAttempt(assessment, 'perfect');
    expect(validateAnswers(assessment.questions, answers).ok).toBe(true);
    expect(gradeAttempt(assessment, plan.questionIds, answers)).toMatchObject({
      percent: 100, scaled: 1, passed: true, success: 'passed', unanswered: [],
    });
  });

  it.each(graded)('%s fails a wrong answer set', (_key, assessment) => {
    const answers = Object.fromEntries(assessment.questions.map((q) => [q.id, wrongAnswer(q)]));
    expect(validateAnswers(assessment.questions, answers).ok).toBe(true);
    const grade = gradeAttempt(assessment, assessment.questions.map((q) => q.id), answers);
    expect(grade).toMatchObject({ raw: 0, passed: false, success: 'failed' });
  });

  it('accepts full-width digits in the etiquette fill-ins', () => {
    const ids = ['phone-rings', 'complaint-ripple'];
    const grade = gradeAttempt(etiquetteQuiz, ids, { 'phone-rings': { text: '３' }, 'complaint-ripple': { text: '１８２０' } });
    expect(grade.percent).toBe(100);
  });
});

describe('tobacco self-assessment', () => {
  const ids = tobaccoSelfAssessment.questions.map((q) => q.id);

  /** Nine picks from 10..1 that add up to `total`. */
  function answersSumming(total: number): Record<string, { value: number }> {
    let rest = total - ids.length;
    return Object.fromEntries(ids.map((id) => {
      const extra = Math.min(9, rest);
      rest -= extra;
      return [id, { value: 1 + extra }];
    }));
  }

  it('has the nine surviving bipolar items, scored 10 at the left pole down to 1', () => {
    expect(tobaccoSelfAssessment.questions).toHaveLength(9);
    for (const q of tobaccoSelfAssessment.questions) {
      expect(q).toMatchObject({ kind: 'SCALE', scaleFrom: 10, scaleTo: 1 });
      if (q.kind === 'SCALE') expect(q.leftPole['zh-CN'] && q.rightPole['zh-CN']).toBeTruthy();
    }
    expect(tobaccoSelfAssessment.settings).toMatchObject({ kind: 'SELF_ASSESSMENT', passingScore: null });
  });

  it.each([
    [90, '优秀'],
    [72, '优秀'],
    [71, '需提升人际技巧'],
    [45, '需提升人际技巧'],
    [44, '请慎重考虑'],
    [9, '请慎重考虑'],
  ])('puts a total of %i in the band "%s"', (total, label) => {
    const grade = gradeAttempt(tobaccoSelfAssessment, ids, answersSumming(total));
    expect(grade).toMatchObject({ raw: total, min: 9, max: 90, passed: null, success: 'unknown' });
    expect(grade.band?.label['zh-CN']).toBe(label);
    expect(grade.band?.interpretation['zh-CN']).toBeTruthy();
  });

  it('explains the missing tenth item for the README', () => {
    expect(SELF_ASSESSMENT_NOTE).toMatch(/nine/);
    expect(SELF_ASSESSMENT_NOTE).toMatch(/90/);
  });
});
