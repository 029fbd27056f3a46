// Redaction of text that may echo a secret: error messages from a server, and (through
// src/inspect/redact.ts, which imports this module) inspection data. Pure: no Node APIs, no deps.
//
// The rule, for the secrets of one request (password, new password, MFA code, refresh or access
// token, Session, SECRET_HASH, client secret, …):
// - every secret is replaced whatever its length, in each form a server may echo it in:
//   raw; JSON-escaped (as JSON.stringify writes it, and with '/' as '\/' and non-ASCII as \uXXXX);
//   percent-encoded (encodeURIComponent, and form encoding with '+' for a space), hex in either case;
// - a secret of 1 to 3 characters is replaced only where it stands alone (no letter or digit right
//   before or after it), so that a short value never mangles the words of a message;
// - overlapping occurrences are replaced as one;
// - anything shaped like a JWT or JWE is replaced too, secret or not: a run of base64url
//   characters and dots holding 'eyJ' (base64 of '{"') followed by at least two dots.

/** What a secret is replaced with in a message. */
export const REDACTED_SECRET = '[redacted]';
/** What a JWT- or JWE-shaped run is replaced with in a message. */
export const REDACTED_JWT = '[redacted-jwt]';
/**
 * Server-supplied text in an error message is cut to this many characters after redaction, with
 * '…' appended when cut: a server that answers with megabytes does not get them copied into errors.
 */
export const MAX_SERVER_MESSAGE_LENGTH = 512;

/** Secrets this long or shorter are replaced only where they stand alone. */
const SHORT_SECRET_LENGTH = 3;
/** A run of base64url characters and dots: the unit in which JWTs and JWEs are found and replaced whole. */
const TOKEN_RUN = /[\w.-]+/g;
const ALPHANUMERIC = /[A-Za-z0-9]/;

/** The secrets of one request, each in every form it is looked for. Build once, use for many texts. */
export interface SecretSet {
  readonly forms: ReadonlyArray<{ readonly text: string; readonly standaloneOnly: boolean }>;
  /** The longest form, in characters. */
  readonly longest: number;
}

