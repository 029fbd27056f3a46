// The README against the code and the registry, so that it cannot drift:
// - its createAuth(config) table lists exactly the fields of AuthConfig (src/config.ts) and
//   FetchAuthConfig (authchart/fetch's config), read with the compiler API, and defines the two
//   timeouts in the words of their TSDoc;
// - its links work on the npm registry's page, which resolves no relative link (the package has no
//   repository URL): every link is absolute http(s) or an in-page #anchor; a link to one of our
//   files goes to https://unpkg.com/authchart/docs/<file> (unpkg serves the latest published
//   version, and docs/ is in the tarball), and that file exists under docs/; every #anchor, in the
//   README or in a linked doc, names a heading (GitHub's slugs).
import { existsSync, readFileSync } from 'node:fs';
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

// ---- Links ----

/** Written on another branch (the authchart/actors work): checked like any other once it exists. */
const ARRIVING = new Set(['docs/machines.md']);
const UNPKG = /^https:\/\/unpkg\.com\/authchart\/([^?#]+)(?:#(.*))?$/;

/** The text with fenced code blocks and inline code spans blanked out: links and headings there are not ones. */
function withoutCode(markdown: string): string {
  return markdown.replace(/^(```|~~~)[^\n]*\n[\s\S]*?^\1[^\n]*$/gm, '').replace(/`[^`\n]*`/g, '``');
}

/** Every link target in a markdown text: inline links and images, reference definitions, autolinks, HTML href/src. */
function linksIn(markdown: string): string[] {
  const text = withoutCode(markdown);
  return [
    ...[...text.matchAll(/\]\(\s*<?([^)\s>]*)>?(?:\s+"[^"]*")?\s*\)/g)].map((m) => m[1]!),
    ...[...text.matchAll(/^\s{0,3}\[[^\]]+\]:\s*<?(\S+?)>?(?:\s|$)/gm)].map((m) => m[1]!),
    ...[...text.matchAll(/<((?:https?|mailto):[^>\s]+)>/g)].map((m) => m[1]!),
    ...[...text.matchAll(/\b(?:href|src)\s*=\s*["']([^"']+)["']/g)].map((m) => m[1]!),
  ];
}

/** GitHub's heading ids (github-slugger): the heading's text, lower-cased, without punctuation, spaces as '-'; repeats get -1, -2, …. */
function headingIds(markdown: string): Set<string> {
  const ids = new Set<string>();
  const count = new Map<string, number>();
  // Code spans keep their text in a heading; only fenced blocks are removed here.
  const text = markdown.replace(/^(```|~~~)[^\n]*\n[\s\S]*?^\1[^\n]*$/gm, '');
  for (const [, heading] of text.matchAll(/^ {0,3}#{1,6}[ \t]+(.*?)(?:[ \t]+#+)?[ \t]*$/gm)) {
    const rendered = heading!
      .replace(/!?\[([^\]]*)\]\([^)]*\)/g, '$1') // links and images: their text
      .replace(/<[^>]+>/g, '') // HTML tags
      .replace(/[`*~]|\b_+|_+\b/g, ''); // code and emphasis markers (an underscore inside a word stays)
    const base = rendered.toLowerCase().replace(/[^\p{L}\p{M}\p{N}\p{Pc} -]/gu, '').replace(/ /g, '-');
    const seen = count.get(base) ?? 0;
    count.set(base, seen + 1);
    ids.add(seen === 0 ? base : `${base}-${seen}`);
  }
  return ids;
}

const readmeLinks = linksIn(readme);
const readmeIds = headingIds(readme);

test('the links and headings were read (the checks below mean something)', () => {
  expect(readmeLinks.length).toBeGreaterThan(20);
  expect(readmeIds).toContain('how-a-sign-out-runs');
  expect(readmeIds).toContain('install');
  expect(headingIds('## Why `GlobalSignOut` goes *first*\n## Why GlobalSignOut goes first\n')).toEqual(new Set(['why-globalsignout-goes-first', 'why-globalsignout-goes-first-1']));
  expect(linksIn('[a](https://x.test/a "t") ![b](#c) `[no](link)`\n[r]: https://x.test/r\n<https://x.test/auto> <img src="https://x.test/i.png">')).toEqual([
    'https://x.test/a',
    '#c',
    'https://x.test/r',
    'https://x.test/auto',
    'https://x.test/i.png',
  ]);
});

test('every README link is absolute http(s) or an in-page #anchor (npm resolves no relative link)', () => {
  const relative = readmeLinks.filter((link) => !/^https?:\/\//.test(link) && !link.startsWith('#'));
  expect(relative).toEqual([]);
});

test('every unpkg link of the README names a file under docs/ that exists (docs/ is what the tarball ships)', () => {
  const bad = readmeLinks
    .filter((link) => link.includes('unpkg.com'))
    .filter((link) => {
      const path = UNPKG.exec(link)?.[1];
      if (!path || !path.startsWith('docs/') || path.includes('..')) return true;
      return !existsSync(join(root, path)) && !ARRIVING.has(path);
    });
  expect(bad).toEqual([]);
});

test("every #anchor of the README, in-page or into a linked doc, names one of that file's headings", () => {
  const bad: string[] = [];
  for (const link of readmeLinks) {
    if (link.startsWith('#')) {
      if (!readmeIds.has(decodeURIComponent(link.slice(1)))) bad.push(link);
      continue;
    }
    const [, path, anchor] = UNPKG.exec(link) ?? [];
    if (!path || anchor === undefined || !existsSync(join(root, path))) continue;
    if (!headingIds(readFileSync(join(root, path), 'utf8')).has(decodeURIComponent(anchor))) bad.push(link);
  }
  expect(bad).toEqual([]);
});
