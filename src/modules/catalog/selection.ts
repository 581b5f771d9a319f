import { Kind, type FieldNode, type GraphQLResolveInfo, type SelectionSetNode } from 'graphql';

type Fragments = GraphQLResolveInfo['fragments'];

/** Every field selected in `set`, fragments' included. */
function* fieldsOf(set: SelectionSetNode | undefined, fragments: Fragments): Generator<FieldNode> {
  for (const s of set?.selections ?? []) {
    if (s.kind === Kind.FIELD) yield s;
    else if (s.kind === Kind.INLINE_FRAGMENT) yield* fieldsOf(s.selectionSet, fragments);
    else yield* fieldsOf(fragments[s.name.value]?.selectionSet, fragments);
  }
}

/** Fields selected directly under the field being resolved (fragments included). */
function selected(info: GraphQLResolveInfo): FieldNode[] {
  return info.fieldNodes.flatMap((node) => [...fieldsOf(node.selectionSet, info.fragments)]);
}

/** Whether the client selected `name` directly under the field being resolved (fragments included). */
export function selectsField(info: GraphQLResolveInfo, name: string): boolean {
  return selected(info).some((f) => f.name.value === name);
}

/** Whether every field selected under the field being resolved is one of `fields`. */
export function selectsOnly(info: GraphQLResolveInfo, fields: ReadonlySet<string>): boolean {
  return selected(info).every((f) => fields.has(f.name.value));
}

/**
 * Whether every field selected under each `field` directly under the field being resolved is one of
 * `fields` (true when `field` is not selected).
 */
export function selectsOnlyUnder(info: GraphQLResolveInfo, field: string, fields: ReadonlySet<string>): boolean {
  return selected(info).filter((f) => f.name.value === field).every((f) => [...fieldsOf(f.selectionSet, info.fragments)].every((g) => fields.has(g.name.value)));
}

const answers = new WeakMap<FieldNode, Map<object, unknown>>();

/**
 * `answer(info)` for this field of this operation, worked out once: parsed operations are cached
 * and reused, and so are their nodes (with the fragments of the same document), so a list's
 * hundreds of items ask one map. `answer` itself is the key: pass a function defined once, not a
 * new closure. A field merged from several nodes is worked out each time.
 */
export function perField<T>(info: GraphQLResolveInfo, answer: (info: GraphQLResolveInfo) => T): T {
  if (info.fieldNodes.length !== 1) return answer(info);
  let known = answers.get(info.fieldNodes[0]);
  if (!known) answers.set(info.fieldNodes[0], (known = new Map()));
  if (known.has(answer)) return known.get(answer) as T;
  const value = answer(info);
  known.set(answer, value);
  return value;
}
