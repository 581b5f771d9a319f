import { Field, ObjectType, registerEnumType } from 'type-graphql';

/** Codes of expected, user-fixable failures reported in mutation payloads. */
export enum UserErrorCode {
  INVALID = 'INVALID',
  NOT_FOUND = 'NOT_FOUND',
  DUPLICATE = 'DUPLICATE',
  CONFLICT = 'CONFLICT',
  LIMIT_REACHED = 'LIMIT_REACHED',
  NOT_PUBLISHED = 'NOT_PUBLISHED',
  FROZEN = 'FROZEN',
  TOO_LARGE = 'TOO_LARGE',
  EXPIRED = 'EXPIRED',
  FORBIDDEN = 'FORBIDDEN',
  /** A SCORM package's sequencing rules do not allow this launch now; the message starts with the reason (FLOW_ORDER, DISABLED, …). */
  SEQUENCING = 'SEQUENCING',
}
registerEnumType(UserErrorCode, { name: 'UserErrorCode', description: 'Why a mutation did not do what was asked.' });

/** An expected failure: a code to branch on, a message to show, and the input path it concerns. */
@ObjectType({ description: 'An expected failure of a mutation; nothing was changed when one is returned.' })
export class UserError {
  @Field(() => UserErrorCode)
  code: UserErrorCode;

  @Field()
  message: string;

  @Field(() => [String], { description: 'Path of the input field at fault, e.g. ["input", "users", "3", "email"].' })
  path: string[];

  constructor(code: UserErrorCode, message: string, path: (string | number)[] = []) {
    this.code = code;
    this.message = message;
    this.path = path.map(String);
  }
}

/** Raised inside a service to abort a mutation with payload errors (the mutation is rolled back). */
export class UserErrors extends Error {
  constructor(readonly errors: UserError[]) {
    super(errors.map((e) => e.message).join('; '));
  }
}

/** Shorthand for one payload error. */
export function userError(code: UserErrorCode, message: string, path: (string | number)[] = []): UserErrors {
  return new UserErrors([new UserError(code, message, path)]);
}
