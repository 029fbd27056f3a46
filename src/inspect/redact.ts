// A redacting deep copy for inspection data. Pure and dependency-free (no xstate, no Node APIs),
// so it can run in the browser, in Node, and inside an inspector's `serialize` hook.
//
// It walks anything: XState inspection events (xstate.init input, child actor inputs and outputs,
// xstate.done.actor.* outputs, xstate.promise.resolve data), snapshots, context, errors,
// Stately inspection events. It never throws, never mutates its input, and returns JSON-safe data.
//
// Strings are redacted by services/encoding/redact.ts's rule (one definition for messages and inspection):
// every form of every known secret (raw, JSON-escaped, percent-encoded; 1-3 character secrets only
// where they stand alone), and anything shaped like a JWT or JWE.
import { compileSecrets, containsJose, redactText, type SecretSet } from '../../services/encoding/redact.js';

export { containsJose };

/** What a redacted value is replaced with. */
export const REDACTED = '[redacted]';

/**
 * Keys whose values are secrets, compared after lower-casing and dropping '_' and '-':
 * `accessToken`, `ACCESS_TOKEN` and `access-token` are the same key.
 */
export const SECRET_KEYS: ReadonlySet<string> = new Set([
  'accesstoken', 'idtoken', 'refreshtoken', 'token', 'tokens', 'newtoken', 'retrytoken',
  'password', 'newpassword', 'previouspassword', 'proposedpassword', 'oldpassword', 'temporarypassword',
  'clientsecret', 'secret', 'secrethash', 'apikey', 'privatekey', 'authorization', 'cookie', 'setcookie',
  'challengeresponse', 'challengeresponses', 'answer', 'session',
  'confirmationcode', 'mfacode', 'totpcode', 'smsmfacode', 'softwaretokenmfacode', 'usercode', 'secretcode',
  'srpa', 'srpb', 'salt', 'secretblock', 'passwordclaimsignature', 'passwordclaimsecretblock', 'devicepassword', 'devicesecretverifierconfig',
]);

/**
 * Keys that may hold either a secret string or a harmless record: only a primitive value is
 * redacted, an object is walked. (`Session` is Cognito's opaque challenge session; authchart's
 * `context.session` is a token-free summary; `tokens` is walked so its own keys decide.)
 */
const SECRET_IF_PRIMITIVE: ReadonlySet<string> = new Set(['session', 'tokens', 'token']);

const DEFAULT_MAX_DEPTH = 64;

/** redactDeep()'s options. */
export interface RedactOptions {
  /** Known secret values (passwords, codes, client secret, tokens): replaced wherever they appear. */
  readonly secrets?: ReadonlyArray<string | undefined | null>;
  /** Deeper values become '[depth limit]'. Default 64. */
  readonly maxDepth?: number;
}

export function normalizeKey(key: string): string {
  return key.toLowerCase().replace(/[_\-\s]/g, '');
}

/** Whether values under `key` are secrets: `key` is one of SECRET_KEYS once lower-cased, without '_', '-' or spaces. */
export function isSecretKey(key: string): boolean {
  return SECRET_KEYS.has(normalizeKey(key));
}

/**
 * Redacts one string: JWT/JWE-shaped parts, and every known secret in raw, JSON-escaped and
 * percent-encoded form (a secret of 1-3 characters only where it stands alone).
 */
export function redactString(text: string, secrets: ReadonlyArray<string | undefined | null> = []): string {
  return redactCompiled(text, compileSecrets(secrets));
}

function redactCompiled(text: string, secrets: SecretSet): string {
  return redactText(text, secrets, { secret: REDACTED, jose: REDACTED });
}

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

/**
 * Returns a redacted, JSON-safe deep copy of `value`:
 * - values under a secret key (see SECRET_KEYS, case-insensitive) become '[redacted]';
 * - strings shaped like a JWT/JWE, or containing a known secret, are redacted;
 * - actor refs become their sessionId (or id), machines `{ id }`, state nodes their id;
 * - errors become `{ name, message, stack, ...own fields }`, redacted too;
 * - cycles become '[circular]'; functions and symbols are dropped; Maps, Sets, Dates are converted.
 */
