// Section 6: in a fresh `node`, imports an ingest bundle and sends it one POST /visits, then a
// second; prints the three times as JSON. Plain JavaScript, so nothing but the bundle is loaded.
// argv: bundle path, the API Gateway event as JSON.
import { pathToFileURL } from 'node:url';

const [bundle, eventJson] = process.argv.slice(2);
const event = JSON.parse(eventJson);
const context = {
  functionName: 'ingest',
  functionVersion: '$LATEST',
  invokedFunctionArn: 'arn:aws:lambda:us-east-1:000000000000:function:ingest',
  memoryLimitInMB: '256',
  awsRequestId: 'bench',
  getRemainingTimeInMillis: () => 10_000,
};
const started = performance.now();
const { handler } = await import(pathToFileURL(bundle).href);
const imported = performance.now();
const first = await handler(event, context);
const answered = performance.now();
const second = await handler(event, context);
const again = performance.now();
for (const answer of [first, second])
  if (answer.statusCode !== 202) {
    console.error(`ingest answered ${answer.statusCode}: ${answer.body}`);
    process.exit(1);
  }
console.log(
  JSON.stringify({
    importMs: imported - started,
    firstRequestMs: answered - imported,
    secondRequestMs: again - answered,
  }),
);
// The clients keep their connections alive; the measurement is done.
process.exit(0);
