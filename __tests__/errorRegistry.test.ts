// The error registry (machines/errors/registry.ts) is the one place error names live. These tests
// fail on a name spelled out anywhere else in machines/, services/ or src/, on a registry entry
// whose class toAuthError does not make, and on the misclassifications the registry fixed.
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import ts from 'typescript';
import { createActor, toPromise, type AnyActorLogic } from 'xstate';
import * as errors from '../src/errors';
import { AccountCognitoExceptions, AccountErrorNames, CLASS_OF, CognitoExceptions, ErrorNames, meaningOf, PlatformErrorNames, registeredNames, SENT_OF, SERVER_CLASS_OF, ServerErrorNames, THROTTLING_NAMES } from '../machines/errors/registry';
import * as server from '../src/server/index';
import { endsSession, isRetryable, RETRYABLE_FAILURES, toErrorInfo } from '../machines/errorInfo';
import { ErrorNames as ErrorNamesFromTypes } from '../machines/types';
import { createAuthActors, type AuthServices } from '../services/actors/authActors';
import { createSignOutActors, type SignOutServices } from '../services/actors/signOutActors';
import { createSignInFlow } from '../services/actors/signInFlow';
import { lazyKit } from '../services/actors/lazyKit';
import { createSecretVault } from '../services/storage/secretVault';
import { meaningsInWords, renderErrorTable, ERROR_TABLE_PATH } from '../scripts/diagrams/errors';
import { toAccountError } from '../src/account/kit';
import { PasskeyErrorNames, WebAuthnPlatformNames } from '../machines/errors/passkeyNames';

const root = join(__dirname, '..');
/** The registry: registry.ts, and the server's and the account flows' names in serverNames.ts and accountNames.ts beside it. */
const isRegistry = (file: string): boolean => file.startsWith('machines/errors/');

/** Source files of the library (the emulator under src/testing stands in for Cognito and speaks its names, as Cognito does). */
function sources(dir: string): string[] {
  return readdirSync(join(root, dir), { withFileTypes: true }).flatMap((entry) => {
    const path = `${dir}/${entry.name}`;
    if (entry.isDirectory()) return path === 'src/testing' ? [] : sources(path);
    return /\.tsx?$/.test(entry.name) && !entry.name.endsWith('.d.ts') ? [path] : [];
  });
}

const ALL_NAMES: ReadonlySet<string> = new Set<string>([...registeredNames(), ...Object.values(PasskeyErrorNames), ...Object.values(PlatformErrorNames), ...Object.values(WebAuthnPlatformNames), ...THROTTLING_NAMES]);
/** Looks like an error name: ends like one, or is one the registry holds. */
const looksLikeAName = (text: string): boolean => ALL_NAMES.has(text) || /^[A-Z][A-Za-z0-9]*(Error|Exception)$/.test(text);
/** Classes whose first argument is an error name. */
const NAME_FIRST = /^(CognitoCallError|AuthError|CognitoServiceError|CognitoUnreachableError|UnexpectedResponseError|StorageError|HostedUiError|AuthStateError|DOMException)$/;

/** `{ name: 'HMAC', hash: 'SHA-256' }`: a Web Crypto algorithm (services/crypto/hashes.ts) names an algorithm, not an error. */
const isWebCryptoAlgorithm = (node: ts.Node): boolean => ts.isObjectLiteralExpression(node) && node.properties.some((p) => p.name?.getText() === 'hash');

interface Minted {
  readonly file: string;
  readonly line: number;
  readonly literal: string;
  readonly why: string;
}

