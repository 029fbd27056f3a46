// The testing kit's authenticator: a WebAuthnClient for tests and demos in Node, software passkeys
// (softAuthenticator.ts, P-256 keys from node:crypto) held at one origin, answering `create` and `get` as a browser would, with the
// browser's refusals as WebAuthnCeremonyError facts (a relying party that is not the origin's
// domain: SecurityError; an excluded credential: InvalidStateError; the user declining:
// NotAllowedError). `hostile` lets a test replace the honest answer with a dishonest one.
import { WebAuthnCeremonyError, type CeremonyOptions, type WebAuthnClient, type WebAuthnJson } from '../../../services/webauthn/types.js';
import { SoftAuthenticator, type CreationOptions, type RequestOptions } from './softAuthenticator.js';

/**
 * A software authenticator (createTestAuthenticator): give it to createAuth's or createAccount's
 * `webAuthn` option and the passkey calls run in Node against the emulator, which verifies what it
 * makes as it verifies a browser's.
 */
export interface TestAuthenticator extends WebAuthnClient {
  /** The passkeys this authenticator made, newest last. */
  readonly keys: SoftAuthenticator[];
  /** Every ceremony's options as received (their challenges are secrets: the leak checks look for them). */
  readonly seen: WebAuthnJson[];
  /** Every answer given (credentials: the leak checks look for their parts). */
  readonly answers: WebAuthnJson[];
  /** The user declines the next ceremony (NotAllowedError). */
  declineNext(): void;
  /** The next `create` answers with what this returns instead (given the options and the honest answer). */
  hostile?: ((options: CreationOptions, honest: WebAuthnJson) => WebAuthnJson) | undefined;
  /** Conditional `get`s waiting for the user to pick a passkey in the autofill. */
  readonly waiting: number;
  /** The user picks the passkey in the autofill: every waiting conditional `get` goes on. */
  pick(): void;
  /** Whether a conditional `get` can wait here (true by default). */
  conditional: boolean;
}

/** Whether `rpId` is the origin's host or a registrable suffix of it, as a browser checks before a ceremony. */
const rpAllowed = (origin: string, rpId: string): boolean => {
  const host = new URL(origin).hostname;
  return host === rpId || host.endsWith(`.${rpId}`);
};

/**
 * A software authenticator at `origin` ('http://localhost' by default; the pool's relying party must
 * be its host or a suffix of it, as in a browser). Its passkeys live in memory only.
 */
export function createTestAuthenticator(origin = 'http://localhost'): TestAuthenticator {
  const keys: SoftAuthenticator[] = [];
  const seen: WebAuthnJson[] = [];
  const answers: WebAuthnJson[] = [];
  let decline = false;
  let waiting = 0;
  const picks: Array<() => void> = [];
  const declined = (): boolean => {
    const now = decline;
    decline = false;
    return now;
  };
  const client: TestAuthenticator = {
    keys,
    seen,
    answers,
    get waiting() {
      return waiting;
    },
    declineNext: () => void (decline = true),
    pick: () => picks.splice(0).forEach((go) => go()),
    conditional: true,
    async create(options: WebAuthnJson, how: CeremonyOptions) {
      seen.push(options);
      how.signal.throwIfAborted();
      const o = options as unknown as CreationOptions;
      if (!rpAllowed(origin, o.rp.id)) throw new WebAuthnCeremonyError('SecurityError', 'The relying party ID is not a registrable domain suffix of, nor equal to the current domain.');
      if (declined()) throw new WebAuthnCeremonyError('NotAllowedError', 'The operation either timed out or was not allowed.');
      if ((o.excludeCredentials ?? []).some((d) => keys.some((k) => k.id === d.id))) throw new WebAuthnCeremonyError('InvalidStateError', 'The user attempted to register an authenticator that contains one of the credentials already registered with the relying party.');
      const key = new SoftAuthenticator();
      const honest = key.register(o, origin) as WebAuthnJson;
      const hostile = client.hostile;
      client.hostile = undefined;
      const answer = hostile ? hostile(o, honest) : honest;
      keys.push(key);
      answers.push(answer);
      return answer;
    },
    async get(options: WebAuthnJson, how: CeremonyOptions) {
      seen.push(options);
      how.signal.throwIfAborted();
      const o = options as unknown as RequestOptions;
      if (!rpAllowed(origin, o.rpId)) throw new WebAuthnCeremonyError('SecurityError', 'The relying party ID is not a registrable domain suffix of, nor equal to the current domain.');
      if (declined()) throw new WebAuthnCeremonyError('NotAllowedError', 'The operation either timed out or was not allowed.');
      const allowed = o.allowCredentials ?? [];
      const key = [...keys].reverse().find((k) => allowed.length === 0 || allowed.some((d) => d.id === k.id));
      if (!key) throw new WebAuthnCeremonyError('NotAllowedError', 'No credential of this authenticator is allowed.');
      if (how.mediation === 'conditional') {
        // Autofill: waits until the user picks the passkey or the signal aborts it.
        waiting++;
        await new Promise<void>((resolve, reject) => {
          picks.push(resolve);
          how.signal.addEventListener('abort', () => reject(new WebAuthnCeremonyError('AbortError', 'The operation was aborted.')), { once: true });
        }).finally(() => waiting--);
      }
      const answer = JSON.parse(key.assert({ ...o, allowCredentials: allowed }, origin)) as WebAuthnJson;
      answers.push(answer);
      return answer;
    },
    conditionalMediation: async () => client.conditional,
  };
  return client;
}
