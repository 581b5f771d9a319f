/* eslint-disable */
import * as types from './graphql';
import type { TypedDocumentNode as DocumentNode } from '@graphql-typed-document-node/core';

/**
 * Map of all GraphQL operations in the project.
 *
 * This map has several performance disadvantages:
 * 1. It is not tree-shakeable, so it will include all operations in the project.
 * 2. It is not minifiable, so the string of a GraphQL query will be multiple times inside the bundle.
 * 3. It does not support dead code elimination, so it will add unused operations.
 *
 * Therefore it is highly recommended to use the babel or swc plugin for production.
 * Learn more about it here: https://the-guild.dev/graphql/codegen/plugins/presets/preset-client#reducing-bundle-size
 */
type Documents = {
    "\n  query Catalog($first: Int) {\n    courses(first: $first) {\n      totalCount\n      nodes {\n        id code title description status estimatedMinutes updatedAt\n        viewerEnrollment { id status progressPercent dueAt startedAt completedAt }\n        modules {\n          id key title position\n          progress { completed requiredCount completedCount }\n          activities {\n            id key kind title position required\n            progress { id completionStatus successStatus scoreScaled progressMeasure attemptCount completed completedAt }\n            assessment {\n              id title kind passingScore attemptsAllowed questionCount viewerAttemptsRemaining\n              viewerResult { raw max percent passed successStatus }\n              viewerAttempts { id number status }\n            }\n          }\n        }\n      }\n    }\n  }\n": typeof types.CatalogDocument,
    "\n  query Attempt($id: ID!) {\n    node(id: $id) {\n      id\n      ... on AssessmentAttempt { ...AttemptFields }\n    }\n  }\n": typeof types.AttemptDocument,
    "\n  fragment AttemptFields on AssessmentAttempt {\n    id number status startedAt deadlineAt submittedAt\n    review { score correctAnswers feedback }\n    result { raw max percent passed successStatus }\n    questions {\n      key kind prompt points\n      options { key text }\n      left { key text }\n      right { key text }\n      leftPole rightPole scaleFrom scaleTo maxLength\n      response { optionId optionIds value text pairs { left right } scale }\n      review { correctness earned max correctAnswer { optionId optionIds value text pairs { left right } } feedback explanation }\n    }\n  }\n": typeof types.AttemptFieldsFragmentDoc,
    "\n  fragment AssessmentCounts on Activity {\n    id\n    progress { id completionStatus successStatus scoreScaled progressMeasure attemptCount completed completedAt }\n    assessment { id viewerAttemptsRemaining viewerResult { raw max percent passed successStatus } viewerAttempts { id number status } }\n    module { id progress { completed requiredCount completedCount } }\n  }\n": typeof types.AssessmentCountsFragmentDoc,
    "\n  mutation StartAttempt($input: StartAttemptInput!) {\n    startAttempt(input: $input) {\n      attempt { ...AttemptFields }\n      activity { ...AssessmentCounts }\n      enrollment { id status progressPercent startedAt completedAt }\n      errors { code message path }\n    }\n  }\n": typeof types.StartAttemptDocument,
    "\n  mutation SaveAnswers($input: SaveAnswersInput!) {\n    saveAnswers(input: $input) {\n      attempt { ...AttemptFields }\n      errors { code message path }\n    }\n  }\n": typeof types.SaveAnswersDocument,
    "\n  mutation SubmitAttempt($input: SubmitAttemptInput!) {\n    submitAttempt(input: $input) {\n      attempt { ...AttemptFields }\n      activity { ...AssessmentCounts }\n      enrollment { id status progressPercent startedAt completedAt }\n      errors { code message path }\n    }\n  }\n": typeof types.SubmitAttemptDocument,
    "\n  mutation RecordProgress($input: RecordActivityProgressInput!) {\n    recordActivityProgress(input: $input) {\n      activity {\n        id\n        progress { id completionStatus successStatus scoreScaled progressMeasure attemptCount completed completedAt }\n        module { id progress { completed requiredCount completedCount } }\n      }\n      enrollment { id status progressPercent startedAt completedAt }\n      errors { code message path }\n    }\n  }\n": typeof types.RecordProgressDocument,
    "\n  query CoursePage($id: ID!, $userId: ID!) {\n    viewer { id roles }\n    course(id: $id) { id title }\n    node(id: $id) { id }\n    user(id: $userId) { id }\n  }\n": typeof types.CoursePageDocument,
    "\n  mutation LaunchActivity($input: LaunchActivityInput!) {\n    launchActivity(input: $input) {\n      launch { attemptId attemptNumber version entry contentUrl commitUrl playerUrl cmi }\n      errors { code message path }\n    }\n  }\n": typeof types.LaunchActivityDocument,
};
const documents: Documents = {
    "\n  query Catalog($first: Int) {\n    courses(first: $first) {\n      totalCount\n      nodes {\n        id code title description status estimatedMinutes updatedAt\n        viewerEnrollment { id status progressPercent dueAt startedAt completedAt }\n        modules {\n          id key title position\n          progress { completed requiredCount completedCount }\n          activities {\n            id key kind title position required\n            progress { id completionStatus successStatus scoreScaled progressMeasure attemptCount completed completedAt }\n            assessment {\n              id title kind passingScore attemptsAllowed questionCount viewerAttemptsRemaining\n              viewerResult { raw max percent passed successStatus }\n              viewerAttempts { id number status }\n            }\n          }\n        }\n      }\n    }\n  }\n": types.CatalogDocument,
    "\n  query Attempt($id: ID!) {\n    node(id: $id) {\n      id\n      ... on AssessmentAttempt { ...AttemptFields }\n    }\n  }\n": types.AttemptDocument,
    "\n  fragment AttemptFields on AssessmentAttempt {\n    id number status startedAt deadlineAt submittedAt\n    review { score correctAnswers feedback }\n    result { raw max percent passed successStatus }\n    questions {\n      key kind prompt points\n      options { key text }\n      left { key text }\n      right { key text }\n      leftPole rightPole scaleFrom scaleTo maxLength\n      response { optionId optionIds value text pairs { left right } scale }\n      review { correctness earned max correctAnswer { optionId optionIds value text pairs { left right } } feedback explanation }\n    }\n  }\n": types.AttemptFieldsFragmentDoc,
    "\n  fragment AssessmentCounts on Activity {\n    id\n    progress { id completionStatus successStatus scoreScaled progressMeasure attemptCount completed completedAt }\n    assessment { id viewerAttemptsRemaining viewerResult { raw max percent passed successStatus } viewerAttempts { id number status } }\n    module { id progress { completed requiredCount completedCount } }\n  }\n": types.AssessmentCountsFragmentDoc,
    "\n  mutation StartAttempt($input: StartAttemptInput!) {\n    startAttempt(input: $input) {\n      attempt { ...AttemptFields }\n      activity { ...AssessmentCounts }\n      enrollment { id status progressPercent startedAt completedAt }\n      errors { code message path }\n    }\n  }\n": types.StartAttemptDocument,
    "\n  mutation SaveAnswers($input: SaveAnswersInput!) {\n    saveAnswers(input: $input) {\n      attempt { ...AttemptFields }\n      errors { code message path }\n    }\n  }\n": types.SaveAnswersDocument,
    "\n  mutation SubmitAttempt($input: SubmitAttemptInput!) {\n    submitAttempt(input: $input) {\n      attempt { ...AttemptFields }\n      activity { ...AssessmentCounts }\n      enrollment { id status progressPercent startedAt completedAt }\n      errors { code message path }\n    }\n  }\n": types.SubmitAttemptDocument,
    "\n  mutation RecordProgress($input: RecordActivityProgressInput!) {\n    recordActivityProgress(input: $input) {\n      activity {\n        id\n        progress { id completionStatus successStatus scoreScaled progressMeasure attemptCount completed completedAt }\n        module { id progress { completed requiredCount completedCount } }\n      }\n      enrollment { id status progressPercent startedAt completedAt }\n      errors { code message path }\n    }\n  }\n": types.RecordProgressDocument,
    "\n  query CoursePage($id: ID!, $userId: ID!) {\n    viewer { id roles }\n    course(id: $id) { id title }\n    node(id: $id) { id }\n    user(id: $userId) { id }\n  }\n": types.CoursePageDocument,
    "\n  mutation LaunchActivity($input: LaunchActivityInput!) {\n    launchActivity(input: $input) {\n      launch { attemptId attemptNumber version entry contentUrl commitUrl playerUrl cmi }\n      errors { code message path }\n    }\n  }\n": types.LaunchActivityDocument,
};