export function redactDeep(value: unknown, options: RedactOptions = {}): Json | undefined {
  const secrets = (options.secrets ?? []).filter((s): s is string => typeof s === 'string' && s.length > 0);
  const compiled = compileSecrets(secrets);
  const clean = (text: string) => redactCompiled(text, compiled);
  const maxDepth = options.maxDepth ?? DEFAULT_MAX_DEPTH;
  const ancestors = new Set<object>();

  function walk(input: unknown, depth: number): Json | undefined {
    switch (typeof input) {
      case 'string':
        return clean(input);
      case 'number':
        return Number.isFinite(input) ? (secrets.includes(String(input)) ? REDACTED : input) : String(input);
      case 'boolean':
        return input;
      case 'bigint':
        return secrets.includes(String(input)) ? REDACTED : String(input);
      case 'undefined':
      case 'function':
      case 'symbol':
        return undefined;
    }
    if (input === null) return null;
    const object = input as object;
    if (ancestors.has(object)) return '[circular]';
    if (depth >= maxDepth) return '[depth limit]';
    ancestors.add(object);
    try {
      return walkObject(object, depth);
    } catch {
      return '[unreadable]'; // a throwing getter or proxy: never let it escape
    } finally {
      ancestors.delete(object);
    }
  }

  function walkEntries(entries: Iterable<[string, unknown]>, depth: number): { [key: string]: Json } {
    const out: { [key: string]: Json } = {};
    for (const [key, child] of entries) {
      const normalized = normalizeKey(key);
      if (SECRET_KEYS.has(normalized) && !(SECRET_IF_PRIMITIVE.has(normalized) && typeof child === 'object')) {
        if (child !== undefined && typeof child !== 'function') out[key] = child === null ? null : REDACTED;
        continue;
      }
      const copy = walk(child, depth + 1);
      if (copy !== undefined) out[key] = copy;
    }
    return out;
  }

  function walkObject(object: object, depth: number): Json {
    if (Array.isArray(object)) return object.map((item) => walk(item, depth + 1) ?? null);
    const record = object as Record<string, unknown>;
    if (isActorRef(record)) return walk(typeof record.sessionId === 'string' ? record.sessionId : record.id, depth + 1) ?? null;
    if (isStateMachine(record)) return { id: walk(record.id, depth + 1) ?? null };
    if (isStateNode(record)) return walk(record.id, depth + 1) ?? null;
    if (object instanceof Error) {
      const fields = Object.entries(object).filter(([key]) => key !== 'name' && key !== 'message' && key !== 'stack' && key !== 'cause');
      return {
        name: clean(String(object.name)),
        message: clean(String(object.message)),
        ...(typeof object.stack === 'string' && { stack: clean(object.stack) }),
        ...('cause' in object && object.cause !== undefined && { cause: walk(object.cause, depth + 1) ?? null }),
        ...walkEntries(fields, depth),
      };
    }
    if (object instanceof Date) return Number.isNaN(object.getTime()) ? null : object.toISOString();
    if (object instanceof RegExp) return clean(String(object));
    if (object instanceof Map) return walkEntries([...object.entries()].map(([key, child]) => [String(key), child]), depth);
    if (object instanceof Set) return [...object].map((item) => walk(item, depth + 1) ?? null);
    if (ArrayBuffer.isView(object) || object instanceof ArrayBuffer) return `[${object.constructor.name}]`;
    if (typeof (object as { then?: unknown }).then === 'function') return '[promise]';
    const proto = Object.getPrototypeOf(object) as object | null;
    if (proto !== null && proto !== Object.prototype && typeof record.toJSON === 'function') {
      const json: unknown = (record.toJSON as () => unknown)();
      if (json !== object) return walk(json, depth + 1) ?? null;
    }
    return walkEntries(Object.entries(record), depth);
  }

  try {
    return walk(value, 0);
  } catch {
    return '[unreadable]';
  }
}

function isActorRef(value: Record<string, unknown>): boolean {
  return typeof value.sessionId === 'string' && typeof value.send === 'function' && typeof value.getSnapshot === 'function';
}

function isStateMachine(value: Record<string, unknown>): boolean {
  return typeof value.id === 'string' && typeof value.transition === 'function' && typeof value.getInitialSnapshot === 'function' && typeof value.root === 'object';
}

function isStateNode(value: Record<string, unknown>): boolean {
  return typeof value.id === 'string' && typeof value.machine === 'object' && value.machine !== null && 'parent' in value && typeof value.key === 'string';
}
