// The software passkey behind the testing kit's authenticator (src/testing/kit/softAuthenticator.ts), for the emulator's own tests.
export * from '../../src/testing/kit/softAuthenticator';
