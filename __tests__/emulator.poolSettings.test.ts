// The emulator's user-pool and app-client settings through Cognito's own API (the AWS SDK over
// HTTP): CreateUserPool / UpdateUserPool / DescribeUserPool with the password policy, MFA, the
// attributes verified automatically or before an update, USER_AUTH's first factors; the client's
// AuthSessionValidity and PreventUserExistenceErrors; the same through setup() in process.
import { CognitoIdentityProviderClient, CreateUserPoolClientCommand, CreateUserPoolCommand, DescribeUserPoolClientCommand, DescribeUserPoolCommand, InitiateAuthCommand, RespondToAuthChallengeCommand, UpdateUserPoolCommand } from '@aws-sdk/client-cognito-identity-provider';
import { checkPassword, DEFAULT_PASSWORD_POLICY } from '../src/testing/emulator/poolSettings';
import { startCognitoEmulator, type CognitoEmulator } from '../src/testing/index';

let emu!: CognitoEmulator;
let clock = Date.now();
let sdk!: CognitoIdentityProviderClient;
beforeAll(async () => {
  emu = await startCognitoEmulator({ now: () => clock });
  sdk = new CognitoIdentityProviderClient({ region: emu.region, endpoint: emu.endpoint, credentials: { accessKeyId: 'x', secretAccessKey: 'x' } });
});
afterAll(async () => {
  sdk.destroy();
  await emu.close();
});

test('CreateUserPool takes the settings, DescribeUserPool answers them, UpdateUserPool replaces them whole (left out: the default)', async () => {
  const created = await sdk.send(
    new CreateUserPoolCommand({
      PoolName: 'settings',
      Policies: { PasswordPolicy: { MinimumLength: 10, RequireSymbols: true }, SignInPolicy: { AllowedFirstAuthFactors: ['PASSWORD', 'EMAIL_OTP'] } },
      MfaConfiguration: 'OPTIONAL',
      AutoVerifiedAttributes: ['email'],
      UserAttributeUpdateSettings: { AttributesRequireVerificationBeforeUpdate: ['email'] },
    }),
  );
  const id = created.UserPool!.Id!;
  expect(created.UserPool).toMatchObject({
    MfaConfiguration: 'OPTIONAL',
    AutoVerifiedAttributes: ['email'],
    UserAttributeUpdateSettings: { AttributesRequireVerificationBeforeUpdate: ['email'] },
    Policies: { PasswordPolicy: { MinimumLength: 10, RequireSymbols: true, RequireUppercase: false }, SignInPolicy: { AllowedFirstAuthFactors: ['PASSWORD', 'EMAIL_OTP'] } },
  });
  await sdk.send(new UpdateUserPoolCommand({ UserPoolId: id, MfaConfiguration: 'ON' }));
  const described = (await sdk.send(new DescribeUserPoolCommand({ UserPoolId: id }))).UserPool!;
  expect(described).toMatchObject({ MfaConfiguration: 'ON', AutoVerifiedAttributes: [], Policies: { PasswordPolicy: { MinimumLength: 8, RequireUppercase: true } } });
  await expect(sdk.send(new UpdateUserPoolCommand({ UserPoolId: id, MfaConfiguration: 'SOMETIMES' as 'ON' }))).rejects.toMatchObject({ name: 'InvalidParameterException' });
  await expect(sdk.send(new UpdateUserPoolCommand({ UserPoolId: 'us-east-1_nope', MfaConfiguration: 'ON' }))).rejects.toMatchObject({ name: 'ResourceNotFoundException' });
});

test('the password policy: each missing class named as Cognito names it', () => {
  const fails = (password: string) => {
    try {
      checkPassword(DEFAULT_PASSWORD_POLICY, password);
      return 'ok';
    } catch (error) {
      return `${(error as Error).name}: ${(error as Error).message}`;
    }
  };
  expect(fails('Aa1!aaaa')).toBe('ok');
  expect(fails('Aa1!aaa')).toBe('InvalidPasswordException: Password did not conform with policy: Password not long enough');
  expect(fails('AA1!AAAA')).toMatch(/lowercase/);
  expect(fails('aa1!aaaa')).toMatch(/uppercase/);
  expect(fails('Aaa!aaaa')).toMatch(/numeric/);
  expect(fails('Aa1aaaaa')).toMatch(/symbol/);
});

test('AuthSessionValidity bounds a challenge’s Session; PreventUserExistenceErrors is described as set', async () => {
  const { UserPool } = await sdk.send(new CreateUserPoolCommand({ PoolName: 'validity' }));
  const { UserPoolClient } = await sdk.send(new CreateUserPoolClientCommand({ UserPoolId: UserPool!.Id!, ClientName: 'c', AuthSessionValidity: 5, PreventUserExistenceErrors: 'ENABLED', ExplicitAuthFlows: ['ALLOW_USER_PASSWORD_AUTH'] }));
  expect((await sdk.send(new DescribeUserPoolClientCommand({ UserPoolId: UserPool!.Id!, ClientId: UserPoolClient!.ClientId! }))).UserPoolClient).toMatchObject({ AuthSessionValidity: 5, PreventUserExistenceErrors: 'ENABLED' });
  await expect(sdk.send(new CreateUserPoolClientCommand({ UserPoolId: UserPool!.Id!, ClientName: 'c', AuthSessionValidity: 16 }))).rejects.toMatchObject({ name: 'InvalidParameterException' });
  emu.createUser({ userPoolId: UserPool!.Id!, username: 'u', password: 'Temp0rary!', permanent: false });
  const start = () => sdk.send(new InitiateAuthCommand({ ClientId: UserPoolClient!.ClientId!, AuthFlow: 'USER_PASSWORD_AUTH', AuthParameters: { USERNAME: 'u', PASSWORD: 'Temp0rary!' } }));
  const answer = (session: string) => sdk.send(new RespondToAuthChallengeCommand({ ClientId: UserPoolClient!.ClientId!, ChallengeName: 'NEW_PASSWORD_REQUIRED', Session: session, ChallengeResponses: { USERNAME: 'u', NEW_PASSWORD: 'N3w-password!' } }));
  const late = (await start()).Session!;
  clock += 5 * 60_000 + 1;
  await expect(answer(late)).rejects.toMatchObject({ name: 'NotAuthorizedException' });
  const inTime = (await start()).Session!;
  clock += 5 * 60_000 - 1000;
  await expect(answer(inTime)).resolves.toMatchObject({ AuthenticationResult: expect.any(Object) });
});

test('setup() takes the pool’s settings and the client’s, with the API’s names', async () => {
  const pool = emu.setup({ userPool: { MfaConfiguration: 'OPTIONAL', AutoVerifiedAttributes: ['email'] }, authSessionValidity: 15, preventUserExistenceErrors: true, explicitAuthFlows: ['ALLOW_USER_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'] });
  expect((await sdk.send(new DescribeUserPoolCommand({ UserPoolId: pool.userPoolId }))).UserPool).toMatchObject({ MfaConfiguration: 'OPTIONAL', AutoVerifiedAttributes: ['email'] });
  expect((await sdk.send(new DescribeUserPoolClientCommand({ UserPoolId: pool.userPoolId, ClientId: pool.clientId }))).UserPoolClient).toMatchObject({
    AuthSessionValidity: 15,
    PreventUserExistenceErrors: 'ENABLED',
    ExplicitAuthFlows: ['ALLOW_USER_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'],
  });
  expect(() => emu.setup({ authSessionValidity: 2 })).toThrow(RangeError);
});
