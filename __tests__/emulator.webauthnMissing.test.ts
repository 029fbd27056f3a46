// Without the optional peer @simplewebauthn/server, the emulator's first WebAuthn verification
// answers a clear InternalErrorException naming the package, and a later call tries again. A narrow
// unit test: jest's module registry makes the package fail to load, as a missing one does.
import { webAuthnLibrary } from '../src/testing/emulator/webauthn';

jest.mock('@simplewebauthn/server', () => {
  throw new Error("Cannot find module '@simplewebauthn/server'");
});

test('a missing @simplewebauthn/server is InternalErrorException naming the package and how to install it', async () => {
  for (let attempt = 0; attempt < 2; attempt++) {
    await expect(webAuthnLibrary()).rejects.toMatchObject({ type: 'InternalErrorException', message: expect.stringContaining('npm install --save-dev @simplewebauthn/server@^9.0.3') });
  }
});
