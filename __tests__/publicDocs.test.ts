// Every public declaration has TSDoc that an editor shows on hover. The rule this test enforces,
// for each package entry below (src/actors/index.ts is included once it exists):
//
// 1. Every symbol the entry exports, followed through re-exports to where it is declared, has a
//    documentation comment: functions, classes, consts, type aliases, interfaces, enums.
// 2. So does every member of those declarations that a caller reads or writes:
//    - every property and method of an exported interface, inherited ones included (from our
//      own interfaces: FetchAuthConfig's from AuthConfig; xstate's or the DOM's are not ours);
//    - every property and method of an object-literal type written in an exported type alias, in
//      an exported interface's member, or in an exported function's parameters or return type, at
//      any depth, through unions, intersections, arrays, `readonly` and `Promise<…>`
//      (e.g. each arm of SignOutResult, each field of `nextStep`);
//    - every property of the object literal an exported const is initialized with (ErrorNames.x);
//    - every public property and method an exported class declares itself, constructor parameter
//      properties included (not the constructor itself, not what it inherits from Error).
// 3. A member named networkTimeoutMs or storageTimeoutMs, wherever it is declared (the machines'
//    inputs and contexts too), states AuthConfig's definition of it word for word: one meaning.
// "Has a documentation comment" means what hover shows: TypeScript's documentation comment for
// the symbol is not empty (tags alone, e.g. a bare `@internal`, do not count). Declarations from
// node_modules (xstate's, the SDK's) are not ours to document and are skipped.
import { existsSync } from 'node:fs';
import { join, relative } from 'node:path';
import ts from 'typescript';

const root = join(__dirname, '..');
const ENTRIES: ReadonlyArray<readonly [specifier: string, file: string]> = [
  ['authchart', 'src/index.ts'],
  ['authchart/fetch', 'src/fetch/index.ts'],
  ['authchart/account', 'src/account/index.ts'],
  ['authchart/machines', 'machines/index.ts'],
  ['authchart/testing', 'src/testing/index.ts'],
  ['authchart/inspect', 'src/inspect/index.ts'],
  ['authchart/inspect/node', 'src/inspect/node.ts'],
  ['authchart/transport/fetch', 'src/transport/fetch.ts'],
  ['authchart/actors', 'src/actors/index.ts'],
  ['authchart/server', 'src/server/index.ts'],
];
const entries = ENTRIES.filter(([, file]) => existsSync(join(root, file)));

const program = ts.createProgram(
  entries.map(([, file]) => join(root, file)),
  { target: ts.ScriptTarget.ES2022, module: ts.ModuleKind.NodeNext, moduleResolution: ts.ModuleResolutionKind.NodeNext, strict: true, skipLibCheck: true, noEmit: true, types: ['node'] },
);
const checker = program.getTypeChecker();

const ours = (node: ts.Node): boolean => !node.getSourceFile().fileName.includes('/node_modules/');
const where = (node: ts.Node): string => {
  const file = node.getSourceFile();
  const { line, character } = file.getLineAndCharacterOfPosition(node.getStart());
  return `${relative(root, file.fileName)}:${line + 1}:${character + 1}`;
};
const docOf = (symbol: ts.Symbol | undefined): string => (symbol ? ts.displayPartsToString(symbol.getDocumentationComment(checker)).replace(/\s+/g, ' ').trim() : '');
const documented = (symbol: ts.Symbol | undefined): boolean => docOf(symbol) !== '';

/** The timeouts with one definition, AuthConfig's, and the docs of every member that bears their name. */
const TIMEOUTS = ['networkTimeoutMs', 'storageTimeoutMs'] as const;
const timeoutDocs: Array<{ name: string; at: string; doc: string }> = [];