/** Every string literal in `file` that names an error, outside the registry. */
function mintedIn(file: string): Minted[] {
  const text = readFileSync(join(root, file), 'utf8');
  const source = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true);
  const found: Minted[] = [];
  const report = (node: ts.Node, literal: string, why: string) =>
    found.push({ file, line: source.getLineAndCharacterOfPosition(node.getStart()).line + 1, literal, why });
  const visit = (node: ts.Node): void => {
    if (ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node)) {
      const parent = node.parent;
      // `static readonly kind = 'StorageError'` in src/errors.ts is a class's own name, not an error name.
      const isKind = ts.isPropertyDeclaration(parent) && parent.name.getText() === 'kind';
      // Type positions (`'StorageError' | …` in a union of class names) are not values.
      const isType = ts.isLiteralTypeNode(parent);
      const isImport = ts.isImportDeclaration(parent) || ts.isExportDeclaration(parent) || ts.isExternalModuleReference(parent);
      if (!isKind && !isType && !isImport) {
        if (looksLikeAName(node.text)) report(node, node.text, 'a literal error name');
        else if (ts.isPropertyAssignment(parent) && parent.name.getText() === 'name' && parent.initializer === node && !isWebCryptoAlgorithm(parent.parent)) report(node, node.text, '{ name: literal }');
        else if (ts.isBinaryExpression(parent) && /^(===|!==|==|!=)$/.test(parent.operatorToken.getText())) {
          const other = parent.left === node ? parent.right : parent.left;
          // `typeof x.name === 'string'` is a type test, and a challenge's name (PASSWORD_VERIFIER) is no error's.
          if (/\.name$/.test(other.getText()) && !ts.isTypeOfExpression(other) && !/^[A-Z0-9_]+$/.test(node.text)) report(node, node.text, '.name compared with a literal');
        } else if (ts.isNewExpression(parent) && NAME_FIRST.test(parent.expression.getText()) && parent.arguments?.[parent.expression.getText() === 'DOMException' ? 1 : 0] === node) {
          report(node, node.text, `new ${parent.expression.getText()}(literal name)`);
        }
      }
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return found;
}

describe('no error name is minted outside the registry', () => {
  const files = ['machines', 'services', 'src'].flatMap(sources).filter((file) => !isRegistry(file));
  const minted = files.flatMap(mintedIn);

  test('the scan reads the library (it sees the sources, and would see a name)', () => {
    expect(files).toEqual(expect.arrayContaining(['machines/signOutMachine.ts', 'services/actors/signInFlow.ts', 'src/errors.ts']));
    const probe = ts.createSourceFile('x.ts', "throw new CognitoCallError('AbortError', 'x'); if (e.name === 'Foo') {}", ts.ScriptTarget.Latest, true);
    expect(probe.statements.length).toBe(2);
  });

  test('machines/, services/ and src/ spell no error name of their own', () => {
    expect(minted.map((m) => `${m.file}:${m.line} ${m.literal} (${m.why})`)).toEqual([]);
  });
});

