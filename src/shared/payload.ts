import { Ctx, Field, ObjectType, registerEnumType } from 'type-graphql';
import type { Locale } from './context';
import { localize, toMessage, type Message, type MessageText } from './i18n/message';

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
  /** An LMS (LTI platform) refused or failed a request made for this mutation; the message says how. */
  PLATFORM_ERROR = 'PLATFORM_ERROR',
}
registerEnumType(UserErrorCode, { name: 'UserErrorCode', description: 'Why a mutation did not do what was asked.' });

/** An expected failure: a code to branch on, a message to show, and the input path it concerns. */
@ObjectType({ description: 'An expected failure of a mutation; nothing was changed when one is returned.' })
export class UserError {
  @Field(() => UserErrorCode)
  code: UserErrorCode;

  /** English, for logs and the CLI; GraphQL clients get `message` in their language. */
  readonly message: string;
  readonly text: Message;

  @Field(() => [String], { description: 'Path of the input field at fault, e.g. ["input", "users", "3", "email"].' })
  path: string[];

  constructor(code: UserErrorCode, message: MessageText, path: (string | number)[] = []) {
    this.code = code;
    this.text = toMessage(message);
    this.message = localize(message, 'en');
    this.path = path.map(String);
  }

  @Field(() => String, { name: 'message', description: 'In the language of the request (Accept-Language: zh-CN by default, or en).' })
  localizedMessage(@Ctx() ctx: { locale: Locale }): string {
    return localize(this.text, ctx.locale);
  }
}

/** Raised inside a service to abort a mutation with payload errors (the mutation is rolled back). */
export class UserErrors extends Error {
  constructor(readonly errors: UserError[]) {
    super(errors.map((e) => e.message).join('; '));
  }
}

/** Shorthand for one payload error. */
export function userError(code: UserErrorCode, message: MessageText, path: (string | number)[] = []): UserErrors {
  return new UserErrors([new UserError(code, message, path)]);
}
