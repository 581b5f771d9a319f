import { Kind, type GraphQLResolveInfo, type SelectionSetNode } from 'graphql';

function selects(set: SelectionSetNode | undefined, name: string, info: GraphQLResolveInfo): boolean {
  for (const s of set?.selections ?? []) {
    if (s.kind === Kind.FIELD && s.name.value === name) return true;
    if (s.kind === Kind.INLINE_FRAGMENT && selects(s.selectionSet, name, info)) return true;
    if (s.kind === Kind.FRAGMENT_SPREAD && selects(info.fragments[s.name.value]?.selectionSet, name, info)) return true;
  }
  return false;
}

/** Whether the client selected `name` directly under the field being resolved (fragments included). */
export function selectsField(info: GraphQLResolveInfo, name: string): boolean {
  return info.fieldNodes.some((node) => selects(node.selectionSet, name, info));
}
