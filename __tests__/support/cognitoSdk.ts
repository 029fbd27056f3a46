// The AWS SDK's Cognito client as the emulator tests use it (any credentials, no retries, so a
// fault or an error is seen once), and the error a call rejects with, for assertions on it.
import { CognitoIdentityProviderClient } from '@aws-sdk/client-cognito-identity-provider';

/** A client for the Cognito API at `endpoint` (the emulator's, or moto's). */
export const cognitoSdk = (endpoint: string, region = 'us-east-1'): CognitoIdentityProviderClient =>
  new CognitoIdentityProviderClient({ region, endpoint, credentials: { accessKeyId: 'x', secretAccessKey: 'x' }, maxAttempts: 1 });

/** What `promise` rejects with; throws if it resolves. */
export async function rejection(promise: Promise<unknown>): Promise<{ name: string; message: string }> {
  try {
    await promise;
  } catch (error) {
    return error as { name: string; message: string };
  }
  throw new Error('expected the call to fail');
}
