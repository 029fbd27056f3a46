// Issue 18, "facts out, decisions in": the hosted-UI flow reports the OAuth error code as received,
// and the auth chart decides what it means (oauthRefusalOf, the guard isRedirectRefused).
import { createActor, fromPromise, waitFor } from 'xstate';
import { authMachine, type StoredSession } from '../machines/authMachine';
import { oauthRefusalOf } from '../machines/auth/shared';
import type { RedirectOutcome } from '../machines/auth/signInTypes';
import { ErrorNames, type SessionSummary } from '../machines/types';

const refused = (error: string, description = ''): RedirectOutcome => ({ kind: 'oauthError', error, description });

describe('oauthRefusalOf: what an OAuth error on the return means', () => {
  test('access_denied is the user (or their identity provider) declining: RedirectSignInCancelled', () => {
    expect(oauthRefusalOf(refused('access_denied', 'The user cancelled'))).toEqual({ name: ErrorNames.redirectSignInCancelled, message: 'The hosted UI answered access_denied (The user cancelled)' });
  });
  test.each(['invalid_request', 'server_error', 'unauthorized_client', 'temporarily_unavailable', 'ACCESS_DENIED'])('%s is a failed sign-in: OAuthError', (code) => {
    expect(oauthRefusalOf(refused(code))).toEqual({ name: ErrorNames.oauthError, message: `The hosted UI answered ${code}` });
  });
});

describe('the auth chart decides, the flow only reports', () => {
  const run = async (outcome: RedirectOutcome) => {
    const machine = authMachine.provide({
      actors: {
        loadSession: fromPromise<StoredSession | null>(async () => null),
        completeRedirect: fromPromise<RedirectOutcome, { credential: string }>(async () => outcome),
      },
    });
    const actor = createActor(machine, { input: { networkTimeoutMs: 1000, storageTimeoutMs: 100, refreshSkewMs: 0, queueing: false } });
    const events: unknown[] = [];
    actor.on('*', (event) => events.push(event));
    actor.start();
    await waitFor(actor, (s) => s.matches('signedOut'));
    actor.send({ type: 'HANDLE_REDIRECT', id: 1, credential: 'ref#1' });
    await waitFor(actor, (s) => s.matches('signedOut') && events.some((e) => (e as { type: string }).type === 'answered'));
    actor.stop();
    return events;
  };

  test.each([
    ['access_denied', ErrorNames.redirectSignInCancelled],
    ['invalid_scope', ErrorNames.oauthError],
  ])('a return with %s: signedOut, the caller refused with %s, and redirectSignInFailed announced', async (code, name) => {
    const events = await run(refused(code));
    expect(events).toContainEqual({ type: 'answered', id: 1, answer: { kind: 'refused', error: expect.objectContaining({ name }) } });
    expect(events).toContainEqual({ type: 'redirectSignInFailed', error: expect.objectContaining({ name }) });
  });
});
