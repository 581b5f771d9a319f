import 'reflect-metadata';
import { parse, type GraphQLObjectType, type GraphQLInterfaceType } from 'graphql';
import { buildAppSchema } from '../../../src/schema';
import { isDirectResolver } from '../../../src/shared/direct-resolvers';
import { jitGateway } from '../../../src/http/jit-executor';

test('the learner catalog fields resolve directly, not through type-graphql\'s per-call wrapper; fields with arguments keep it', async () => {
  const schema = await buildAppSchema();
  const field = (type: string, name: string) => (schema.getType(type) as GraphQLObjectType).getFields()[name].resolve;
  for (const [type, name] of [['Enrollment', 'id'], ['Enrollment', 'status'], ['Enrollment', 'course'], ['Enrollment', 'revision'], ['Course', 'id'], ['Course', 'title'],
    ['Course', 'modules'], ['CourseModule', 'id'], ['CourseModule', 'title'], ['CourseModule', 'activities'], ['Activity', 'id'], ['Activity', 'title'], ['Activity', 'progress']]) {
    expect([type, name, isDirectResolver(field(type, name))]).toEqual([type, name, true]);
  }
  // `enrollments(first, after, status)` converts its arguments with type-graphql.
  expect(isDirectResolver(field('Viewer', 'enrollments'))).toBe(false);
});

test('a given resolveType answers at once (graphql-jit does not await it)', async () => {
  const schema = await buildAppSchema();
  const questions = schema.getType('AuthoredQuestion') as GraphQLInterfaceType;
  const resolved = questions.resolveType!({ kind: 'SCALE' }, {}, {} as never, questions);
  expect(resolved).toBe('ScaleQuestion');
});

test('an operation runs on graphql-js once, then compiled by graphql-jit: bad variables are graphql-js\'s errors (Apollo answers them with a 400), resolver errors real GraphQLErrors', async () => {
  const schema = await buildAppSchema();
  const executor = (await jitGateway(schema).load({ apollo: { key: undefined, keyHash: undefined, graphRef: undefined } as never }))!.executor!;
  const document = parse('query($id: ID!) { node(id: $id) { id } }');
  const request = (variables: Record<string, unknown>) => ({
    document, operationName: null, operation: document.definitions[0], request: { variables }, context: {},
  }) as never;
  const bad = await executor(request({ id: { not: 'an id' } }));
  expect(bad.errors?.[0].message).toMatch(/^Variable "\$id" got invalid value/);
  expect(bad.errors?.[0].nodes).toHaveLength(1);
  // The resolver needs a request context. The first run is graphql-js's, the next ones graphql-jit's
  // compiled operation: their errors alike, real GraphQLErrors with the path and the cause.
  for (let run = 0; run < 3; run++) {
    const failed = await executor(request({ id: 'Q291cnNlOjE' }));
    expect(failed.errors?.[0]).toMatchObject({ message: expect.any(String), path: ['node'] });
    expect(failed.errors?.[0].extensions).toBeDefined();
    expect(failed.errors?.[0].originalError).toBeInstanceOf(Error);
    expect(failed.errors?.[0].constructor.name).toBe('GraphQLError');
  }
});
