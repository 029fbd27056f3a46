// A plain-JavaScript CommonJS app: require() only, no TypeScript. Signs in and out against the
// emulator the test started (AUTHCHART_POOL), and reports where authchart's xstate comes from.
const { createAuth, createMemoryStorage } = require('authchart');
const { signOutMachine } = require('authchart/machines');
const { Actor, waitFor } = require('xstate');
const path = require('node:path');

async function main() {
  const pool = JSON.parse(process.env.AUTHCHART_POOL);
  const auth = createAuth({ region: pool.region, userPoolId: pool.userPoolId, userPoolClientId: pool.clientId, endpoint: pool.endpoint, storage: createMemoryStorage() });
  const signIn = await auth.signIn({ username: pool.username, password: pool.password });
  await waitFor(auth.actor, (snapshot) => snapshot.matches('signedIn'), { timeout: 10000 });
  const signOut = await auth.signOut();
  await waitFor(auth.actor, (snapshot) => snapshot.matches('signedOut'), { timeout: 10000 });
  const sameXstate = auth.actor instanceof Actor;
  await auth.stop();
  // Resolved the way authchart's own require('xstate') is: from inside the installed package.
  const authchartDir = path.dirname(require.resolve('authchart'));
  const xstateFromAuthchart = require.resolve('xstate', { paths: [authchartDir] });
  const xstateVersionFromAuthchart = require(require.resolve('xstate/package.json', { paths: [authchartDir] })).version;
  console.log(JSON.stringify({
    signIn: signIn.isSignedIn,
    signOut: signOut.type,
    sameXstate,
    machine: typeof signOutMachine.provide,
    authchart: require.resolve('authchart'),
    xstateFromApp: require.resolve('xstate'),
    xstateFromAuthchart,
    xstateVersionFromAuthchart,
  }));
}

main().catch((error) => {
  console.error(error);
  process.exitCode = 1;
});
