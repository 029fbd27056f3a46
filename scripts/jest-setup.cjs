// Runs before every jest test file (jest.config.cjs `setupFiles`). The pinned AWS SDK prints a
// NodeVersionSupportWarning ("upgrade to node >=22") once per process on Node 20; the SDK works on
// Node 20, and docs/guides/node.md documents this variable as the way to silence it.
// jest.config.cjs also sets it in jest's own process, so that workers and every child process a
// test spawns inherit it; this file sets it in each test file's own `process.env` copy.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';
