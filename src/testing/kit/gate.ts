import type { CognitoIdentityProviderClient } from '@aws-sdk/client-cognito-identity-provider';

/**
 * Holds one request of an operation on the kit's SDK client, so that a blackholed call can be
 * let go on demand. While held, the request really is on the wire, unanswered (the emulator
 * blackholes it). release() stops waiting for that answer and sends the request again, to be
 * answered by whatever the emulator now does. A deadline abort still ends the held call.
 */
export interface Gate {
  /** Arms a hold for the next request of `operation`; resolves when that request is sent. */
  hold(operation: string): Hold;
}

export interface Hold {
  /** Resolves once the held request has been sent. */
  readonly sent: Promise<void>;
  release(): void;
}

export function installGate(client: CognitoIdentityProviderClient): Gate {
  const armed = new Map<string, { release: () => void; released: Promise<void>; markSent: () => void }>();

  client.middlewareStack.add(
    (next, context) => async (args) => {
      const operation = String((context as { commandName?: unknown }).commandName ?? '').replace(/Command$/, '');
      const hold = armed.get(operation);
      if (!hold) return next(args);
      armed.delete(operation); // one request per hold
      const first = next(args);
      first.catch(() => {}); // abandoned on release; rejected when its socket is destroyed
      hold.markSent();
      const answered = await Promise.race([first.then((output) => ({ output })), hold.released.then(() => null)]);
      return answered ? answered.output : next(args);
    },
    { step: 'initialize', name: 'authchartTestingGate' },
  );

  return {
    hold(operation) {
      let release!: () => void;
      let markSent!: () => void;
      const released = new Promise<void>((resolve) => (release = resolve));
      const sent = new Promise<void>((resolve) => (markSent = resolve));
      armed.set(operation, { release, released, markSent });
      return {
        sent,
        release() {
          armed.delete(operation);
          release();
        },
      };
    },
  };
}
