/**
 * Anything that looks like a JWT (three base64url segments, the first starting '{"') or a JWE
 * (five: Cognito's refresh tokens), matched whole so that no segment of a token survives.
 */
const JWT_PATTERN = /eyJ[\w-]*(?:\.[\w-]*){2,4}/g;

/**
 * Removes secrets from text meant for an error message or a log: every value given,
 * and anything shaped like a JWT. Short values are skipped so that redaction never mangles prose.
 */
export function redact(text: string, secrets: ReadonlyArray<string | undefined> = []): string {
  let clean = text;
  for (const secret of secrets) {
    if (secret && secret.length >= 8) clean = clean.split(secret).join('[redacted]');
  }
  return clean.replace(JWT_PATTERN, '[redacted-jwt]');
}
