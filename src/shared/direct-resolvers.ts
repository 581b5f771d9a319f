import { GraphQLObjectType, GraphQLScalarType, isAbstractType, isObjectType, type GraphQLFieldResolver, type GraphQLSchema, type GraphQLTypeResolver } from 'graphql';
import { getMetadataStorage } from 'type-graphql';

type ResolverMetadata = ReturnType<typeof getMetadataStorage>['fieldResolvers'][number];
type ParamMetadata = NonNullable<ResolverMetadata['params']>[number];
type ParamGetter = (root: unknown, ctx: unknown, info: unknown) => unknown;

/** What type-graphql does to a `@Root()` value typed with a class: plain objects become instances of it. */
function asInstance(Target: unknown, value: unknown): unknown {
  if (value === null || value === undefined || typeof Target !== 'function' || Target instanceof GraphQLScalarType) return value;
  if (value instanceof (Target as new () => object)) return value;
  const ctor = (value as object).constructor;
  if (ctor === String || ctor === Boolean || ctor === Number || ctor === Date || ctor === Array || ctor === Promise) return value;
  if (Array.isArray(value)) return value.map((item) => asInstance(Target, item));
  return Object.assign(new (Target as new () => object)(), value);
}

/** A getter for one parameter, or undefined when the parameter needs type-graphql's own handling (arguments, validation). */
function getterOf(param: ParamMetadata): ParamGetter | undefined {
  switch (param.kind) {
    case 'root': {
      const property = param.propertyName;
      const Target = param.getType?.();
      return (root) => asInstance(Target, property ? (root as Record<string, unknown>)[property] : root);
    }
    case 'context': {
      const property = param.propertyName;
      return property ? (_root, ctx) => (ctx as Record<string, unknown>)[property] : (_root, ctx) => ctx;
    }
    case 'info':
      return (_root, _ctx, info) => info;
    default:
      return undefined;
  }
}

/**
 * type-graphql calls every field resolver through a generic wrapper that, on each call, sorts the
 * method's parameter list, maps it into a new array and allocates the resolver data: for the
 * learner catalog (hundreds of activities, each with `id`, `title` and `progress` resolvers) that was
 * a fifth of all the memory a request allocated. For field resolvers of resolver classes whose
 * parameters are only `@Root`, `@Ctx` and `@Info`, with no middleware or authorization, this puts a
 * resolver in the schema that does the same with the parameter getters worked out once. Fields
 * with arguments keep type-graphql's resolver (it converts and validates input types).
 */
export function directFieldResolvers(schema: GraphQLSchema): void {
  const storage = getMetadataStorage();
  const instances = new Map<Function, object>();
  for (const objectType of storage.objectTypes) {
    const type = schema.getType(objectType.name);
    if (!type || !isObjectType(type)) continue;
    const fields = (type as GraphQLObjectType).getFields();
    for (const field of objectType.fields ?? []) {
      const meta = storage.fieldResolvers.find((r) => r.kind === 'external' && r.getObjectType?.() === field.target && r.methodName === field.name);
      const schemaField = fields[field.schemaName];
      if (!meta || !schemaField || meta.middlewares?.length || meta.roles) continue;
      const params = [...(meta.params ?? [])].sort((a, b) => a.index - b.index);
      const getters = params.map(getterOf);
      if (getters.some((g) => g === undefined) || params.some((p, i) => p.index !== i)) continue;
      let instance = instances.get(meta.target);
      if (!instance) instances.set(meta.target, (instance = new (meta.target as new () => object)()));
      const method = (instance as Record<string, (...args: unknown[]) => unknown>)[meta.methodName];
      schemaField.resolve = directResolver(instance, method, getters as ParamGetter[]);
    }
  }
}

const DIRECT = Symbol('directResolver');

/** Whether a field's resolver is one `directFieldResolvers` put in place. */
export function isDirectResolver(resolve: unknown): boolean {
  return typeof resolve === 'function' && (resolve as { [DIRECT]?: boolean })[DIRECT] === true;
}

function directResolver(instance: object, method: (...args: unknown[]) => unknown, getters: ParamGetter[]): GraphQLFieldResolver<unknown, unknown> {
  return Object.assign(callWith(instance, method, getters), { [DIRECT]: true });
}

function callWith(instance: object, method: (...args: unknown[]) => unknown, getters: ParamGetter[]): GraphQLFieldResolver<unknown, unknown> {
  switch (getters.length) {
    case 0:
      return () => method.call(instance);
    case 1: {
      const [a] = getters;
      return (root, _args, ctx, info) => method.call(instance, a(root, ctx, info));
    }
    case 2: {
      const [a, b] = getters;
      return (root, _args, ctx, info) => method.call(instance, a(root, ctx, info), b(root, ctx, info));
    }
    default:
      return (root, _args, ctx, info) => method.apply(instance, getters.map((g) => g(root, ctx, info)));
  }
}

/**
 * type-graphql wraps a `resolveType` given to an interface or union in an async function, even
 * when it answers at once; graphql-jit (the executor) takes a type name or a type, not a promise.
 * This puts the given function back, with type-graphql's translation of a class into its type name.
 */
export function syncTypeResolvers(schema: GraphQLSchema): void {
  const storage = getMetadataStorage();
  const names = new Map<unknown, string>(storage.objectTypes.map((o) => [o.target, o.name]));
  const nameOf = (resolved: unknown): string | undefined => (resolved === null || resolved === undefined || typeof resolved === 'string' ? resolved ?? undefined : names.get(resolved));
  const given: [string, NonNullable<(typeof storage.unions)[number]['resolveType']>][] = [];
  for (const u of storage.unions) if (u.resolveType) given.push([u.name, u.resolveType]);
  for (const i of storage.interfaceTypes) if (i.resolveType) given.push([i.name, i.resolveType]);
  for (const [name, resolveType] of given) {
    const type = schema.getType(name);
    if (!type || !isAbstractType(type)) continue;
    const resolver: GraphQLTypeResolver<unknown, unknown> = (value, ctx, info, abstract) => {
      const resolved: unknown = resolveType(value, ctx, info, abstract);
      return resolved instanceof Promise ? resolved.then(nameOf) : nameOf(resolved);
    };
    type.resolveType = resolver;
  }
}
