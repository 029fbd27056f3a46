/**
 * Thrown when an SRP value is unusable: a malformed or degenerate SRP_B, u = 0, bad hex or
 * base64/base64url. Its name is its class's own; the sign-in flow reports it under the error
 * registry's name (ErrorNames.srp), which it is handed: this chunk imports nothing of the
 * up-front load (services/actors/lazyKit.ts says why).
 */
export class SrpError extends Error {
  constructor(message: string) {
    super(message);
    this.name = new.target.name;
  }
}
