// The AWS SDK's Cognito client as the emulator tests use it (any credentials, no retries), and the
// error a call rejects with, for assertions on Cognito's error names and messages.
import { CognitoIdentityProviderClient } from '@aws-sdk/client-cognito-identity-provider';

/** A client for `endpoint` (the emulator's or moto's): region us-east-1, dummy credentials, one attempt. */
export function sdkClient(endpoint: string): CognitoIdentityProviderClient {
  return new CognitoIdentityProviderClient({ region: 'us-east-1', endpoint, credentials: { accessKeyId: 'x', secretAccessKey: 'x' }, maxAttempts: 1 });
}

/** What `promise` rejects with; throws when it resolves. */
export async function rejection(promise: Promise<unknown>): Promise<{ name: string; message: string; $metadata?: { httpStatusCode?: number } }> {
  try {
    await promise;
  } catch (error) {
    return error as { name: string; message: string; $metadata?: { httpStatusCode?: number } };
  }
  throw new Error('expected the call to fail');
}
