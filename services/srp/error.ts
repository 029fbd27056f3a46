import { ErrorNames } from '../../machines/errors/registry.js';

/** Thrown when an SRP value is unusable: a malformed or degenerate SRP_B, u = 0, bad hex or base64/base64url. */
export class SrpError extends Error {
  constructor(message: string) {
    super(message);
    this.name = ErrorNames.srp;
  }
}
