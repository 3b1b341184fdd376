/**
 * A Lambda function URL sends the HTTP API's payload (format 2.0), so beacons on the ingest
 * function URL (issue 25) are read as they were behind the HTTP API: path, body, the visitor's
 * address and User-Agent, which the daily visitor id is made from.
 */
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { describe, expect, it } from 'vitest';
import { toApiRequest } from './request.js';

const body = JSON.stringify({ key: 'pvs_x', pageUrl: 'https://shop.example/' });
const userAgent = 'Mozilla/5.0 (X11; Linux x86_64) Chrome/131.0.0.0 Safari/537.36';

/** What a function URL invokes the function with (Lambda developer guide, "Invoking Lambda function URLs"). */
const functionUrlEvent = {
  version: '2.0',
  routeKey: '$default',
  rawPath: '/visits',
  rawQueryString: '',
  headers: {
    'content-type': 'text/plain;charset=UTF-8',
    origin: 'https://shop.example',
    'user-agent': userAgent,
  },
  requestContext: {
    accountId: 'anonymous',
    apiId: 'abcdefghijklmnopqrstuvwxyz012345',
    domainName: 'abcdefghijklmnopqrstuvwxyz012345.lambda-url.us-east-1.on.aws',
    domainPrefix: 'abcdefghijklmnopqrstuvwxyz012345',
    http: { method: 'POST', path: '/visits', protocol: 'HTTP/1.1', sourceIp: '203.0.113.7', userAgent },
    requestId: 'id',
    routeKey: '$default',
    stage: '$default',
    time: '03/Dec/2026:08:00:00 +0000',
    timeEpoch: 1_796_284_800_000,
  },
  body,
  isBase64Encoded: false,
} as unknown as APIGatewayProxyEventV2;

describe('toApiRequest', () => {
  it('reads a function URL beacon as it reads one through the HTTP API', () => {
    expect(toApiRequest(functionUrlEvent)).toEqual({
      method: 'POST',
      path: '/visits',
      headers: {
        'content-type': 'text/plain;charset=UTF-8',
        origin: 'https://shop.example',
        'user-agent': userAgent,
      },
      query: {},
      queryAll: {},
      queryParameterCount: 0,
      body,
      sourceIp: '203.0.113.7',
      userAgent,
    });
  });

  it('decodes a base64 body, which a function URL sends for a body it does not take for text', () => {
    const encoded = {
      ...functionUrlEvent,
      body: Buffer.from(body).toString('base64'),
      isBase64Encoded: true,
    };
    expect(toApiRequest(encoded).body).toBe(body);
  });
});
