/**
 * A stand-in for LocalStack's single endpoint, made of the emulators the test suite already
 * runs: DynamoDB requests (`X-Amz-Target: DynamoDB_20120810.*`) go to DynamoDB Local, everything
 * else (SQS, S3 path-style) to fauxqs. LocalStack itself needs Docker and an auth token, which
 * these machines lack; what the code under test sees is one URL for every service, as there.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { forward } from './forward.js';

export interface LocalStackStandIn {
  endpoint: string;
  /** Requests seen per service, so a test can tell the endpoint was really used. */
  requests: { dynamodb: number; other: number };
  stop(): Promise<void>;
}

export async function startLocalStackStandIn(emulators: {
  dynamoEndpoint: string;
  sqsEndpoint: string;
}): Promise<LocalStackStandIn> {
  const dynamo = new URL(emulators.dynamoEndpoint);
  const fauxqs = new URL(emulators.sqsEndpoint);
  const requests = { dynamodb: 0, other: 0 };
  const server = createServer((req, res) => {
    const isDynamo = String(req.headers['x-amz-target'] ?? '').startsWith('DynamoDB_');
    if (isDynamo) requests.dynamodb++;
    else requests.other++;
    const upstream = isDynamo ? dynamo : fauxqs;
    forward(req, res, upstream);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    endpoint: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    requests,
    stop: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
