import { randomUUID } from 'node:crypto';
import { badInput, notFound } from './errors';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** A new primary key. */
export const newId = (): string => randomUUID();

/** True for a canonical lower-case UUID. */
export const isUuid = (value: unknown): value is string => typeof value === 'string' && UUID.test(value);

/** Opaque Relay id: base64url of `Type:uuid`. */
export function toGlobalId(type: string, id: string): string {
  return Buffer.from(`${type}:${id}`, 'utf8').toString('base64url');
}

/** Decodes a global id; throws BAD_USER_INPUT for anything that is not one. */
export function fromGlobalId(globalId: string): { type: string; id: string } {
  const decoded = globalId.length <= 200 ? Buffer.from(globalId, 'base64url').toString('utf8') : '';
  const sep = decoded.indexOf(':');
  const type = decoded.slice(0, sep);
  const id = decoded.slice(sep + 1);
  if (sep <= 0 || !isUuid(id)) throw badInput('Malformed id');
  return { type, id };
}

/** Decodes a global id that must name a given type; an id of another type reads as not found. */
export function idOf(type: string, globalId: string): string {
  const parsed = fromGlobalId(globalId);
  if (parsed.type !== type) throw notFound(type);
  return parsed.id;
}
