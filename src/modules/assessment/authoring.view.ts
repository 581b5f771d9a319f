import { translationsOf } from '../course/localized';
import type { AssessmentOptionView, AuthoredAssessment, AuthoredQuestionView, AssessmentSettingsView, ChoiceOptionView } from './authoring.types';
import type { Assessment, AssessmentSettings, ChoiceOption, Question, QuestionOption } from './engine';

const option = (o: QuestionOption): AssessmentOptionView => ({ key: o.id, text: translationsOf(o.text) });
const choice = (o: ChoiceOption): ChoiceOptionView => ({ ...option(o), correct: o.correct });

/** The kind-specific fields of a question, under their GraphQL names. */
function specific(q: Question): object {
  switch (q.kind) {
    case 'SINGLE_CHOICE':
      return { options: q.options.map(choice) };
    case 'MULTIPLE_CHOICE':
      return { options: q.options.map(choice), partialCredit: q.partialCredit };
    case 'TRUE_FALSE':
      return { answer: q.answer };
    case 'FILL_IN':
      return { accepted: q.accepted };
    case 'ORDERING':
      return { options: q.options.map(option), partialCredit: q.partialCredit ?? false };
    case 'MATCHING':
      return { left: q.left.map(option), right: q.right.map(option), pairs: q.pairs, partialCredit: q.partialCredit ?? false };
    case 'SCALE':
      return {
        leftPole: translationsOf(q.leftPole), rightPole: translationsOf(q.rightPole), scaleFrom: q.scaleFrom, scaleTo: q.scaleTo,
        reverse: q.reverse ?? false,
      };
  }
}

function questionView(q: Question): AuthoredQuestionView {
  const feedback = q.feedback ? { correct: translationsOf(q.feedback.correct), incorrect: translationsOf(q.feedback.incorrect) } : null;
  const common = { key: q.id, kind: q.kind, prompt: translationsOf(q.prompt), points: q.points, tags: q.tags, explanation: translationsOf(q.explanation), feedback };
  return { ...common, ...specific(q) };
}

function settingsView(s: AssessmentSettings): AssessmentSettingsView {
  return {
    ...s,
    draw: s.draw.map((p) => ({ ...p })),
    reviewPolicy: { ...s.reviewPolicy },
    scoreBands: s.scoreBands.map((b) => ({ min: b.min, max: b.max, label: translationsOf(b.label), interpretation: translationsOf(b.interpretation) })),
  };
}

/** An activity's assessment as authors read it back. */
export function authoredView(activityId: string, assessment: Assessment, frozen: boolean): AuthoredAssessment {
  return {
    activityId, frozen, document: assessment,
    key: assessment.key, title: translationsOf(assessment.title), description: translationsOf(assessment.description),
    settings: settingsView(assessment.settings), questions: assessment.questions.map(questionView),
  };
}
