import type { AssessmentSettings, ChoiceOption, LocalizedText, QuestionOption } from '../engine/types';

/** Localized text: Chinese, with an English translation when given. */
export function t(zh: string, en?: string): LocalizedText {
  return en === undefined ? { 'zh-CN': zh } : { 'zh-CN': zh, en };
}

/** An option to order or match. */
export function item(id: string, zh: string, en?: string): QuestionOption {
  return { id, text: t(zh, en) };
}

/** A correct choice option. */
export function yes(id: string, zh: string, en?: string): ChoiceOption {
  return { ...item(id, zh, en), correct: true };
}

/** A wrong choice option. */
export function no(id: string, zh: string, en?: string): ChoiceOption {
  return { ...item(id, zh, en), correct: false };
}

/**
 * Settings shared by the demo courses' graded quizzes: 80% to pass, three attempts with the
 * best one counting, 20 minutes, everything shuffled, answers released once passed.
 */
export function gradedQuizSettings(overrides: Partial<AssessmentSettings> = {}): AssessmentSettings {
  return {
    kind: 'GRADED',
    passingScore: 80,
    attemptsAllowed: 3,
    gradingMethod: 'HIGHEST',
    timeLimitSeconds: 20 * 60,
    shuffleQuestions: true,
    shuffleOptions: true,
    draw: [],
    reviewPolicy: { show: 'FEEDBACK', when: 'AFTER_PASSING' },
    scoreBands: [],
    ...overrides,
  };
}

/** The usual feedback pair, pointing back to the explanation for the details. */
export const STANDARD_FEEDBACK = {
  correct: t('回答正确。', 'Correct.'),
  incorrect: t('回答不正确,请阅读解析并回顾相应章节。', 'Not quite: read the explanation and review the section.'),
};
