/** Where a user's remembered device is kept (accountKeys' `device`), apart so that the sign-in's chunk takes this key and no other. */
export const deviceRecordKey = (clientId: string) => (username: string) => `authchart.${clientId}.device.${encodeURIComponent(username)}`;

/**
 * Every key the account flows (authchart/account) write in the app's storage, named once, apart
 * from storageKeys (keys.ts), which createAuth's bundles carry. Same prefix: `authchart.<clientId>.`.
 */
export const accountKeys = (clientId: string) => ({
  /** Email and phone changes waiting for their code, per username: where the code went and since when (never the code). */
  pendingAttributeChanges: `authchart.${clientId}.pendingAttributeChanges`,
  /**
   * A sign-up's auto sign-in (services/storage/autoSignIn.ts): who, Cognito's Session (a secret,
   * kept here and nowhere else), the deadline, and whether the sign-up is confirmed yet. Never a
   * password. Removed once autoSignIn() ends it, or a confirmation brought no Session.
   */
  autoSignIn: `authchart.${clientId}.autoSignIn`,
  /**
   * A remembered device, one record per user (services/storage/deviceRecord.ts): its DeviceKey,
   * DeviceGroupKey and random password (a secret, kept here and nowhere else). Apart from the
   * session's record, so a sign-out keeps it; forgetDevice() removes it.
   */
  device: deviceRecordKey(clientId),
});