/** Every form of `secret` a server may echo: raw, JSON-escaped, percent- and form-encoded. */
function secretForms(secret: string): string[] {
  const forms = new Set<string>([secret]);
  const json = JSON.stringify(secret).slice(1, -1);
  for (const escaped of [json, json.replace(/\//g, '\\/')]) {
    forms.add(escaped);
    forms.add(escaped.replace(/[^\x00-\x7f]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`));
    forms.add(escaped.replace(/[^\x00-\x7f]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0').toUpperCase()}`));
  }
  const percent: string[] = [];
  try {
    const uri = encodeURIComponent(secret);
    percent.push(uri, uri.replace(/%20/g, '+'));
  } catch {
    // a lone surrogate: encodeURIComponent refuses it, and so would any server
  }
  percent.push(new URLSearchParams([['', secret]]).toString().slice(1));
  for (const form of percent) {
    forms.add(form);
    forms.add(form.replace(/%[0-9A-F]{2}/g, (hex) => hex.toLowerCase()));
  }
  forms.delete('');
  return [...forms];
}

/** The SecretSet of these values; empty and missing ones are skipped. */
export function compileSecrets(secrets: ReadonlyArray<string | undefined | null>): SecretSet {
  const forms: Array<{ text: string; standaloneOnly: boolean }> = [];
  const seen = new Set<string>();
  for (const secret of secrets) {
    if (typeof secret !== 'string' || secret === '') continue;
    const standaloneOnly = secret.length <= SHORT_SECRET_LENGTH;
    for (const text of secretForms(secret)) {
      const key = `${standaloneOnly ? 's' : 'a'}${text}`;
      if (!seen.has(key)) forms.push({ text, standaloneOnly }), seen.add(key);
    }
  }
  return { forms, longest: forms.reduce((n, form) => Math.max(n, form.text.length), 0) };
}

/** True when a run of base64url characters and dots is shaped like a JWT or JWE. */
function isJoseRun(run: string): boolean {
  const start = run.indexOf('eyJ');
  if (start < 0) return false;
  const firstDot = run.indexOf('.', start + 3);
  return firstDot >= 0 && run.indexOf('.', firstDot + 1) >= 0;
}

/** True when the text contains something shaped like a JWT or a JWE. */
export function containsJose(text: string): boolean {
  for (const match of text.matchAll(TOKEN_RUN)) if (isJoseRun(match[0])) return true;
  return false;
}

export interface RedactTextOptions {
  /** Replaces a secret. */
  readonly secret: string;
  /** Replaces a JWT/JWE-shaped run. */
  readonly jose: string;
  /** Cut the result to this many characters, '…' appended when cut. Default: no cut. */
  readonly maxLength?: number;
}

/** One region to replace: [start, end) of the text, and whether it holds a JWT. */
interface Region {
  start: number;
  end: number;
  jose: boolean;
}

/**
 * `text` with every form of every secret in `secrets`, and every JWT/JWE-shaped run, replaced
 * (see the rule at the top of this file). With `maxLength`, only a bounded prefix of `text` is
 * read, and the result has at most `maxLength` characters plus '…'.
 */
export function redactText(text: string, secrets: SecretSet, options: RedactTextOptions): string {
  const maxLength = options.maxLength ?? Infinity;
  // What is read: all of it, or (with a cap) a prefix long enough to fill the cap many times over.
  const scanLimit = Number.isFinite(maxLength) ? Math.max(16_384, maxLength * 32) + secrets.longest : Infinity;
  const cut = text.length > scanLimit;
  const window = cut ? text.slice(0, scanLimit) : text;
  // In a cut window, only text before `safeEnd` is certain: a secret starting there ends inside the
  // window, and the run the cut went through (maybe half a JWT) is left out whole.
  let safeEnd = cut ? window.length - secrets.longest : window.length;

  const regions: Region[] = [];
  for (const match of window.matchAll(TOKEN_RUN)) {
    const start = match.index ?? 0;
    const end = start + match[0].length;
    if (cut && end === window.length) safeEnd = Math.min(safeEnd, start);
    else if (isJoseRun(match[0])) regions.push({ start, end, jose: true });
  }
  for (const { text: form, standaloneOnly } of secrets.forms) {
    for (let at = window.indexOf(form); at >= 0; at = window.indexOf(form, at + 1)) {
      const end = at + form.length;
      if (standaloneOnly && (ALPHANUMERIC.test(window.charAt(at - 1)) || ALPHANUMERIC.test(window.charAt(end)))) continue;
      regions.push({ start: at, end, jose: false });
    }
  }
  regions.sort((a, b) => a.start - b.start);

  let out = '';
  let at = 0;
  const full = () => out.length > maxLength;
  const plain = (to: number) => {
    if (to > at) out += window.slice(at, Math.min(to, at + (maxLength + 1 - out.length)));
  };
  for (let i = 0; i < regions.length && !full(); ) {
    const region = regions[i]!;
    if (region.start >= safeEnd) break;
    let { end, jose } = region;
    for (i++; i < regions.length && regions[i]!.start < end; i++) {
      end = Math.max(end, regions[i]!.end);
      jose ||= regions[i]!.jose;
    }
    plain(region.start);
    if (full()) break;
    out += jose ? options.jose : options.secret;
    at = Math.max(at, end);
  }
  if (!full()) plain(safeEnd);
  if (!full() && !cut) return out;
  return `${out.slice(0, maxLength)}…`;
}

/**
 * Removes secrets from server-supplied text meant for an error message or a log: every form of
 * every value given, and anything shaped like a JWT (see the rule at the top of this file); then
 * cuts the result to `maxLength` (default MAX_SERVER_MESSAGE_LENGTH) characters, '…' appended.
 */
export function redact(text: string, secrets: ReadonlyArray<string | undefined> = [], maxLength = MAX_SERVER_MESSAGE_LENGTH): string {
  return redactText(text, compileSecrets(secrets), { secret: REDACTED_SECRET, jose: REDACTED_JWT, maxLength });
}
