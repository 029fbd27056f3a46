/**
 * Hands a secret (a password) from the public API to the service that sends it, without passing
 * it through an event, machine context or actor input: those carry only the opaque reference.
 * A secret can be taken once; what is not taken is dropped by discard() or clear().
 */
export interface SecretVault {
  deposit(secret: string): string;
  take(ref: string): string | undefined;
  /** Puts a taken secret back under its reference (a challenge that stays open). */
  restore(ref: string, secret: string): void;
  discard(ref: string): void;
  clear(): void;
}

export function createSecretVault(): SecretVault {
  const secrets = new Map<string, string>();
  let next = 0;
  return {
    deposit(secret) {
      const ref = `secret#${++next}`;
      secrets.set(ref, secret);
      return ref;
    },
    take(ref) {
      const secret = secrets.get(ref);
      secrets.delete(ref);
      return secret;
    },
    restore: (ref, secret) => void secrets.set(ref, secret),
    discard: (ref) => void secrets.delete(ref),
    clear: () => secrets.clear(),
  };
}
