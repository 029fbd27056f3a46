// Server-side state of the OAuth endpoints: pending sign-ins, hosted-UI sessions (the `cognito`
// cookie) and authorization codes. Values are opaque random strings; nothing here is logged.
import { randomBytes } from 'node:crypto';
import type { EmulatorContext } from '../context.js';
import * as ids from '../ids.js';
import type { RefreshRecord } from '../tokens.js';

/** A validated /oauth2/authorize request, carried through the login pages. */
export interface AuthorizeRequest {
  readonly clientId: string;
  readonly poolId: string;
  readonly redirectUri: string;
  readonly state: string | undefined;
  readonly scopes: readonly string[];
  /** The S256 PKCE challenge, when the authorize request sent one (PKCE is optional). */
  readonly codeChallenge: string | undefined;
  readonly nonce: string | undefined;
  readonly loginHint: string | undefined;
}

/** A login in progress (the `flow` hidden field of the forms); 15 minutes. */
export interface PendingLogin {
  readonly request: AuthorizeRequest;
  readonly expiresAt: number;
  /** After a right password, for a user with MFA: who, which MFA, and until when (3 minutes). */
  mfa?: { readonly sub: string; readonly type: 'SOFTWARE_TOKEN_MFA' | 'SMS_MFA'; readonly smsCode?: string; readonly expiresAt: number };
}

/** The hosted-UI session behind the `cognito` cookie: one user of one pool, 1 hour. */
export interface WebSession {
  readonly poolId: string;
  readonly sub: string;
  /** Epoch seconds of the sign-in (auth_time of tokens issued from this session). */
  readonly authTime: number;
  readonly expiresAt: number;
}

/** An authorization code: single use, 5 minutes. */
export interface CodeRecord {
  readonly request: AuthorizeRequest;
  readonly sub: string;
  readonly authTime: number;
  readonly expiresAt: number;
  used: boolean;
  /** The tokens it was exchanged for, revoked if the code is presented again. */
  issued?: RefreshRecord;
}

export const PENDING_TTL_MS = 15 * 60 * 1000;
export const MFA_TTL_MS = 3 * 60 * 1000;
export const SESSION_TTL_MS = 60 * 60 * 1000;
export const CODE_TTL_MS = 5 * 60 * 1000;

export class OAuthStore {
  readonly pending = new Map<string, PendingLogin>();
  readonly sessions = new Map<string, WebSession>();
  readonly codes = new Map<string, CodeRecord>();

  constructor(private readonly ctx: EmulatorContext) {}

  startLogin(request: AuthorizeRequest): string {
    this.sweep();
    const flow = ids.base64url(randomBytes(24));
    this.pending.set(flow, { request, expiresAt: this.ctx.now() + PENDING_TTL_MS });
    return flow;
  }

  login(flow: string | null): PendingLogin | undefined {
    const pending = flow === null ? undefined : this.pending.get(flow);
    return pending && pending.expiresAt > this.ctx.now() ? pending : undefined;
  }

  startSession(poolId: string, sub: string): { id: string; session: WebSession } {
    const now = this.ctx.now();
    const id = ids.base64url(randomBytes(32));
    const session: WebSession = { poolId, sub, authTime: Math.floor(now / 1000), expiresAt: now + SESSION_TTL_MS };
    this.sessions.set(id, session);
    return { id, session };
  }

  session(id: string | undefined, poolId: string): WebSession | undefined {
    const session = id === undefined ? undefined : this.sessions.get(id);
    if (!session || session.expiresAt <= this.ctx.now() || session.poolId !== poolId) return undefined;
    return session;
  }

  issueCode(request: AuthorizeRequest, sub: string, authTime: number): string {
    this.sweep();
    const code = ids.uuid();
    this.codes.set(code, { request, sub, authTime, expiresAt: this.ctx.now() + CODE_TTL_MS, used: false });
    return code;
  }

  /** Drops what expired long enough ago that nobody can present it usefully. */
  private sweep(): void {
    const now = this.ctx.now();
    for (const [k, v] of this.pending) if (v.expiresAt <= now) this.pending.delete(k);
    for (const [k, v] of this.sessions) if (v.expiresAt <= now) this.sessions.delete(k);
    // Codes are kept an extra hour after expiry so a replay is still recognised as one.
    for (const [k, v] of this.codes) if (v.expiresAt + SESSION_TTL_MS <= now) this.codes.delete(k);
  }
}
