// The app code every sub-project compiles under its own module rules (the test copies this file
// into each one) and runs: a sign-in and a sign-out against the emulator, watched with the app's
// own xstate (waitFor) and React (useSelector), plus the sign-out chart run with the app's own
// fromPromise actors. Types come from 'authchart/fetch' so the no-SDK phase can compile it too;
// `Auth` is the same type from 'authchart'.
import type { Auth } from 'authchart/fetch';
import { signOutMachine, type IntentSource, type RecordedIntent, type SettleInput, type SignOutOutcome } from 'authchart/machines';
import { useSelector } from '@xstate/react';
import { renderToString } from 'react-dom/server';
import { Actor, createActor, fromPromise, waitFor } from 'xstate';

/** What the test hands each app: an emulator pool with one confirmed user. */
export interface Pool {
  readonly endpoint: string;
  readonly region: string;
  readonly userPoolId: string;
  readonly clientId: string;
  readonly username: string;
  readonly password: string;
}

export interface Report {
  readonly signIn: boolean;
  readonly afterSignIn: string;
  readonly rendered: string;
  readonly signOut: string;
  readonly afterSignOut: string;
  /** auth.actor is an instance of the app's own xstate Actor: one copy of xstate at runtime. */
  readonly sameXstate: boolean;
  readonly providedSignOut: { readonly outcome: SignOutOutcome['type']; readonly calls: readonly string[] };
}

function Status({ auth }: { auth: Auth }) {
  const username = useSelector(auth.actor, (snapshot) => snapshot.context.session?.username ?? null);
  const signedIn = useSelector(auth.actor, (snapshot) => snapshot.matches('signedIn'));
  return <p data-signed-in={signedIn}>{username ?? 'nobody'}</p>;
}

const stateOf = (auth: Auth): string => JSON.stringify(auth.actor.getSnapshot().value);

/** Signs in and out with `auth`, and runs the sign-out chart with the app's actors. */
export async function run(auth: Auth, pool: Pool): Promise<Report> {
  const signedIn = await auth.signIn({ username: pool.username, password: pool.password });
  await waitFor(auth.actor, (snapshot) => snapshot.matches('signedIn'), { timeout: 10_000 });
  const afterSignIn = stateOf(auth);
  const rendered = renderToString(<Status auth={auth} />);
  const signedOut = await auth.signOut();
  await waitFor(auth.actor, (snapshot) => snapshot.matches('signedOut') && snapshot.context.lastSignOut !== null, { timeout: 10_000 });
  const afterSignOut = stateOf(auth);
  const sameXstate = auth.actor instanceof Actor;
  await auth.stop();
  return { signIn: signedIn.isSignedIn, afterSignIn, rendered, signOut: signedOut.type, afterSignOut, sameXstate, providedSignOut: await runProvidedSignOut() };
}

/** signOutMachine with every service provided by the app's fromPromise: typed, and run. */
async function runProvidedSignOut(): Promise<Report['providedSignOut']> {
  const calls: string[] = [];
  const machine = signOutMachine.provide({
    actors: {
      recordIntent: fromPromise<RecordedIntent, { source: IntentSource; global: boolean }>(async ({ input }) => {
        calls.push(`recordIntent ${input.source.kind}`);
        return { intentId: 'intent-1', revocable: true, scope: 'admin' };
      }),
      revokeToken: fromPromise<void, { intentId: string }>(async ({ input }) => void calls.push(`revokeToken ${input.intentId}`)),
      globalSignOut: fromPromise<void, { intentId: string }>(async ({ input }) => void calls.push(`globalSignOut ${input.intentId}`)),
      clearTokens: fromPromise<void>(async () => void calls.push('clearTokens')),
      settleIntent: fromPromise<{ queued: boolean }, SettleInput>(async ({ input }) => (calls.push(`settleIntent ${input.settlement}`), { queued: false })),
    },
  });
  // The types are real, not `any`: a service that resolves the wrong shape does not compile.
  // @ts-expect-error settleIntent must resolve { queued: boolean }
  signOutMachine.provide({ actors: { settleIntent: fromPromise(async () => 'settled') } });
  const actor = createActor(machine, {
    input: { global: false, revocable: true, scope: 'admin', source: { kind: 'session' }, queueing: false, networkTimeoutMs: 5_000, storageTimeoutMs: 5_000 },
  }).start();
  const done = await waitFor(actor, (snapshot) => snapshot.status === 'done', { timeout: 10_000 });
  const outcome: SignOutOutcome = done.output!;
  return { outcome: outcome.type, calls };
}

/** Compile-time only: the actor's events and states are typed (these lines never run). */
export function typedActor(auth: Auth): void {
  // @ts-expect-error not an event the chart takes
  auth.actor.send({ type: 'NOT_AN_AUTH_EVENT' });
  // @ts-expect-error not a state of the chart
  auth.actor.getSnapshot().matches('noSuchState');
}
