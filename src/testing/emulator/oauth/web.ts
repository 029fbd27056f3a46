// HTTP helpers for the OAuth endpoints: forms, cookies, HTML pages, redirects, JSON errors, CORS.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { send } from '../http.js';

export const SESSION_COOKIE = 'cognito';

export function parseForm(body: string): URLSearchParams {
  return new URLSearchParams(body);
}

export function isFormRequest(req: IncomingMessage): boolean {
  const type = req.headers['content-type'] ?? '';
  return type.split(';')[0]?.trim().toLowerCase() === 'application/x-www-form-urlencoded';
}

export function cookies(req: IncomingMessage): Map<string, string> {
  const out = new Map<string, string>();
  for (const part of (req.headers.cookie ?? '').split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0) out.set(part.slice(0, eq).trim(), part.slice(eq + 1).trim());
  }
  return out;
}

export function sessionCookie(value: string, maxAgeSeconds: number): string {
  return `${SESSION_COOKIE}=${value}; Path=/; Max-Age=${maxAgeSeconds}; HttpOnly; SameSite=Lax`;
}

export const CLEAR_SESSION_COOKIE = `${SESSION_COOKIE}=; Path=/; Max-Age=0; Expires=Thu, 01 Jan 1970 00:00:00 GMT; HttpOnly; SameSite=Lax`;

export function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

const NO_STORE = { 'cache-control': 'no-store', pragma: 'no-cache' };

export function sendPage(res: ServerResponse, status: number, title: string, body: string, cookie?: string): void {
  const html = `<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8"><link rel="icon" href="data:,"><title>${escapeHtml(title)}</title></head>\n<body>\n<h1>${escapeHtml(title)}</h1>\n${body}\n</body></html>\n`;
  send(res, status, html, 'text/html; charset=utf-8', { ...NO_STORE, ...(cookie === undefined ? {} : { 'set-cookie': cookie }) });
}

/** The error page shown instead of redirecting (unknown client, redirect_uri not allowed, …). */
export function sendErrorPage(res: ServerResponse, error: string, description: string): void {
  sendPage(res, 400, 'An error was encountered with the requested page.', `<p id="error" data-error="${escapeHtml(error)}">${escapeHtml(error)}: ${escapeHtml(description)}</p>`);
}

export function redirect(res: ServerResponse, location: string, cookie?: string): void {
  send(res, 302, '', 'text/plain', { location, ...NO_STORE, ...(cookie === undefined ? {} : { 'set-cookie': cookie }) });
}

/** `uri` with these query parameters added (undefined values left out). */
export function withQuery(uri: string, params: Record<string, string | undefined>): string {
  const url = new URL(uri);
  for (const [key, value] of Object.entries(params)) if (value !== undefined) url.searchParams.set(key, value);
  return url.toString();
}

export function sendOAuthJson(res: ServerResponse, status: number, body: unknown, extra?: Record<string, string>): void {
  send(res, status, JSON.stringify(body), 'application/json;charset=UTF-8', { ...NO_STORE, ...extra });
}

export function sendOAuthError(res: ServerResponse, status: number, error: string, description?: string, extra?: Record<string, string>): void {
  sendOAuthJson(res, status, description === undefined ? { error } : { error, error_description: description }, extra);
}

// ---- CORS ---------------------------------------------------------------------------------

const LOOPBACK_ORIGIN = /^https?:\/\/(127\.0\.0\.1|localhost|\[::1\])(:\d{1,5})?$/i;
const ALLOWED_HEADERS = new Set(['content-type', 'x-amz-target', 'x-amz-user-agent', 'authorization', 'x-amz-date', 'x-amz-security-token', 'x-amz-content-sha256', 'cache-control']);
const EXPOSED_HEADERS = 'x-amzn-requestid, x-amzn-errortype, x-amz-apigw-id, date, content-length, www-authenticate';
const WELL_KNOWN = /^\/[^/]+\/\.well-known\/(openid-configuration|jwks\.json)$/;

/** Paths a browser page calls with fetch: the JSON API and the non-navigation OAuth endpoints. */
export function isCorsPath(pathname: string): boolean {
  return pathname === '/' || pathname === '/oauth2/token' || pathname === '/oauth2/revoke' || pathname === '/oauth2/userInfo' || WELL_KNOWN.test(pathname);
}

function allowedOrigin(req: IncomingMessage): string | undefined {
  const origin = req.headers.origin;
  return typeof origin === 'string' && LOOPBACK_ORIGIN.test(origin) ? origin : undefined;
}

/** Adds Access-Control-Allow-Origin (echoing a loopback origin) to the response being built. */
export function applyCors(req: IncomingMessage, res: ServerResponse): void {
  const origin = allowedOrigin(req);
  res.setHeader('vary', 'Origin');
  if (origin === undefined) return;
  res.setHeader('access-control-allow-origin', origin);
  res.setHeader('access-control-expose-headers', EXPOSED_HEADERS);
}

/** Answers a CORS preflight: the requested headers that are allowed, POST/GET, 10 minutes. */
export function answerPreflight(req: IncomingMessage, res: ServerResponse, corsPath: boolean): void {
  const origin = allowedOrigin(req);
  if (!corsPath || origin === undefined) {
    send(res, 403, '', 'text/plain');
    return;
  }
  const requested = String(req.headers['access-control-request-headers'] ?? '')
    .split(',')
    .map((h) => h.trim().toLowerCase())
    .filter((h) => h !== '' && (ALLOWED_HEADERS.has(h) || h.startsWith('amz-sdk-')));
  send(res, 204, '', 'text/plain', {
    'access-control-allow-origin': origin,
    'access-control-allow-methods': 'GET, POST, OPTIONS',
    'access-control-allow-headers': requested.join(', '),
    'access-control-max-age': '600',
  });
}

export function send200Empty(res: ServerResponse): void {
  send(res, 200, '', 'text/plain', NO_STORE);
}
