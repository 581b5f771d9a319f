import type { Answer, Question } from './types';

/**
 * The correct answer of a question, in the learner answer shape; null for SCALE (no right answer).
 * For FILL_IN it is the first accepted answer, which authors keep as the canonical spelling.
 * Server-side only: reveal it through `learnerView`, which applies the review policy.
 */
export function correctAnswerOf(question: Question): Answer | null {
  switch (question.kind) {
    case 'SINGLE_CHOICE':
      return { optionId: question.options.find((o) => o.correct)?.id ?? '' };
    case 'MULTIPLE_CHOICE':
      return { optionIds: question.options.filter((o) => o.correct).map((o) => o.id) };
    case 'TRUE_FALSE':
      return { value: question.answer };
    case 'FILL_IN':
      return { text: question.accepted[0] ?? '' };
    case 'ORDERING':
      return { optionIds: question.options.map((o) => o.id) };
    case 'MATCHING':
      return { pairs: question.pairs.map((p) => ({ left: p.left, right: p.right })) };
    case 'SCALE':
      return null;
  }
}
