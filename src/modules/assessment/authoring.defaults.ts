import type { AssessmentKind, GradingMethod, ReviewPolicy } from './engine';

/**
 * What the typed authoring input means when a field is left out. The input types' descriptions
 * quote these, so the schema and the server cannot disagree.
 */
export const AUTHORING_DEFAULTS = {
  kind: 'GRADED' as AssessmentKind,
  /** For GRADED only; a SELF_ASSESSMENT has no passing score. */
  passingScore: 60,
  gradingMethod: 'HIGHEST' as GradingMethod,
  shuffleQuestions: false,
  shuffleOptions: false,
  reviewPolicy: { show: 'SCORE', when: 'IMMEDIATELY' } as ReviewPolicy,
  points: 1,
  correct: false,
  partialCredit: false,
  scaleFrom: 1,
  scaleTo: 5,
  reverse: false,
} as const;