describe('the registry', () => {
  const names = registeredNames();

  test('ErrorNames is importable from its old path, the same object', () => {
    expect(ErrorNamesFromTypes).toBe(ErrorNames);
  });

  test('each name is in at most one class list; the rest are Cognito\'s and the four of ours Cognito would refuse or has ended', () => {
    const listed = [...Object.values(CLASS_OF).flat(), ...Object.values(SERVER_CLASS_OF).flat(), ...Object.values(AccountErrorNames)];
    expect(new Set(listed).size).toBe(listed.length);
    for (const name of listed) expect(names).toContain(name);
    const rest = names.filter((name) => !listed.includes(name));
    expect(rest.sort()).toEqual(
      [
        ...new Set<string>([
        ...Object.values(CognitoExceptions),
        // Cognito's names the account flows decide on or explain (the passkeys' WebAuthn…Exception among them).
        ...Object.values(AccountCognitoExceptions),
        ServerErrorNames.userNotFound,
        ErrorNames.unsupportedChallenge,
        ErrorNames.revocationNotEnabled,
        ErrorNames.globalSignOutNotSupported,
        ErrorNames.refreshTokenMissing,
        // Cognito's NotAuthorizedException for a refresh of a device it no longer knows (issue 22), named apart.
        ErrorNames.deviceRefreshRefused,
        // The app's API's answer to a sign-out's announcement, as sent (a result carries it; nothing throws it).
        ErrorNames.apiRefused,
        ErrorNames.apiUnavailable,
        ]),
      ].sort(),
    );
    for (const name of [...RETRYABLE_FAILURES, ...SENT_OF.notSent, ...SENT_OF.unknown]) expect(names).toContain(name);
  });

  const serverNames: readonly string[] = Object.values(SERVER_CLASS_OF).flat();

  test.each(Object.entries(SERVER_CLASS_OF).flatMap(([errorClass, list]) => list.map((name) => [name, errorClass])))(
    "%s (authchart/server's own, never a statechart's) is %s, exported by authchart/server: an AuthError, name kept",
    (name, errorClass) => {
      expect(meaningOf(name).class).toBe(errorClass);
      const made =
        errorClass === 'TokenRevokedError'
          ? new server.TokenRevokedError('session')
          : errorClass === 'ServerRequestError'
            ? new server.ServerRequestError(name as server.ServerRequestErrorName, 'm')
            : new server.RevocationUnavailableError('m');
      expect(made.constructor.name).toBe(errorClass);
      expect(made).toBeInstanceOf(errors.AuthError);
      expect(made.name).toBe(name);
    },
  );

  const accountNames: readonly string[] = Object.values(AccountErrorNames);

  // createAuth's bundles carry toAuthError; the account flows' names are made by authchart/account's own toAccountError.
  test.each(accountNames)('%s (authchart/account\'s own) is an AuthStateError: meaningOf says so, toAccountError makes it, name kept, and none is sent', (name) => {
    expect(meaningOf(name)).toEqual({ class: 'AuthStateError', retryable: false, endsSession: false, sent: 'notSent' });
    const made = toAccountError({ name, message: 'm' });
    expect(made).toBeInstanceOf(errors.AuthStateError);
    expect(made.name).toBe(name);
    expect(toAccountError({ name: CognitoExceptions.codeMismatch, message: 'm' })).toBeInstanceOf(errors.CognitoServiceError);
  });

  test.each(names.filter((name) => !serverNames.includes(name) && !accountNames.includes(name)).map((name) => [name, meaningOf(name).class]))('%s: toAuthError makes an exported %s, name kept', (name, errorClass) => {
    const made = errors.toAuthError({ name, message: 'm' });
    const exported = (errors as unknown as Record<string, abstract new (...args: never[]) => unknown>)[errorClass];
    expect(exported).toBeDefined();
    expect(made).toBeInstanceOf(exported!);
    expect(made).toBeInstanceOf(errors.AuthError);
    expect(made.name).toBe(name);
  });

  test('a name it does not hold is Cognito’s final word on a request it received', () => {
    expect(meaningOf('UserNotFoundException')).toEqual({ class: 'CognitoServiceError', retryable: false, endsSession: false, sent: 'sent' });
    expect(errors.toAuthError({ name: 'UserNotFoundException', message: 'm' })).toBeInstanceOf(errors.CognitoServiceError);
  });

  test('retryable and session-ending are read from it', () => {
    expect([...RETRYABLE_FAILURES].sort()).toEqual(names.filter((name) => meaningOf(name).retryable).sort());
    expect(names.filter((name) => meaningOf(name).endsSession).sort()).toEqual([CognitoExceptions.notAuthorized, ErrorNames.refreshTokenMissing, ErrorNames.deviceRefreshRefused].sort());
    for (const name of names) expect([name, isRetryable(name), endsSession(name)]).toEqual([name, meaningOf(name).retryable, meaningOf(name).endsSession]);
    expect(isRetryable(ErrorNames.network)).toBe(true);
    expect(isRetryable(CognitoExceptions.codeMismatch)).toBe(false);
  });

  test(`${ERROR_TABLE_PATH} is the registry's table (npm run docs)`, () => {
    expect(readFileSync(join(root, ERROR_TABLE_PATH), 'utf8')).toBe(renderErrorTable());
  });

  // The messages that ship in an app's bundle are short; the full meaning of each name is in the docs.
  // The passkey ceremony's names (a file apart, machines/errors/passkeyNames.ts): authchart/account makes each an AuthStateError, and the table lists them.
  test.each(Object.values(PasskeyErrorNames))('%s (a passkey ceremony\'s own) is an AuthStateError as toAccountError makes it, name kept, and a row of the table', (name) => {
    const made = toAccountError({ name, message: 'm' });
    expect(made).toBeInstanceOf(errors.AuthStateError);
    expect(made.name).toBe(name);
    expect(renderErrorTable()).toContain(`| \`${name}\` | ours | \`AuthStateError\` | final | no | no |`);
  });

  test(`${ERROR_TABLE_PATH} says in words what every registered name means, from the registry's doc comments`, () => {
    const words = meaningsInWords();
    expect([...registeredNames(), ...Object.values(PasskeyErrorNames)].filter((name) => !words.get(name))).toEqual([]);
    expect(words.get(ErrorNames.globalSignOutNotSupported)).toMatch(/aws\.cognito\.signin\.user\.admin.*oauth\.scopes/);
  });
});

