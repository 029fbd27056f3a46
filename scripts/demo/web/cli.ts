// `npm run demo -- --web`: starts the live page and keeps it up until Ctrl-C.
import { startWebDemo } from './server';

export async function runWebDemo(): Promise<void> {
  const portArg = process.argv.find((arg) => arg.startsWith('--port='))?.split('=')[1];
  const demo = await startWebDemo(portArg ? { port: Number(portArg) } : {});
  console.log(`Live statechart page: ${demo.url}`);
  console.log(`  Open it in a browser on this machine. Demo user: ${demo.user.username} (the page shows the password for the hosted UI's form).`);
  console.log('  Open it at localhost, as printed: a passkey needs a domain, not an IP address (127.0.0.1 is sent there).');
  console.log('  The embedded Cognito emulator and the page listen on 127.0.0.1 only. Ctrl-C stops both.');
  await new Promise<void>((resolve) => {
    process.once('SIGINT', resolve);
    process.once('SIGTERM', resolve);
  });
  await demo.close();
  console.log('\nStopped.');
}
