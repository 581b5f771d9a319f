import type { CodegenConfig } from '@graphql-codegen/cli';

/*
 * How a front end generates typed operations from the published schema with graphql-codegen's
 * client preset (the README's "Front ends" section). The repository runs it on its own client
 * test's operations; a front end points `documents` and the output at its own sources.
 */
const config: CodegenConfig = {
  schema: 'schema/schema.graphql',
  documents: ['test/client/operations.ts'],
  generates: {
    'test/client/gql/': {
      preset: 'client',
      // Apollo Client 4 masks fragments itself when asked to; the preset's masking is not needed.
      presetConfig: { fragmentMasking: false },
      config: {
        // What the service sends for each custom scalar; `path#Type` imports a type (the path as written in the output files).
        scalars: {
          DateTimeISO: { input: 'string', output: 'string' },
          JSON: { input: 'unknown', output: 'unknown' },
          ScormCmi: { input: 'never', output: '../../../schema/scorm-cmi#ScormCmi' },
        },
        enumsAsTypes: true,
        // Apollo Client adds __typename to every selection; typed, it tells union members apart.
        nonOptionalTypename: true,
        useTypeImports: true,
      },
    },
  },
};

export default config;
