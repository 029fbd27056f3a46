// The results' shared parts across the account flows (authchart/account), in Amplify JS v6's form.
import type { CodeDelivery } from '../../machines/account/shared.js';

/** Where Cognito sent a code: `destination` masked as Cognito shows it (`a***@e***`), the medium, and the attribute it went to. */
export type CodeDeliveryDetails = CodeDelivery;
