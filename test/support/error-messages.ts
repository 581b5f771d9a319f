import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import ts from 'typescript';

/** A message a service passes to an error helper, as written in the source. */
export interface MessageSite {
  file: string;
  line: number;
  /**
   * `literal`: a fixed English template; `interpolated`: a template literal with `${…}`, which
   * cannot be translated (use `msg(template, params)`); `computed`: a value from elsewhere.
   */
  kind: 'literal' | 'interpolated' | 'computed';
  /** The English template of a literal. */
  template: string | null;
  /** `notFound('Course')`: the noun rather than a sentence. */
  noun: boolean;
  text: string;
}

/** The helpers whose message argument is shown to clients, and which argument it is. */
const MESSAGE_ARG: Record<string, number> = { forbidden: 0, unauthenticated: 0, badInput: 0, msg: 0, AppError: 1, userError: 1, UserError: 1 };

function messageArg(node: ts.CallExpression | ts.NewExpression): { arg: ts.Expression; noun: boolean } | null {
  const callee = node.expression;
  const name = ts.isIdentifier(callee) ? callee.text : ts.isPropertyAccessExpression(callee) ? callee.name.text : '';
  const args = node.arguments ?? ts.factory.createNodeArray();
  if (name === 'notFound' && args[0]) return { arg: args[0], noun: true };
  // InputCheck.add(code, message, path): the checks are named `check` throughout.
  if (name === 'add' && ts.isPropertyAccessExpression(callee) && callee.expression.getText() === 'check' && args[1]) return { arg: args[1], noun: false };
  const index = MESSAGE_ARG[name];
  return index !== undefined && args[index] ? { arg: args[index], noun: false } : null;
}

function templateOf(arg: ts.Expression): string | null {
  if (ts.isStringLiteral(arg) || ts.isNoSubstitutionTemplateLiteral(arg)) return arg.text;
  return null;
}

function sitesIn(file: string, root: string): MessageSite[] {
  const source = ts.createSourceFile(file, readFileSync(file, 'utf8'), ts.ScriptTarget.ES2022, true);
  const sites: MessageSite[] = [];
  const visit = (node: ts.Node): void => {
    if (ts.isCallExpression(node) || ts.isNewExpression(node)) {
      const found = messageArg(node);
      if (found && !ts.isCallExpression(found.arg)) {
        const line = source.getLineAndCharacterOfPosition(found.arg.getStart()).line + 1;
        const template = templateOf(found.arg);
        const kind = template !== null ? 'literal' : ts.isTemplateExpression(found.arg) ? 'interpolated' : 'computed';
        sites.push({ file: path.relative(root, file), line, kind, template, noun: found.noun, text: found.arg.getText() });
      }
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return sites;
}

function tsFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const full = path.join(dir, e.name);
    if (e.isDirectory()) return tsFiles(full);
    return e.name.endsWith('.ts') && !e.name.endsWith('.d.ts') ? [full] : [];
  });
}

/** Every message passed to an error helper under `dir` (relative paths from `root`). */
export function messageSites(root: string, dir = 'src'): MessageSite[] {
  return tsFiles(path.join(root, dir)).flatMap((file) => sitesIn(file, root));
}
