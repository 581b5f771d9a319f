import { GraphQLError, type GraphQLFormattedError } from 'graphql';
import type { Locale } from './context';
import { localize, msg, toMessage, type Message, type MessageText } from './i18n/message';
import { UserErrors } from './payload';

/** The closed set of codes a client can see in `extensions.code` (DESIGN §6). */
export const ERROR_CODES = [
  'UNAUTHENTICATED',
  'FORBIDDEN',
  'NOT_FOUND',
  'BAD_USER_INPUT',
  'CONFLICT',
  'RATE_LIMITED',
  'INTERNAL_SERVER_ERROR',
] as const;
export type ErrorCode = (typeof ERROR_CODES)[number];

const HTTP_STATUS: Record<ErrorCode, number> = {
  UNAUTHENTICATED: 401,
  FORBIDDEN: 403,
  NOT_FOUND: 404,
  BAD_USER_INPUT: 400,
  CONFLICT: 409,
  RATE_LIMITED: 429,
  INTERNAL_SERVER_ERROR: 500,
};

/** HTTP status that goes with an error code, for plain (non-GraphQL) routes. */
export function httpStatusOf(code: ErrorCode): number {
  return HTTP_STATUS[code];
}

/**
 * An unexpected failure with a client-visible code and a message safe to show. `message` is
 * English (logs); clients get `localized(locale)`, in the language they asked for.
 */
export class AppError extends GraphQLError {
  readonly code: ErrorCode;
  /** Safe details a client may act on, beside the code (e.g. `missingPermission`). */
  readonly details: Record<string, string>;
  readonly text: Message;
  constructor(code: ErrorCode, message: MessageText, details: Record<string, string> = {}) {
    super(localize(message, 'en'), { extensions: { ...details, code } });
    this.code = code;
    this.details = details;
    this.text = toMessage(message);
  }

  localized(locale: Locale): string {
    return localize(this.text, locale);
  }
}

export const notFound = (what = 'Resource'): AppError => new AppError('NOT_FOUND', msg('{what} not found', { what }));
export const forbidden = (message: MessageText = 'Not allowed'): AppError => new AppError('FORBIDDEN', message);
/** A refusal that names the permission the caller lacks (`extensions.missingPermission`). */
export const missingPermission = (permission: string): AppError =>
  new AppError('FORBIDDEN', msg('Not allowed: requires the {permission} permission', { permission }), { missingPermission: permission });
export const unauthenticated = (message: MessageText = 'Authentication required'): AppError =>
  new AppError('UNAUTHENTICATED', message);
export const badInput = (message: MessageText): AppError => new AppError('BAD_USER_INPUT', message);

/** Apollo's own codes for requests that never reached a resolver, mapped to the closed set. */
const APOLLO_CODES: Record<string, ErrorCode> = {
  GRAPHQL_PARSE_FAILED: 'BAD_USER_INPUT',
  GRAPHQL_VALIDATION_FAILED: 'BAD_USER_INPUT',
  BAD_USER_INPUT: 'BAD_USER_INPUT',
  BAD_REQUEST: 'BAD_USER_INPUT',
  OPERATION_RESOLUTION_FAILURE: 'BAD_USER_INPUT',
  PERSISTED_QUERY_NOT_FOUND: 'BAD_USER_INPUT',
  PERSISTED_QUERY_NOT_SUPPORTED: 'BAD_USER_INPUT',
};

function isClosedCode(code: unknown): code is ErrorCode {
  return typeof code === 'string' && (ERROR_CODES as readonly string[]).includes(code);
}

/** PostgreSQL unique violations, serialization failures and deadlocks: safe to retry, never shown raw. */
function isConcurrencyConflict(err: unknown): boolean {
  const code = (err as { driverError?: { code?: string } } | null)?.driverError?.code;
  return code === '23505' || code === '40001' || code === '40P01';
}

/**
 * Payload errors thrown where there is no payload (a query's filter checked in its service): the
 * same user mistake, reported with the closed code that fits it instead of being masked.
 */
function userErrorsOutsidePayload(err: UserErrors, formatted: GraphQLFormattedError, locale: Locale): GraphQLFormattedError {
  const first = err.errors[0]?.code;
  const code: ErrorCode = first === 'FORBIDDEN' || first === 'NOT_FOUND' || first === 'CONFLICT' ? first : 'BAD_USER_INPUT';
  return { message: err.errors.map((e) => localize(e.text, locale)).join('; '), path: formatted.path, extensions: { code } };
}

/**
 * The one error formatter. Keeps messages of errors raised on purpose (AppError, GraphQL
 * parse/validation) and masks everything else as INTERNAL_SERVER_ERROR, so SQL, table names and
 * stack traces never reach a client. Messages of its own are in `locale`; codes never change.
 * `onMasked` sees the original for logging.
 */
export function formatError(
  formatted: GraphQLFormattedError,
  error: unknown,
  onMasked: (original: unknown) => void,
  locale: Locale = 'zh-CN',
): GraphQLFormattedError {
  const original = error instanceof GraphQLError && error.originalError ? error.originalError : error;
  const apolloCode = formatted.extensions?.code;
  if (original instanceof AppError) {
    return { message: original.localized(locale), path: formatted.path, locations: formatted.locations, extensions: { ...original.details, code: original.code } };
  }
  if (typeof apolloCode === 'string' && APOLLO_CODES[apolloCode] && !(original instanceof Error && !(original instanceof GraphQLError))) {
    return { message: formatted.message, locations: formatted.locations, extensions: { code: APOLLO_CODES[apolloCode] } };
  }
  if (original instanceof GraphQLError && isClosedCode(original.extensions?.code)) {
    return { message: original.message, path: formatted.path, locations: formatted.locations, extensions: { code: original.extensions.code } };
  }
  if (original instanceof UserErrors) return userErrorsOutsidePayload(original, formatted, locale);
  if (isConcurrencyConflict(original)) {
    return { message: localize('The change conflicts with a concurrent change; retry it', locale), path: formatted.path, extensions: { code: 'CONFLICT' } };
  }
  // Argument coercion errors (wrong variable types) are user mistakes with safe messages.
  if (error instanceof GraphQLError && !error.originalError && !formatted.path) {
    return { message: formatted.message, locations: formatted.locations, extensions: { code: 'BAD_USER_INPUT' } };
  }
  onMasked(original);
  return { message: localize('Internal server error', locale), path: formatted.path, extensions: { code: 'INTERNAL_SERVER_ERROR' } };
}
