// Run as a child process by fleetOutbox.test.ts (through support/fleetOutbox.ts): one server
// process of a fleet draining the sign-out outbox, with its own node-redis client, finishing each
// session with an engine instance over the session's record in Redis. Argument: an
// OutboxChildConfig as JSON. It prints what it does, one line each, for the test to follow. An
// unhandled rejection would end it (Node's default), which the tests would see.
import { createClient } from 'redis';
import { redisFleetOutbox } from '../../src/server/index';
import { engineFinish, type OutboxChildConfig } from './fleetOutbox';

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';

async function main() {
  const config = JSON.parse(process.argv[2]!) as OutboxChildConfig;
  const redis = createClient({ url: config.redisUrl, socket: { reconnectStrategy: () => 50 } });
  redis.on('error', () => {});
  await redis.connect();
  const outbox = redisFleetOutbox({ client: redis, keyPrefix: config.keyPrefix, consumer: config.consumer, claimIdleMs: config.claimIdleMs, maxDeliveries: config.maxDeliveries, blockMs: 200 });
  const finish = engineFinish(redis, config.keyPrefix, config.engine);
  outbox.onDeadLetter(({ sessionHash, deliveries }) => process.stdout.write(`dead ${sessionHash} ${deliveries}\n`));
  outbox.onError(({ operation }) => process.stdout.write(`error ${operation}\n`));
  outbox.start(async (sessionHash) => {
    process.stdout.write(`finishing ${sessionHash}\n`);
    const report = await finish(sessionHash);
    process.stdout.write(`finished ${sessionHash} ${report.left}\n`);
    return report;
  });
  process.stdout.write('ready\n');
  process.on('SIGTERM', () => {
    void outbox.stop().then(() => redis.close()).then(() => process.exit(0));
  });
}
main().catch((error: unknown) => {
  process.stderr.write(`${String(error)}\n`);
  process.exit(1);
});
