/**
 * A fault-injecting HTTP proxy in front of DynamoDB Local. While a fault is set, the chosen
 * operations are answered with the error DynamoDB itself would send; everything else passes
 * through. The handlers under test talk to it through AWS_ENDPOINT_URL_DYNAMODB, unchanged.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { forward } from './forward.js';

export type DynamoFault = 'throttling' | 'transaction-conflict';

export interface FaultProxy {
  endpoint: string;
  /** Fails every matching call until cleared; counts how many were failed. */
  fail(operation: string, fault: DynamoFault): void;
  clear(): void;
  failedCalls(): number;
  stop(): Promise<void>;
}

const faultBodies: Record<DynamoFault, (operation: string) => object> = {
  throttling: () => ({
    __type: 'com.amazonaws.dynamodb.v20120810#ThrottlingException',
    message: 'Rate of requests exceeds the allowed throughput.',
  }),
  'transaction-conflict': () => ({
    __type: 'com.amazonaws.dynamodb.v20120810#TransactionCanceledException',
    message:
      'Transaction cancelled, please refer cancellation reasons for specific reasons [TransactionConflict]',
    CancellationReasons: [{ Code: 'TransactionConflict', Message: 'Transaction is ongoing for the item' }],
  }),
};

export async function startFaultProxy(target: string): Promise<FaultProxy> {
  const upstream = new URL(target);
  let fault: { operation: string; kind: DynamoFault } | undefined;
  let failed = 0;
  const server = createServer((req, res) => {
    const operation = String(req.headers['x-amz-target'] ?? '').split('.')[1];
    if (fault && operation === fault.operation) {
      failed++;
      req.resume();
      res.writeHead(400, { 'content-type': 'application/x-amz-json-1.0' });
      res.end(JSON.stringify(faultBodies[fault.kind](operation)));
      return;
    }
    forward(req, res, upstream);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    endpoint: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    fail: (operation, kind) => {
      fault = { operation, kind };
    },
    clear: () => {
      fault = undefined;
    },
    failedCalls: () => failed,
    stop: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
