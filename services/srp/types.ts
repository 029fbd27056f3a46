/** What Cognito's PASSWORD_VERIFIER challenge hands the client, plus what the client knows. */
export interface SrpChallenge {
  /** '<region>_<id>'; the part after '_' is hashed into x and the signature. */
  userPoolId: string;
  /** What is hashed in the pool name's place, when it is not the pool's name: a device's DeviceGroupKey (device SRP). */
  poolName?: string;
  /** ChallengeParameters.USER_ID_FOR_SRP (a device's DeviceKey in device SRP). */
  userIdForSrp: string;
  password: string;
  /** ChallengeParameters.SRP_B, hex. */
  srpB: string;
  /** ChallengeParameters.SALT, hex. */
  salt: string;
  /** ChallengeParameters.SECRET_BLOCK, base64 or base64url (padded or not); sent back unchanged, as received. */
  secretBlock: string;
}

/** The PASSWORD_VERIFIER ChallengeResponses (besides USERNAME and SECRET_HASH). */
export interface SrpAnswer {
  /** PASSWORD_CLAIM_SIGNATURE, base64. */
  passwordClaimSignature: string;
  /** PASSWORD_CLAIM_SECRET_BLOCK: the challenge's SECRET_BLOCK. */
  passwordClaimSecretBlock: string;
  /** TIMESTAMP, e.g. 'Tue Nov 3 07:05:09 UTC 2026'. */
  timestamp: string;
}

export interface SrpHandshake {
  /** A = g^a mod N in hex, sent as AuthParameters.SRP_A. */
  readonly srpA: string;
  /** Computes the answer to PASSWORD_VERIFIER. Rejects with SrpError on an invalid SRP_B (B mod N = 0), u = 0, or bad hex/base64. */
  answer(challenge: SrpChallenge, now?: Date): Promise<SrpAnswer>;
}
