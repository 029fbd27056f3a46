/**
 * Every error authchart throws or rejects with is an AuthError. `name` is Cognito's exception name
 * when Cognito refused (NotAuthorizedException, UserNotFoundException, …), or one of ours.
 * Messages never contain a token, a password or a client secret.
 */
export class AuthError extends Error {
  constructor(name: string, message: string) {
    super(message);
    this.name = name;
  }
}

/** createAuth() was given a config it cannot work with; `field` names the culprit. */
export class AuthConfigError extends AuthError {
  constructor(readonly field: string, message: string) {
    super('AuthConfigError', `Invalid authchart config: ${field} ${message}`);
  }
}

/** A method was called with an argument it cannot work with; `field` names the culprit. */
export class AuthValidationError extends AuthError {
  constructor(readonly field: string, message: string) {
    super('AuthValidationError', `${field} ${message}`);
  }
}

/** The Auth instance was stopped: no further call can run, and pending ones are rejected. */
export class AuthStoppedError extends AuthError {
  constructor(method: string) {
    super('AuthStoppedError', `${method}() cannot run: this authchart instance has been stopped`);
  }
}
