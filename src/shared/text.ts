import { visit, type DocumentNode } from 'graphql';
import { badInput, type AppError } from './errors';
import { msg } from './i18n/message';

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/**
 * True when PostgreSQL can store the string as it is: `text` cannot hold NUL at all, and a lone
 * UTF-16 surrogate has no UTF-8 form, so the driver would silently store U+FFFD instead.
 */
export function isStorableText(value: string): boolean {
  return !value.includes('\0') && !LONE_SURROGATE.test(value);
}

/** The first string (or object key) in a JSON value that PostgreSQL cannot store, as a path. */
function unstorablePath(value: unknown): string | null {
  // Iterative: variables can nest as deep as the body limit allows, the call stack cannot.
  const stack: [unknown, string][] = [[value, '']];
  while (stack.length) {
    const [item, path] = stack.pop()!;
    if (typeof item === 'string') {
      if (!isStorableText(item)) return path;
    } else if (item !== null && typeof item === 'object') {
      for (const [key, child] of Object.entries(item)) {
        if (!isStorableText(key)) return path;
        stack.push([child, `${path}.${key}`]);
      }
    }
  }
  return null;
}

/** Whether every string literal of a parsed operation is storable, worked out once per document (Apollo keeps parsed documents). */
const storableLiterals = new WeakMap<DocumentNode, boolean>();

function literalsStorable(document: DocumentNode): boolean {
  let storable = storableLiterals.get(document);
  if (storable === undefined) {
    storable = true;
    visit(document, {
      StringValue(node) {
        if (!isStorableText(node.value)) storable = false;
      },
    });
    storableLiterals.set(document, storable);
  }
  return storable;
}

/**
 * Refuses an operation whose variables or string literals carry text PostgreSQL cannot store
 * (NUL, unpaired surrogates): one check for every argument of every field, before any resolver.
 */
export function checkOperationText(variables: Record<string, unknown> | undefined, document: DocumentNode | undefined): AppError | null {
  const variablePath = variables ? unstorablePath(variables) : null;
  if (variablePath !== null) {
    return badInput(msg('Variable ${name} contains a NUL character or an unpaired surrogate, which text cannot hold', { name: variablePath.slice(1) }));
  }
  const literal = document !== undefined && !literalsStorable(document);
  return literal ? badInput('A string argument contains a NUL character or an unpaired surrogate, which text cannot hold') : null;
}
