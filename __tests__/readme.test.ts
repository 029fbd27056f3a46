// The README against the code, so that it cannot drift: its createAuth(config) table lists exactly
// the fields of AuthConfig (src/config.ts) and FetchAuthConfig (authchart/fetch's config), read with
// the compiler API; and the two timeouts are defined there in the words of their TSDoc.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import ts from 'typescript';

const root = join(__dirname, '..');
const readme = readFileSync(join(root, 'README.md'), 'utf8');

const program = ts.createProgram([join(root, 'src/config.ts'), join(root, 'src/fetch/createAuth.ts')], {
  target: ts.ScriptTarget.ES2022,
  module: ts.ModuleKind.NodeNext,
  moduleResolution: ts.ModuleResolutionKind.NodeNext,
  strict: true,
  skipLibCheck: true,
  noEmit: true,
  types: ['node'],
});
const checker = program.getTypeChecker();

/** The properties of an interface, inherited ones included, by name. */
function propertiesOf(file: string, name: string): Map<string, ts.Symbol> {
  const source = program.getSourceFile(join(root, file))!;
  const declaration = source.statements.find((s): s is ts.InterfaceDeclaration => ts.isInterfaceDeclaration(s) && s.name.text === name)!;
  return new Map(checker.getPropertiesOfType(checker.getTypeAtLocation(declaration.name)).map((p) => [p.name, p]));
}

/** The rows of the table under `### \`createAuth(config)\``, by field name: [type, default, description]. */
function configTable(): Map<string, string[]> {
  const lines = readme.split('\n');
  const start = lines.findIndex((line) => line.trim() === '### `createAuth(config)`');
  if (start < 0) throw new Error('README.md has no "### `createAuth(config)`" section');
  const rows = new Map<string, string[]>();
  let inTable = false;
  for (const line of lines.slice(start + 1)) {
    if (!line.startsWith('|')) {
      if (inTable) break;
      continue;
    }
    inTable = true;
    const cells = line.slice(1, -1).split(' | ').map((cell) => cell.trim());
    const field = /^`(\w+)`$/.exec(cells[0] ?? '')?.[1];
    if (field) rows.set(field, cells.slice(1));
  }
  return rows;
}

const authConfig = propertiesOf('src/config.ts', 'AuthConfig');
const fetchConfig = propertiesOf('src/fetch/createAuth.ts', 'FetchAuthConfig');
const table = configTable();

test('the config interfaces and the table were read (the checks below mean something)', () => {
  expect(authConfig.has('userPoolId')).toBe(true);
  expect(fetchConfig.has('fetch')).toBe(true);
  expect(fetchConfig.has('client')).toBe(false);
  expect(table.has('userPoolId')).toBe(true);
});

test("README's createAuth(config) table lists every config field, and only those", () => {
  const fields = [...new Set([...authConfig.keys(), ...fetchConfig.keys()])].sort();
  expect([...table.keys()].sort()).toEqual(fields);
});

test.each(['networkTimeoutMs', 'storageTimeoutMs'])("README defines %s in the words of its TSDoc", (field) => {
  // The TSDoc's first sentence, without its "(default N)" (the table has a column for it).
  const doc = ts.displayPartsToString(authConfig.get(field)!.getDocumentationComment(checker)).replace(/\s+/g, ' ');
  const definition = doc.slice(0, doc.indexOf('. ')).replace(/ \(default \d+\)/, '');
  const cell = table.get(field)![2]!;
  expect(cell.toLowerCase()).toContain(definition.toLowerCase());
});
