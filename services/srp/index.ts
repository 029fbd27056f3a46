// Cognito USER_SRP_AUTH, client side. The primitives (group, padHex, hashes) are in math.ts,
// shared with the emulator's server side; they are not part of this entry.
export { startSrp } from './client.js';
export { formatSrpTimestamp } from './timestamp.js';
export { SrpError } from './error.js';
export type { SrpAnswer, SrpChallenge, SrpHandshake } from './types.js';
