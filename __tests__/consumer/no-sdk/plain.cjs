// Every entry that needs neither the AWS SDK nor @statelyai/inspect loads with require() without
// them (AUTHCHART_ENTRIES, from the test); the default entry does not (it needs the SDK).
const required = {};
for (const entry of JSON.parse(process.env.AUTHCHART_ENTRIES)) {
  try {
    required[entry] = Object.keys(require(entry)).length > 0 ? 'loaded' : 'empty';
  } catch (error) {
    required[entry] = `${error.code}: ${error.message.split('\n')[0]}`;
  }
}
let main = 'loaded';
try {
  require('authchart');
} catch (error) {
  main = error.code;
}
console.log(JSON.stringify({ required, main }));
