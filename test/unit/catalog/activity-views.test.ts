import 'reflect-metadata';
import { parse, type GraphQLObjectType, type GraphQLSchema } from 'graphql';
import { buildAppSchema } from '../../../src/schema';
import { activityViewSchema, servesActivityViews } from '../../../src/modules/catalog/activity-views';
import { LEARNER_CATALOG_QUERY } from '../../../bench/catalog.scenario';

let schema: GraphQLSchema;
beforeAll(async () => {
  schema = await buildAppSchema();
});

const under = (activity: string) => `{ viewer { enrollments { nodes { course { modules { activities { ${activity} } } } } } } }`;

test.each([
  ['the learner catalog', LEARNER_CATALOG_QUERY, true],
  ['every field a view has, and full progress', under('__typename id key kind title position required progress { id scoreRaw timeSpentSeconds updatedAt }'), true],
  ['a fragment on Activity of view fields', `${under('...A')} fragment A on Activity { id title progress { completed } }`, true],
  ['an inline fragment of view fields', under('... on Activity { id kind }'), true],
  ['through a transcript (another learner\'s progress)', '{ transcript(userId: "x") { enrollments { course { modules { activities { id title progress { completed } } } } } } }', true],
  ['a field a view does not have', under('id createdAt'), false],
  ['a field a view does not have, in a fragment', `${under('...A')} fragment A on Activity { id page { html } }`, false],
  ['an activity reached from its progress', under('id progress { activity { id } }'), false],
  ['an activity through the Node interface', '{ node(id: "x") { id ... on Activity { title } } }', false],
  ['a Node\'s id, which an activity would answer', '{ viewer { enrollments { nodes { course { modules { activities { id } } } } } } node(id: "x") { id } }', false],
  ['several operations and no name given', 'query A { viewer { id } } query B { viewer { enrollments { nodes { course { modules { activities { id } } } } } } }', false],
  ['no activities at all', '{ viewer { id } }', false],
  ['a mutation', 'mutation { publishCourse(input: { id: "x" }) { course { modules { activities { id } } } } }', false],
])('%s: views %s', (_name, query, expected) => {
  expect(servesActivityViews(schema, parse(query), undefined)).toBe(expected);
});

test('the view schema reads id, title and progress of Activity as properties and leaves every other resolver, and the schema itself, alone', () => {
  const views = activityViewSchema(schema);
  const resolve = (s: GraphQLSchema, type: string, field: string) => (s.getType(type) as GraphQLObjectType).getFields()[field].resolve;
  for (const field of ['id', 'title', 'progress']) {
    expect(resolve(views, 'Activity', field)).toBeUndefined();
    expect(resolve(schema, 'Activity', field)).toBeInstanceOf(Function);
  }
  for (const [type, field] of [['Activity', 'createdAt'], ['Activity', 'page'], ['CourseModule', 'id'], ['CourseModule', 'activities'], ['ActivityProgress', 'id']]) {
    expect(resolve(views, type, field)).toBe(resolve(schema, type, field));
  }
});
