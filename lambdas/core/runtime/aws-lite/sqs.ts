/**
 * SQS SendMessage for the ingest path over SQS's JSON protocol. Like the SDK's client it checks
 * the MD5 of the body SQS answers with, and it sends to the configured endpoint rather than the
 * host in the queue URL (emulators name hosts that do not resolve).
 */
import { createHash } from 'node:crypto';
import { type JsonCall, createJsonService, serviceEnvironment } from './json-protocol.js';

export type SendMessage = (queueUrl: string, body: string) => Promise<{ messageId: string }>;

export function sqsSender(call: JsonCall): SendMessage {
  return async (queueUrl, body) => {
    const output = await call('SendMessage', { QueueUrl: queueUrl, MessageBody: body });
    const md5 = createHash('md5').update(body, 'utf8').digest('hex');
    if (output.MD5OfMessageBody !== md5)
      throw new Error(`SQS answered MD5 ${String(output.MD5OfMessageBody)} for a body whose MD5 is ${md5}`);
    return { messageId: String(output.MessageId) };
  };
}

/** SQS where the environment says (AWS_ENDPOINT_URL_SQS locally, else the region's endpoint). */
export function createSendMessage(env: NodeJS.ProcessEnv = process.env): SendMessage {
  return sqsSender(
    createJsonService({
      service: 'sqs',
      targetPrefix: 'AmazonSQS',
      ...serviceEnvironment('SQS', 'sqs', env),
    }),
  );
}
