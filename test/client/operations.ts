import { graphql } from './gql';

/*
 * The operations of a learner front end, as an Apollo Client 4 app writes them: typed by
 * graphql-codegen's client preset from the committed schema (`npx graphql-codegen` regenerates
 * ./gql; the client test fails when it is stale).
 */

export const CatalogQuery = graphql(`
  query Catalog($first: Int) {
    courses(first: $first) {
      totalCount
      nodes {
        id code title description status estimatedMinutes updatedAt
        viewerEnrollment { id status progressPercent dueAt startedAt completedAt }
        modules {
          id key title position
          progress { completed requiredCount completedCount }
          activities {
            id key kind title position required
            progress { id completionStatus successStatus scoreScaled progressMeasure attemptCount completed completedAt }
            assessment {
              id title kind passingScore attemptsAllowed questionCount viewerAttemptsRemaining
              viewerResult { raw max percent passed successStatus }
              viewerAttempts { id number status }
            }
          }
        }
      }
    }
  }
`);

export const AttemptQuery = graphql(`
  query Attempt($id: ID!) {
    node(id: $id) {
      id
      ... on AssessmentAttempt { ...AttemptFields }
    }
  }
`);

export const AttemptFieldsFragment = graphql(`
  fragment AttemptFields on AssessmentAttempt {
    id number status startedAt deadlineAt submittedAt
    review { score correctAnswers feedback }
    result { raw max percent passed successStatus }
    questions {
      key kind prompt points
      options { key text }
      left { key text }
      right { key text }
      leftPole rightPole scaleFrom scaleTo maxLength
      response { optionId optionIds value text pairs { left right } scale }
      review { correctness earned max correctAnswer { optionId optionIds value text pairs { left right } } feedback explanation }
    }
  }
`);

export const AssessmentCountsFragment = graphql(`
  fragment AssessmentCounts on Activity {
    id
    progress { id completionStatus successStatus scoreScaled progressMeasure attemptCount completed completedAt }
    assessment { id viewerAttemptsRemaining viewerResult { raw max percent passed successStatus } viewerAttempts { id number status } }
    module { id progress { completed requiredCount completedCount } }
  }
`);

export const StartAttemptMutation = graphql(`
  mutation StartAttempt($input: StartAttemptInput!) {
    startAttempt(input: $input) {
      attempt { ...AttemptFields }
      activity { ...AssessmentCounts }
      enrollment { id status progressPercent startedAt completedAt }
      errors { code message path }
    }
  }
`);

export const SaveAnswersMutation = graphql(`
  mutation SaveAnswers($input: SaveAnswersInput!) {
    saveAnswers(input: $input) {
      attempt { ...AttemptFields }
      errors { code message path }
    }
  }
`);

export const SubmitAttemptMutation = graphql(`
  mutation SubmitAttempt($input: SubmitAttemptInput!) {
    submitAttempt(input: $input) {
      attempt { ...AttemptFields }
      activity { ...AssessmentCounts }
      enrollment { id status progressPercent startedAt completedAt }
      errors { code message path }
    }
  }
`);

export const RecordProgressMutation = graphql(`
  mutation RecordProgress($input: RecordActivityProgressInput!) {
    recordActivityProgress(input: $input) {
      activity {
        id
        progress { id completionStatus successStatus scoreScaled progressMeasure attemptCount completed completedAt }
        module { id progress { completed requiredCount completedCount } }
      }
      enrollment { id status progressPercent startedAt completedAt }
      errors { code message path }
    }
  }
`);

export const CoursePageQuery = graphql(`
  query CoursePage($id: ID!, $userId: ID!) {
    viewer { id roles }
    course(id: $id) { id title }
    node(id: $id) { id }
    user(id: $userId) { id }
  }
`);

export const LaunchActivityMutation = graphql(`
  mutation LaunchActivity($input: LaunchActivityInput!) {
    launchActivity(input: $input) {
      launch { attemptId attemptNumber version entry contentUrl commitUrl playerUrl cmi }
      errors { code message path }
    }
  }
`);
