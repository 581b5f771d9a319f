import { GraphQLScalarType, Kind } from 'graphql';
import type { ScormCmi } from './initial-cmi';

/**
 * The initial SCORM data of a launch as one JSON object, in the shape scorm-again's
 * `loadFromJSON` takes. A scalar rather than an object type, so a front end passes it on
 * unchanged (Apollo adds no `__typename` inside it); `schema/scorm-cmi.d.ts` is its precise type
 * for graphql-codegen. Output only.
 */
export const ScormCmiScalar = new GraphQLScalarType<never, ScormCmi>({
  name: 'ScormCmi',
  description:
    'SCORM run-time data for scorm-again\'s loadFromJSON: a JSON object in the SCORM 2004 shape (`learner_id`, `entry`, `location`, `suspend_data`, `interactions`, …) or, for SCORM 1.2 content, the 1.2 shape (`core`, `suspend_data`, `student_data`, …); every value a string, collections keyed "0", "1", …. TypeScript type: `ScormCmi` in schema/scorm-cmi.d.ts. Output only.',
  specifiedByURL: 'https://scorm.com/scorm-explained/technical-scorm/run-time/run-time-reference/',
  serialize(value) {
    if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new TypeError('ScormCmi must be an object');
    return value as ScormCmi;
  },
  parseValue() {
    throw new TypeError('ScormCmi is output only');
  },
  parseLiteral(ast) {
    throw new TypeError(`ScormCmi is output only (got ${ast.kind === Kind.OBJECT ? 'an object' : ast.kind})`);
  },
});
