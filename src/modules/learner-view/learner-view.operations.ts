import { createHash } from 'node:crypto';
import type { PersistedOperation } from '../../http/persisted-queries';

/**
 * The GraphQL operations of the learner view, exactly as its client script sends them (public
 * operations only: the view is a client of the API like any other front end). The page hands
 * them to the script with their sha256, and the script sends both, so the operations pass a
 * persisted-query safelist (`PERSISTED_QUERIES=learners|all`): the server adds these to the list
 * it loads from `PERSISTED_QUERIES_FILE`.
 */
const ATTEMPT = `id number status deadlineAt secondsRemaining
  review { score correctAnswers feedback }
  result { raw max percent passed band { label interpretation } }
  questions { key kind prompt points maxLength options { key text } left { key text } right { key text } leftPole rightPole scaleFrom scaleTo
    response { optionId optionIds value text pairs { left right } scale }
    review { correctness earned max feedback explanation correctAnswer { optionId optionIds value text pairs { left right } scale } } }`;

const PROGRESS = 'completed completionStatus successStatus scoreScaled';

const OPERATIONS = {
  LearnEnrollments: `query LearnEnrollments {
  viewer { user { name } enrollments(first: 50) { nodes { id status progressPercent dueAt course { id title } } } }
}`,
  LearnCourse: `query LearnCourse($id: ID!) {
  course(id: $id) { id title description
    viewerEnrollment { id status progressPercent dueAt }
    modules { id title progress { completed completedCount requiredCount }
      activities { id kind title required progress { ${PROGRESS} } availability { launchable message } } } }
}`,
  LearnActivity: `query LearnActivity($id: ID!) {
  node(id: $id) { id ... on Activity { kind title page { html } video { url durationSeconds } progress { ${PROGRESS} }
    assessment { id title description kind passingScore attemptsAllowed timeLimitSeconds questionCount
      reviewPolicy { show when } viewerAttemptsRemaining
      viewerResult { percent passed band { label interpretation } }
      viewerAttempts { ${ATTEMPT} } } } }
}`,
  LearnRecordProgress: `mutation LearnRecordProgress($input: RecordActivityProgressInput!) {
  recordActivityProgress(input: $input) { activity { id progress { ${PROGRESS} } } enrollment { id progressPercent status } errors { code message path } }
}`,
  LearnStartAttempt: `mutation LearnStartAttempt($input: StartAttemptInput!) {
  startAttempt(input: $input) { resumed attempt { ${ATTEMPT} } errors { code message path } }
}`,
  LearnSaveAnswers: `mutation LearnSaveAnswers($input: SaveAnswersInput!) {
  saveAnswers(input: $input) { attempt { id } errors { code message path } }
}`,
  LearnSubmitAttempt: `mutation LearnSubmitAttempt($input: SubmitAttemptInput!) {
  submitAttempt(input: $input) { attempt { ${ATTEMPT} }
    activity { id progress { ${PROGRESS} } assessment { id viewerAttemptsRemaining viewerResult { percent passed band { label interpretation } } } }
    enrollment { id progressPercent status } errors { code message path } }
}`,
  LearnLaunch: `mutation LearnLaunch($input: LaunchActivityInput!) {
  launchActivity(input: $input) { launch { playerUrl } errors { code message path } }
}`,
} as const;

export type LearnerViewOperationName = keyof typeof OPERATIONS;

const sha256 = (text: string): string => createHash('sha256').update(text).digest('hex');

/** The operations in the persisted-query manifest's shape (id = sha256 of the body). */
export const LEARNER_VIEW_OPERATIONS: readonly PersistedOperation[] = Object.entries(OPERATIONS).map(([name, body]) => ({
  id: sha256(body),
  name,
  type: body.startsWith('mutation') ? 'mutation' : 'query',
  body,
}));
