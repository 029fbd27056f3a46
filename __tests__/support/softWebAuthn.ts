// The testing kit's software authenticator (src/testing/kit/passkeys.ts), under the names the tests use.
export { createTestAuthenticator as softWebAuthn, type TestAuthenticator as SoftWebAuthn } from '../../src/testing/kit/passkeys';
