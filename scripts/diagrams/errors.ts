// Renders docs/errors.md: every error name the registry holds (machines/errors/registry.ts), with
// its public class and what it means. Pure and deterministic; __tests__/errorRegistry.test.ts
// fails when the committed file drifts.
import { readFileSync } from 'node:fs';
import { AccountCognitoExceptions, CognitoExceptions, meaningOf, registeredNames, ServerErrorNames, type Sent } from '../../machines/errors/registry.js';
import { PasskeyErrorNames } from '../../machines/errors/passkeyNames.js';
import { DOCS_COMMAND } from './render.js';

/** Where the table lives, relative to the repository root. */
export const ERROR_TABLE_PATH = 'docs/errors.md';
/** The registry's sources, relative to the repository root (where `npm run docs` and jest run). */
const REGISTRY_PATHS = ['machines/errors/registry.ts', 'machines/errors/serverNames.ts', 'machines/errors/accountNames.ts', 'machines/errors/passkeyNames.ts'];

const SENT: { readonly [sent in Sent]: string } = { sent: 'yes', notSent: 'no', unknown: 'maybe' };

/**
 * What each name means, in words: the doc comment above its entry in the registry's source (the
 * first one, for a name both ErrorNames and CognitoExceptions hold). The messages an app's bundle
 * carries stay short; the long explanation lives here, in docs/errors.md.
 */
export function meaningsInWords(source = REGISTRY_PATHS.map((path) => readFileSync(path, 'utf8')).join('\n')): Map<string, string> {
  const words = new Map<string, string>();
  for (const [, comment, name] of source.matchAll(/\/\*\*((?:(?!\*\/)[\s\S])*)\*\/\s*\w+: '([^']+)',/g)) {
    const text = comment!.split('\n').map((line) => line.replace(/^\s*\*?\s?/, '').trim()).filter(Boolean).join(' ');
    if (!words.has(name!)) words.set(name!, text.replace(/\|/g, '\\|'));
  }
  return words;
}

export function renderErrorTable(): string {
  const cognitos = new Set<string>([...Object.values(CognitoExceptions), ...Object.values(AccountCognitoExceptions), ServerErrorNames.userNotFound]);
  const words = meaningsInWords();
  // The passkey ceremony's names are a file apart (passkeyNames.ts says why): AuthStateError, final, nothing sent.
  const passkeys: readonly string[] = Object.values(PasskeyErrorNames);
  const rows = [...registeredNames(), ...passkeys].map((name) => {
    const { class: errorClass, retryable, endsSession, sent } = passkeys.includes(name) ? { class: 'AuthStateError', retryable: false, endsSession: false, sent: 'notSent' as const } : meaningOf(name);
    return `| \`${name}\` | ${cognitos.has(name) ? "Cognito's" : 'ours'} | \`${errorClass}\` | ${retryable ? 'retryable' : 'final'} | ${endsSession ? 'yes' : 'no'} | ${SENT[sent]} | ${words.get(name) ?? ''} |`;
  });
  return [
    '# Error names',
    '',
    `<!-- Generated from machines/errors/registry.ts by \`${DOCS_COMMAND}\`; do not edit by hand. -->`,
    '',
    'Every error name authchart reports or decides on, in one registry (`machines/errors/registry.ts`).',
    "`error.name` is the name; the class is the exported `AuthError` subclass the error is an instance of.",
    '',
    '- **retryable**: a later try can fix it. A sign-out keeps it for the outbox or `retrySignOut()`;',
    "  a final one is reported with `finishedBy: 'nothing'`.",
    '- **ends session**: a refresh that fails with it means the session is over, and the store is cleared.',
    '- **sent**: whether the request reached Cognito: yes, no (nothing left the device), or maybe',
    '  (a reset, a deadline or an abort may have come after Cognito received it).',
    '',
    "A name not listed (Cognito has many more exceptions) is Cognito's final word on a request it",
    'received: a `CognitoServiceError`, final, not the end of the session. A config or argument error',
    '(`AuthConfigError`, `AuthValidationError`) names the culprit in `field`.',
    '',
    '`TokenRevoked` and `RevocationListUnavailable` are met only by an API server\'s revocation list',
    "(`authchart/server`, [server](https://unpkg.com/authchart/docs/server.md)), which exports their classes. `UserNotFoundException` is listed",
    "because that list takes it (GetUser's answer for a deleted user) as revoked; to a client it is Cognito's final word, as above.",
    '',
    '`NotSignedIn`, `CsrfHeaderMissing`, `OriginNotAllowed`, `RouteNotFound`, `MethodNotAllowed`, `BodyTooLarge`, `BadRequestBody`,',
    "`ProxyPathRefused` and `UpstreamUnreachable` are the backend-for-frontend's refusals of a request (`createServerAuth`,",
    "`ServerRequestError`): each is answered `{ error: { name, message } }` with the HTTP status its meaning names.",
    '',
    "An error's message says what happened and what to do, briefly (it ships in every app's bundle);",
    '**what it means** below says it in full, from the comment on each name in the registry.',
    '',
    '| Name | Whose | Class | Retryable | Ends session | Sent | What it means |',
    '|---|---|---|---|---|---|---|',
    ...rows,
    '',
  ].join('\n');
}