/** One missing comment per declaration, by where it is declared. */
function undocumentedIn(entryFile: string): Map<string, string> {
  const missing = new Map<string, string>();
  const seen = new Set<ts.Node>();
  const report = (node: ts.Node, label: string): void => {
    missing.set(where(node), label);
  };

  const member = (node: ts.TypeElement | ts.ClassElement, owner: string): void => {
    if (!node.name || !ours(node)) return;
    const name = node.name.getText();
    const symbol = checker.getSymbolAtLocation(node.name);
    if (!documented(symbol)) report(node, `${owner}.${name}`);
    if ((TIMEOUTS as readonly string[]).includes(name)) timeoutDocs.push({ name, at: `${owner}.${name} (${where(node)})`, doc: docOf(symbol) });
    const type = ts.isPropertySignature(node) || ts.isPropertyDeclaration(node) ? node.type : undefined;
    if (type) literalsIn(type, `${owner}.${name}`);
    if (ts.isMethodSignature(node) || ts.isMethodDeclaration(node)) signatureLiterals(node, `${owner}.${name}`);
  };

  /** The object-literal types written in a type, at any depth (see the header). */
  function literalsIn(type: ts.TypeNode, owner: string): void {
    if (seen.has(type)) return;
    seen.add(type);
    if (ts.isTypeLiteralNode(type)) for (const m of type.members) member(m, owner);
    else if (ts.isUnionTypeNode(type) || ts.isIntersectionTypeNode(type)) for (const t of type.types) literalsIn(t, owner);
    else if (ts.isParenthesizedTypeNode(type) || ts.isTypeOperatorNode(type)) literalsIn(type.type, owner);
    else if (ts.isArrayTypeNode(type)) literalsIn(type.elementType, `${owner}[]`);
    else if (ts.isTypeReferenceNode(type) && ['Promise', 'ReadonlyArray', 'Array', 'Readonly'].includes(type.typeName.getText())) {
      for (const arg of type.typeArguments ?? []) literalsIn(arg, owner);
    }
  }
  function signatureLiterals(node: ts.SignatureDeclarationBase, owner: string): void {
    for (const p of node.parameters) if (p.type) literalsIn(p.type, `${owner}(${p.name.getText()})`);
    if (node.type) literalsIn(node.type, `${owner}()`);
  }

  const declaration = (decl: ts.Declaration, name: string): void => {
    if (seen.has(decl) || !ours(decl)) return;
    seen.add(decl);
    if (ts.isInterfaceDeclaration(decl)) {
      // Every property, inherited ones included (FetchAuthConfig's come from AuthConfig): hover shows them all.
      for (const property of checker.getPropertiesOfType(checker.getTypeAtLocation(decl.name))) {
        for (const d of property.declarations ?? []) if (ts.isTypeElement(d)) member(d, name);
      }
    }
    else if (ts.isTypeAliasDeclaration(decl)) literalsIn(decl.type, name);
    else if (ts.isFunctionDeclaration(decl)) signatureLiterals(decl, name);
    else if (ts.isVariableDeclaration(decl)) {
      if (decl.type) literalsIn(decl.type, name);
      // `export const ErrorNames = { … } as const`: each property is read as ErrorNames.x, and hovered there.
      let init = decl.initializer;
      while (init && (ts.isAsExpression(init) || ts.isSatisfiesExpression(init) || ts.isParenthesizedExpression(init))) init = init.expression;
      if (init && ts.isObjectLiteralExpression(init)) {
        for (const p of init.properties) {
          if (!p.name || !ours(p)) continue;
          if (!documented(checker.getSymbolAtLocation(p.name))) report(p, `${name}.${p.name.getText()}`);
        }
      }
    }
    else if (ts.isClassDeclaration(decl)) {
      for (const m of decl.members) {
        if (ts.isConstructorDeclaration(m)) {
          // `constructor(readonly field: string)`: a public property, documented by the constructor's `@param field`.
          for (const p of m.parameters) {
            if (!ts.isParameterPropertyDeclaration(p, m) || ts.getCombinedModifierFlags(p) & (ts.ModifierFlags.Private | ts.ModifierFlags.Protected)) continue;
            const property = checker.getPropertyOfType(checker.getTypeAtLocation(decl), p.name.getText());
            if (!documented(property)) report(p, `${name}.${p.name.getText()}`);
          }
          continue;
        }
        if (ts.isClassStaticBlockDeclaration(m) || !m.name || ts.isPrivateIdentifier(m.name)) continue;
        const flags = ts.getCombinedModifierFlags(m as ts.Declaration);
        if (flags & (ts.ModifierFlags.Private | ts.ModifierFlags.Protected)) continue;
        member(m, name);
      }
    }
  };

  const moduleSymbol = checker.getSymbolAtLocation(program.getSourceFile(join(root, entryFile))!)!;
  for (const exported of checker.getExportsOfModule(moduleSymbol)) {
    const symbol = exported.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(exported) : exported;
    const decls = (symbol.declarations ?? []).filter(ours);
    if (decls.length === 0) continue;
    if (!documented(symbol)) report(decls[0]!, exported.name);
    for (const decl of decls) declaration(decl, exported.name);
  }
  return missing;
}

const found = new Map(entries.map(([specifier, file]) => [specifier, undocumentedIn(file)]));

test('the entries were read (the checks below mean something)', () => {
  const main = checker.getExportsOfModule(checker.getSymbolAtLocation(program.getSourceFile(join(root, 'src/index.ts'))!)!).map((s) => s.name);
  expect(main).toEqual(expect.arrayContaining(['createAuth', 'AuthConfig', 'SignOutResult', 'StorageError']));
});

test.each(entries.map(([specifier]) => specifier))('every public declaration of %s has TSDoc', (specifier) => {
  const list = [...found.get(specifier)!].map(([at, name]) => `${name}  (${at})`).sort();
  expect(list).toEqual([]);
});

test.each(TIMEOUTS)("every member named %s states AuthConfig's definition of it", (name) => {
  // The definition: the first sentence of AuthConfig's TSDoc, without its "(default N)".
  const config = timeoutDocs.find((d) => d.at.startsWith(`AuthConfig.${name} `))!;
  const definition = config.doc.slice(0, config.doc.indexOf('. ')).replace(/ \(default \d+\)/, '');
  expect(definition).toMatch(/^The .*, in ms: /);
  const states = (doc: string) => doc.replace(/ \(default \d+\)/, '').toLowerCase().includes(definition.toLowerCase());
  expect([...new Set(timeoutDocs.filter((d) => d.name === name && !states(d.doc)).map((d) => d.at))]).toEqual([]);
  expect(timeoutDocs.filter((d) => d.name === name).length).toBeGreaterThan(3);
});
