import type { Locale } from '../../shared/context';
import { toGlobalId } from '../../shared/ids';
import type { SuccessStatus } from '../progress/progress.entity';
import { AssessmentAttemptStatus, type AssessmentAttempt } from './assessment-attempt.entity';
import { planQuestions } from './assessment.content';
import {
  AnswerView, AssessmentInfo, AttemptQuestionView, OptionView, QuestionReviewView, ScoreView,
} from './assessment.types';
import { effectiveStatus } from './attempt.time';
import {
  combineAttempts, feedbackFor, learnerView, localize, planAttempt, reviewVisibility,
  type Answer, type Assessment, type LearnerQuestion, type LocalizedText, type Question, type QuestionGrade,
  type QuestionKind, type QuestionOption, type ReviewVisibility, type ScoreSummary,
} from './engine';

/*
 * Everything a learner reads of an assessment is built here, from `learnerView` (the engine's
 * only learner shape) and the review visibility. Nothing else of the authored questions is read.
 */

const say = (text: LocalizedText | undefined, locale: Locale): string | null => (text ? localize(text, locale) : null);

/** What the review policy lets the learner see of `attempt`, given all their attempts at the activity. */
export function visibilityOf(assessment: Assessment, attempt: AssessmentAttempt, attempts: readonly AssessmentAttempt[]): ReviewVisibility {
  const { reviewPolicy, gradingMethod, attemptsAllowed } = assessment.settings;
  const combined = combineAttempts(attempts.flatMap((a) => (a.grade ? [a.grade] : [])), gradingMethod);
  return reviewVisibility(reviewPolicy, {
    submitted: attempt.grade !== null,
    passed: combined?.passed === true,
    attemptsUsed: attempts.filter((a) => effectiveStatus(a) !== AssessmentAttemptStatus.IN_PROGRESS).length,
    attemptsAllowed,
  });
}

/** An answer in the GraphQL shape, by the kind of its question. */
export function answerView(kind: QuestionKind, answer: Answer): AnswerView {
  const a = answer as Partial<Record<'optionId' | 'text', string> & { optionIds: string[]; value: boolean | number; pairs: { left: string; right: string }[] }>;
  switch (kind) {
    case 'SINGLE_CHOICE':
      return { optionId: a.optionId };
    case 'MULTIPLE_CHOICE':
    case 'ORDERING':
      return { optionIds: a.optionIds };
    case 'TRUE_FALSE':
      return { value: a.value as boolean };
    case 'FILL_IN':
      return { text: a.text };
    case 'MATCHING':
      return { pairs: a.pairs };
    case 'SCALE':
      return { scale: a.value as number };
  }
}

const optionsOf = (options: QuestionOption[], locale: Locale): OptionView[] => options.map((o) => ({ key: o.id, text: localize(o.text, locale) }));

function reviewOf(question: Question, view: LearnerQuestion, grade: QuestionGrade, visibility: ReviewVisibility, locale: Locale): QuestionReviewView {
  return {
    correctness: grade.correctness,
    earned: grade.earned,
    max: grade.max,
    scaleScore: grade.scaleScore,
    correctAnswer: view.correctAnswer ? answerView(question.kind, view.correctAnswer) : null,
    feedback: say(feedbackFor(question, grade, visibility) ?? undefined, locale),
    explanation: say(view.explanation, locale),
  };
}

function questionView(question: Question, attempt: AssessmentAttempt, visibility: ReviewVisibility, locale: Locale): AttemptQuestionView {
  const view = learnerView(question, visibility, attempt.plan.optionOrder[question.id]);
  const grade = attempt.grade?.questions.find((g) => g.questionId === question.id);
  const answer = Object.hasOwn(attempt.answers, question.id) ? attempt.answers[question.id] : null;
  const answeredAt = Object.hasOwn(attempt.answeredAt, question.id) ? new Date(attempt.answeredAt[question.id]) : null;
  return {
    key: view.id, kind: view.kind, prompt: localize(view.prompt, locale), points: view.points,
    options: 'options' in view ? optionsOf(view.options, locale) : null,
    left: view.kind === 'MATCHING' ? optionsOf(view.left, locale) : null,
    right: view.kind === 'MATCHING' ? optionsOf(view.right, locale) : null,
    leftPole: view.kind === 'SCALE' ? localize(view.leftPole, locale) : null,
    rightPole: view.kind === 'SCALE' ? localize(view.rightPole, locale) : null,
    scaleFrom: view.kind === 'SCALE' ? view.scaleFrom : null,
    scaleTo: view.kind === 'SCALE' ? view.scaleTo : null,
    maxLength: view.kind === 'FILL_IN' ? view.maxLength : null,
    response: answer ? answerView(question.kind, answer) : null,
    answeredAt,
    review: visibility.correctAnswers && grade ? reviewOf(question, view, grade, visibility, locale) : null,
  };
}

/** The attempt's questions in its fixed order, as the learner may see them now. */
export function questionViews(assessment: Assessment, attempt: AssessmentAttempt, visibility: ReviewVisibility, locale: Locale): AttemptQuestionView[] {
  return planQuestions(assessment, attempt.plan).map((q) => questionView(q, attempt, visibility, locale));
}

/** A score in the GraphQL shape. */
export function scoreView(summary: ScoreSummary, locale: Locale): ScoreView {
  const { raw, min, max, scaled, percent, passed, success, band } = summary;
  return {
    raw, min, max, scaled, percent, passed, successStatus: success as SuccessStatus,
    band: band && { min: band.min, max: band.max, label: localize(band.label, locale), interpretation: localize(band.interpretation, locale) },
  };
}

/** An assessment's rules as a learner sees them before starting. */
export function infoOf(activityId: string, assessment: Assessment, locale: Locale): AssessmentInfo {
  const { kind, passingScore, attemptsAllowed, gradingMethod, timeLimitSeconds, reviewPolicy } = assessment.settings;
  return {
    id: toGlobalId('AssessmentInfo', activityId), activityId, assessment,
    title: localize(assessment.title, locale), description: say(assessment.description, locale),
    kind, passingScore, attemptsAllowed, gradingMethod, timeLimitSeconds,
    questionCount: planAttempt(assessment, activityId).questionIds.length,
    reviewPolicy: { show: reviewPolicy.show, when: reviewPolicy.when },
  };
}