/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 *
 *
 * @example
 * ```ts
 * const query = graphql(`query GetUser($id: ID!) { user(id: $id) { name } }`);
 * ```
 *
 * The query argument is unknown!
 * Please regenerate the types.
 */
export function graphql(source: string): unknown;

/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query Catalog($first: Int) {\n    courses(first: $first) {\n      totalCount\n      nodes {\n        id code title description status estimatedMinutes updatedAt\n        viewerEnrollment { id status progressPercent dueAt startedAt completedAt }\n        modules {\n          id key title position\n          progress { completed requiredCount completedCount }\n          activities {\n            id key kind title position required\n            progress { id completionStatus successStatus scoreScaled progressMeasure attemptCount completed completedAt }\n            assessment {\n              id title kind passingScore attemptsAllowed questionCount viewerAttemptsRemaining\n              viewerResult { raw max percent passed successStatus }\n              viewerAttempts { id number status }\n            }\n          }\n        }\n      }\n    }\n  }\n"): (typeof documents)["\n  query Catalog($first: Int) {\n    courses(first: $first) {\n      totalCount\n      nodes {\n        id code title description status estimatedMinutes updatedAt\n        viewerEnrollment { id status progressPercent dueAt startedAt completedAt }\n        modules {\n          id key title position\n          progress { completed requiredCount completedCount }\n          activities {\n            id key kind title position required\n            progress { id completionStatus successStatus scoreScaled progressMeasure attemptCount completed completedAt }\n            assessment {\n              id title kind passingScore attemptsAllowed questionCount viewerAttemptsRemaining\n              viewerResult { raw max percent passed successStatus }\n              viewerAttempts { id number status }\n            }\n          }\n        }\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query Attempt($id: ID!) {\n    node(id: $id) {\n      id\n      ... on AssessmentAttempt { ...AttemptFields }\n    }\n  }\n"): (typeof documents)["\n  query Attempt($id: ID!) {\n    node(id: $id) {\n      id\n      ... on AssessmentAttempt { ...AttemptFields }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment AttemptFields on AssessmentAttempt {\n    id number status startedAt deadlineAt submittedAt\n    review { score correctAnswers feedback }\n    result { raw max percent passed successStatus }\n    questions {\n      key kind prompt points\n      options { key text }\n      left { key text }\n      right { key text }\n      leftPole rightPole scaleFrom scaleTo maxLength\n      response { optionId optionIds value text pairs { left right } scale }\n      review { correctness earned max correctAnswer { optionId optionIds value text pairs { left right } } feedback explanation }\n    }\n  }\n"): (typeof documents)["\n  fragment AttemptFields on AssessmentAttempt {\n    id number status startedAt deadlineAt submittedAt\n    review { score correctAnswers feedback }\n    result { raw max percent passed successStatus }\n    questions {\n      key kind prompt points\n      options { key text }\n      left { key text }\n      right { key text }\n      leftPole rightPole scaleFrom scaleTo maxLength\n      response { optionId optionIds value text pairs { left right } scale }\n      review { correctness earned max correctAnswer { optionId optionIds value text pairs { left right } } feedback explanation }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment AssessmentCounts on Activity {\n    id\n    progress { id completionStatus successStatus scoreScaled progressMeasure attemptCount completed completedAt }\n    assessment { id viewerAttemptsRemaining viewerResult { raw max percent passed successStatus } viewerAttempts { id number status } }\n    module { id progress { completed requiredCount completedCount } }\n  }\n"): (typeof documents)["\n  fragment AssessmentCounts on Activity {\n    id\n    progress { id completionStatus successStatus scoreScaled progressMeasure attemptCount completed completedAt }\n    assessment { id viewerAttemptsRemaining viewerResult { raw max percent passed successStatus } viewerAttempts { id number status } }\n    module { id progress { completed requiredCount completedCount } }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation StartAttempt($input: StartAttemptInput!) {\n    startAttempt(input: $input) {\n      attempt { ...AttemptFields }\n      activity { ...AssessmentCounts }\n      enrollment { id status progressPercent startedAt completedAt }\n      errors { code message path }\n    }\n  }\n"): (typeof documents)["\n  mutation StartAttempt($input: StartAttemptInput!) {\n    startAttempt(input: $input) {\n      attempt { ...AttemptFields }\n      activity { ...AssessmentCounts }\n      enrollment { id status progressPercent startedAt completedAt }\n      errors { code message path }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation SaveAnswers($input: SaveAnswersInput!) {\n    saveAnswers(input: $input) {\n      attempt { ...AttemptFields }\n      errors { code message path }\n    }\n  }\n"): (typeof documents)["\n  mutation SaveAnswers($input: SaveAnswersInput!) {\n    saveAnswers(input: $input) {\n      attempt { ...AttemptFields }\n      errors { code message path }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation SubmitAttempt($input: SubmitAttemptInput!) {\n    submitAttempt(input: $input) {\n      attempt { ...AttemptFields }\n      activity { ...AssessmentCounts }\n      enrollment { id status progressPercent startedAt completedAt }\n      errors { code message path }\n    }\n  }\n"): (typeof documents)["\n  mutation SubmitAttempt($input: SubmitAttemptInput!) {\n    submitAttempt(input: $input) {\n      attempt { ...AttemptFields }\n      activity { ...AssessmentCounts }\n      enrollment { id status progressPercent startedAt completedAt }\n      errors { code message path }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation RecordProgress($input: RecordActivityProgressInput!) {\n    recordActivityProgress(input: $input) {\n      activity {\n        id\n        progress { id completionStatus successStatus scoreScaled progressMeasure attemptCount completed completedAt }\n        module { id progress { completed requiredCount completedCount } }\n      }\n      enrollment { id status progressPercent startedAt completedAt }\n      errors { code message path }\n    }\n  }\n"): (typeof documents)["\n  mutation RecordProgress($input: RecordActivityProgressInput!) {\n    recordActivityProgress(input: $input) {\n      activity {\n        id\n        progress { id completionStatus successStatus scoreScaled progressMeasure attemptCount completed completedAt }\n        module { id progress { completed requiredCount completedCount } }\n      }\n      enrollment { id status progressPercent startedAt completedAt }\n      errors { code message path }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query CoursePage($id: ID!, $userId: ID!) {\n    viewer { id roles }\n    course(id: $id) { id title }\n    node(id: $id) { id }\n    user(id: $userId) { id }\n  }\n"): (typeof documents)["\n  query CoursePage($id: ID!, $userId: ID!) {\n    viewer { id roles }\n    course(id: $id) { id title }\n    node(id: $id) { id }\n    user(id: $userId) { id }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation LaunchActivity($input: LaunchActivityInput!) {\n    launchActivity(input: $input) {\n      launch { attemptId attemptNumber version entry contentUrl commitUrl playerUrl cmi }\n      errors { code message path }\n    }\n  }\n"): (typeof documents)["\n  mutation LaunchActivity($input: LaunchActivityInput!) {\n    launchActivity(input: $input) {\n      launch { attemptId attemptNumber version entry contentUrl commitUrl playerUrl cmi }\n      errors { code message path }\n    }\n  }\n"];

export function graphql(source: string) {
  return (documents as any)[source] ?? {};
}

export type DocumentType<TDocumentNode extends DocumentNode<any, any>> = TDocumentNode extends DocumentNode<  infer TType,  any>  ? TType  : never;