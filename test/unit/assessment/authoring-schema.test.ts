import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import {
  buildSchema, getNamedType, isInputObjectType, isInterfaceType, isObjectType, isScalarType, type GraphQLNamedType, type GraphQLSchema, type GraphQLType,
} from 'graphql';

/*
 * What a front end generates from the committed schema for authoring: real types per question
 * kind in and out, no `JSON` (which codegen can only type as `unknown`).
 */

const ROOT = path.join(__dirname, '../../..');
const SCHEMA = path.join(ROOT, 'schema/schema.graphql');

/** Every type a selection from `root` can reach through fields that are not deprecated. */
function reachable(schema: GraphQLSchema, root: string): GraphQLNamedType[] {
  const seen = new Map<string, GraphQLNamedType>();
  const visit = (type: GraphQLNamedType): void => {
    if (seen.has(type.name)) return;
    seen.set(type.name, type);
    if (isInterfaceType(type)) schema.getPossibleTypes(type).forEach(visit);
    if (isObjectType(type) || isInterfaceType(type) || isInputObjectType(type)) {
      for (const field of Object.values(type.getFields())) if (!field.deprecationReason) visit(getNamedType(field.type as GraphQLType));
    }
  };
  visit(schema.getType(root)!);
  return [...seen.values()];
}

test('the committed schema types the authoring document throughout: no JSON in or out, a @oneOf per question', () => {
  const schema = buildSchema(readFileSync(SCHEMA, 'utf8'));
  for (const root of ['AuthoredAssessment', 'AuthorAssessmentInput']) {
    const scalars = reachable(schema, root).filter(isScalarType).map((s) => s.name).sort();
    expect({ root, scalars }).toEqual({ root, scalars: ['Boolean', 'Float', 'ID', 'Int', 'String'] });
  }
  const question = schema.getType('QuestionInput');
  expect(isInputObjectType(question) && question.isOneOf).toBe(true);
  expect(schema.getPossibleTypes(schema.getType('AuthoredQuestion') as never).map((type) => type.name).sort()).toEqual([
    'FillInQuestion', 'MatchingQuestion', 'MultipleChoiceQuestion', 'OrderingQuestion', 'ScaleQuestion', 'SingleChoiceQuestion', 'TrueFalseQuestion',
  ]);
});

test('graphql-codegen gives authors typed questions to read and one typed input per kind to write', async () => {
  const documents = `query Authored($id: ID!) { authoredAssessment(activityId: $id) { key settings { passingScore reviewPolicy { show } }
      questions { __typename key ... on SingleChoiceQuestion { options { key text { zhCN } correct } } ... on ScaleQuestion { scaleFrom } } } }
    mutation Author($input: AuthorAssessmentInput!) { authorAssessment(input: $input) { errors { code path } } }`;
  const config = {
    schema: SCHEMA, documents, silent: true,
    generates: { 'authoring.ts': { plugins: ['typescript-operations'], config: { enumsAsTypes: true, nonOptionalTypename: true } } },
  };
  // In a process of its own: the codegen CLI is partly ES modules, which this test runner does not load.
  const script = `require('@graphql-codegen/cli').generate(${JSON.stringify(config)}, false).then(([f]) => process.stdout.write(f.content))`;
  const { stdout: output } = await promisify(execFile)(process.execPath, ['-e', script], { cwd: ROOT, maxBuffer: 16 * 1024 * 1024 });
  const code = output.replace(/\s+/g, ' ');
  expect(code).not.toContain('JSON');
  expect(code.match(/\bunknown\b/g)).toEqual(['unknown']); // codegen's own Exact<> helper only
  expect(code).toContain("{ __typename: 'SingleChoiceQuestion', key: string, options: Array<{ __typename: 'ChoiceOption', key: string, correct: boolean, text: { __typename: 'Translations', zhCN: string } }> }");
  expect(code).toContain("{ __typename: 'ScaleQuestion', scaleFrom: number, key: string }");
  // @oneOf: a question is exactly one of the kinds.
  expect(code).toMatch(/export type QuestionInput = \{ \/\*\* FILL_IN \*\/ fillIn: FillInQuestionInput; matching\?: never;/);
  expect(code).toMatch(/export type SingleChoiceQuestionInput = \{.* options: Array<ChoiceOptionInput>;.* points\?: number \| null \| undefined;/);
}, 30_000);