describe('what the registry fixed', () => {
  /** Runs one promise actor to its end: its output, or the ErrorInfo it rejected with. */
  async function run(logic: AnyActorLogic, input?: unknown) {
    try {
      return { output: await toPromise(createActor(logic, { input }).start()) };
    } catch (error) {
      return { error: toErrorInfo(error) };
    }
  }

  test('a sign-out intent whose tokens are gone is TokensMissing: final, not a retryable UnexpectedResponse', async () => {
    const services = { outbox: { tokensOf: () => null } } as unknown as SignOutServices;
    const { error } = await run(createSignOutActors(services).revokeToken, { intentId: 'i1' });
    expect(error?.name).toBe(ErrorNames.tokensMissing);
    expect(isRetryable(error!.name)).toBe(false);
    expect(error!.name).not.toBe(ErrorNames.unexpectedResponse);
  });

  test("a retry whose tokens were already taken is TokensMissing, not retryable", async () => {
    const services = { vault: createSecretVault() } as unknown as SignOutServices;
    const { error } = await run(createSignOutActors(services).recordIntent, { source: { kind: 'retry', credential: 'secret#404' }, global: false });
    expect(error?.name).toBe(ErrorNames.tokensMissing);
    expect(isRetryable(error!.name)).toBe(false);
  });

  test('a fault of ours (a sign-in step whose password left the vault) is an AuthInternalError, not a Cognito exception nor UnexpectedResponse', async () => {
    const flow = createSignInFlow({ kit: lazyKit, cognito: {} as never, store: {} as never, vault: createSecretVault(), userPoolId: 'eu-west-1_x', networkTimeoutMs: 100, outbox: {} as never });
    const error = toErrorInfo(await flow.start({ username: 'u', authFlow: 'USER_PASSWORD_AUTH', credential: 'secret#404' }, new AbortController().signal).catch((e: unknown) => e));
    expect(error.name).toBe(ErrorNames.internal);
    expect(errors.toAuthError(error)).toBeInstanceOf(errors.AuthInternalError);
  });

  test("SRP's own fault in a sign-in (a degenerate SRP_B) reaches the app under the registry's name, as an UnexpectedResponseError", async () => {
    const vault = createSecretVault();
    const challenge = { kind: 'challenge', name: 'PASSWORD_VERIFIER', session: undefined, parameters: { SRP_B: '0', SALT: 'ab', SECRET_BLOCK: 'AAAA', USER_ID_FOR_SRP: 'u' } };
    const cognito = { initiateAuth: async () => challenge } as never;
    const flow = createSignInFlow({ kit: lazyKit, cognito, store: {} as never, vault, userPoolId: 'eu-west-1_x', networkTimeoutMs: 1000, outbox: {} as never });
    const credential = vault.deposit('the-password');
    const error = toErrorInfo(await flow.start({ username: 'u', authFlow: 'USER_SRP_AUTH', credential }, new AbortController().signal).catch((e: unknown) => e));
    expect(error.name).toBe(ErrorNames.srp);
    expect(error.message).not.toContain('the-password');
    expect(errors.toAuthError(error)).toBeInstanceOf(errors.UnexpectedResponseError);
  });

  test.each([ErrorNames.unnamed, ErrorNames.actorNotProvided, ErrorNames.internal])('%s (code that threw) is an AuthInternalError, never an UnexpectedResponseError', (name) => {
    const made = errors.toAuthError({ name, message: 'a bug' });
    expect(made).toBeInstanceOf(errors.AuthInternalError);
    expect(made).not.toBeInstanceOf(errors.UnexpectedResponseError);
    expect(made.message).toBe('a bug');
  });

  test('a config error a service raises names the field that is wrong, not always oauth', async () => {
    // refreshTokenRotation with a transport that cannot rotate: the transport is the culprit.
    const tokens = { accessToken: 'a', idToken: 'i', refreshToken: 'r' };
    const services = {
      cognito: {},
      store: { generation: async () => 1, load: async () => tokens },
      refreshTokenRotation: true,
    } as unknown as AuthServices;
    const { error } = await run(createAuthActors(services).refreshTokens, { username: 'u', signedInWith: 'password', expiresAt: 0 });
    expect(error).toMatchObject({ name: ErrorNames.config, field: 'transport' });
    const made = errors.toAuthError(error!);
    expect(made).toBeInstanceOf(errors.AuthConfigError);
    expect(made).toMatchObject({ field: 'transport', message: expect.stringContaining('getTokensFromRefreshToken') });
  });

  test('toAuthError keeps a recorded field, and a config error without one says config', () => {
    expect(errors.toAuthError({ name: ErrorNames.config, message: 'is needed', field: 'oauth' })).toMatchObject({ field: 'oauth' });
    expect(errors.toAuthError({ name: ErrorNames.config, message: 'is wrong' })).toMatchObject({ field: 'config' });
  });

  test('there is one public class named StorageError', () => {
    const declared = ['machines', 'services', 'src'].flatMap(sources).filter((file) => /class StorageError\b/.test(readFileSync(join(root, file), 'utf8')));
    expect(declared.map((file) => relative(root, join(root, file)))).toEqual(['src/errors.ts']);
  });
});
