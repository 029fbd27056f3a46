// Runs after scripts/build.mjs: makes dist/'s .d.ts files valid for every xstate the peer range
// (^5.20.0) allows, not only the xstate they were built with.
//
// tsc writes each machine's inferred type out in full: import("xstate").StateMachine<…> with every
// type argument of the xstate in node_modules. xstate 5.33 added a 15th, defaulted one
// (TTransitionMeta = TStateMeta); 5.20–5.32 declare 14, so an app on those versions got
// "Generic type 'StateMachine<…>' requires 14 type argument(s)" with skipLibCheck false, and with
// skipLibCheck true the machines (and auth.actor) silently typed as `any`. The 15th argument is
// dropped where it is the default anyway, which 5.33+ reads the same way.
// __tests__/consumer.test.ts compiles the packed typings against xstate 5.20.0.
import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import ts from 'typescript';

const FLOOR_ARITY = 14; // StateMachine's type parameters in xstate 5.20.0 … 5.32.x
const T_STATE_META = 12; // the index of TStateMeta, which TTransitionMeta defaults to

function declarationFiles(dir) {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return declarationFiles(path);
    return path.endsWith('.d.ts') ? [path] : [];
  });
}

let rewritten = 0;
for (const file of ['dist/esm', 'dist/cjs'].flatMap(declarationFiles)) {
  const text = readFileSync(file, 'utf8');
  if (!text.includes('StateMachine<')) continue;
  const source = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true);
  const cuts = [];
  (function visit(node) {
    const args = stateMachineArguments(node);
    if (args && args.length !== FLOOR_ARITY) {
      const where = `${file}:${source.getLineAndCharacterOfPosition(node.getStart()).line + 1}`;
      if (args.length !== FLOOR_ARITY + 1) throw new Error(`${where}: StateMachine has ${args.length} type arguments; this script knows 14 (xstate 5.20–5.32) and 15 (5.33+)`);
      if (args[FLOOR_ARITY].getText() !== args[T_STATE_META].getText()) throw new Error(`${where}: StateMachine's TTransitionMeta is not its default (TStateMeta), so xstate < 5.33 cannot express this type`);
      cuts.push([args[FLOOR_ARITY - 1].end, args[FLOOR_ARITY].end]);
    }
    ts.forEachChild(node, visit);
  })(source);
  if (cuts.length === 0) continue;
  let out = text;
  for (const [start, end] of cuts.sort((a, b) => b[0] - a[0])) out = out.slice(0, start) + out.slice(end);
  writeFileSync(file, out);
  rewritten += cuts.length;
}
console.log(`dts-xstate-floor: ${rewritten} StateMachine types written with xstate 5.20's 14 type arguments`);

/** The type arguments of `import("xstate").StateMachine<…>` or of a `StateMachine<…>` reference, else undefined. */
function stateMachineArguments(node) {
  if (ts.isImportTypeNode(node) && node.qualifier && ts.isIdentifier(node.qualifier) && node.qualifier.text === 'StateMachine') {
    const argument = node.argument;
    if (ts.isLiteralTypeNode(argument) && ts.isStringLiteral(argument.literal) && argument.literal.text === 'xstate') return node.typeArguments;
  }
  if (ts.isTypeReferenceNode(node) && ts.isIdentifier(node.typeName) && node.typeName.text === 'StateMachine') return node.typeArguments;
  return undefined;
}
