import { isInputObjectType, type GraphQLSchema } from 'graphql';
import { Extensions } from 'type-graphql';

const ONE_OF = 'oneOf';

/**
 * Declares a type-graphql input class a `@oneOf` input object: exactly one of its (nullable)
 * fields must be set, which GraphQL itself enforces. graphql 16.9+ implements `@oneOf`, but
 * type-graphql 2 has no option for it, so the class is marked here and `applyOneOf` sets the
 * flag on the built schema.
 */
export function OneOf(): ClassDecorator {
  return Extensions({ [ONE_OF]: true });
}

/** Turns every input type marked with `OneOf()` into a `@oneOf` input object. */
export function applyOneOf(schema: GraphQLSchema): void {
  for (const type of Object.values(schema.getTypeMap())) {
    if (isInputObjectType(type) && type.extensions[ONE_OF] === true) type.isOneOf = true;
  }
}
