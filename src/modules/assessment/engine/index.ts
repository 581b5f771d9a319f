/**
 * The assessment engine: pure, database-free functions over plain assessment data. Services
 * validate what authors publish and what learners answer, plan attempts, grade them, turn them
 * into SCORM interactions and decide what a learner may see, all through these exports.
 */
export * from './types';
export * from './issues';
export { localize, normalizeAnswerText } from './text';
export * from './validate';
export type { AnswerCheck } from './validate-answer';
export { correctAnswerOf } from './correct-answer';
export * from './grade';
export * from './interactions';
export { planAttempt, planOptionOrder, concealOrder, type AttemptPlan } from './draw';
export * from './review';
