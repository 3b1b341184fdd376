/**
 * The demo-org custom resource runs only during a deployment, so it is tested here against
 * DynamoDB Local (from the shared test setup) with a local server standing in for
 * CloudFormation's pre-signed response URL.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { randomUUID } from 'node:crypto';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { CloudFormationCustomResourceEvent } from 'aws-lambda';
import { afterAll, beforeAll, describe, expect, inject, it, vi } from 'vitest';
import { documentItemCalls } from '../../lambdas/core/runtime/aws.js';
import { createKeyResolver } from '../../lambdas/core/store/key-resolver.js';
import { envNames } from '../../lambdas/core/settings.js';
import { ensureTable } from '../../local/resources.js';

const orgsTable = `demo-org-test-${randomUUID().slice(0, 8)}`;
const replies: Record<string, unknown>[] = [];
let server: Server;
let responseUrl: string;
let handler: (event: CloudFormationCustomResourceEvent) => Promise<void>;
let doc: DynamoDBDocumentClient;

beforeAll(async () => {
  const endpoint = inject('dynamoEndpoint');
  const credentials = { accessKeyId: 'local', secretAccessKey: 'local' };
  const dynamo = new DynamoDBClient({ endpoint, region: 'us-east-1', credentials });
  doc = DynamoDBDocumentClient.from(dynamo);
  await ensureTable(dynamo, orgsTable);
  server = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk) => (body += chunk));
    req.on('end', () => {
      replies.push(JSON.parse(body));
      res.end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  responseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/response`;

  // The handler reads its environment once, at import: set it first, as Lambda would.
  vi.stubEnv(envNames.orgsTable, orgsTable);
  vi.stubEnv('AWS_ENDPOINT_URL_DYNAMODB', endpoint);
  vi.stubEnv('AWS_REGION', 'us-east-1');
  vi.stubEnv('AWS_ACCESS_KEY_ID', 'local');
  vi.stubEnv('AWS_SECRET_ACCESS_KEY', 'local');
  ({ handler } = await import('./handler.js'));
});

afterAll(async () => {
  vi.unstubAllEnvs();
  await new Promise((resolve) => server?.close(resolve));
});

function event(
  requestType: 'Create' | 'Update' | 'Delete',
  extra: Record<string, unknown> = {},
): CloudFormationCustomResourceEvent {
  return {
    RequestType: requestType,
    ServiceToken: 'arn:aws:lambda:us-east-1:123456789012:function:demo-org',
    ResponseURL: responseUrl,
    StackId: 'arn:aws:cloudformation:us-east-1:123456789012:stack/Pageviews/1',
    RequestId: randomUUID(),
    LogicalResourceId: 'DemoOrg',
    ResourceType: 'Custom::DemoOrg',
    ResourceProperties: { ServiceToken: 'x', Name: 'Demo site', Domains: ['d111.cloudfront.net'] },
    ...extra,
  } as CloudFormationCustomResourceEvent;
}

describe('demo org custom resource', () => {
  it('creates an org whose site key works for the site domain, and returns no read key', async () => {
    await handler(event('Create'));
    const reply = replies.at(-1)!;
    expect(reply).toMatchObject({ Status: 'SUCCESS', LogicalResourceId: 'DemoOrg' });
    const data = reply.Data as Record<string, string>;
    expect(Object.keys(data).sort()).toEqual(['OrgId', 'SiteKey']);
    expect(reply.PhysicalResourceId).toBe(data.OrgId);
    expect(JSON.stringify(reply)).not.toMatch(/read/i);

    const resolved = await createKeyResolver(
      { items: documentItemCalls(doc), orgsTable },
      { cacheMs: 0 },
    )(data.SiteKey!);
    expect(resolved).toMatchObject({ orgId: data.OrgId, kind: 'site', domains: ['d111.cloudfront.net'] });
  });

  it('keeps the org on Delete (its counters outlive the stack) and answers SUCCESS', async () => {
    await handler(event('Delete', { PhysicalResourceId: 'org-to-keep' }));
    expect(replies.at(-1)).toMatchObject({ Status: 'SUCCESS', PhysicalResourceId: 'org-to-keep', Data: {} });
  });

  it('reports a failure to CloudFormation with its reason instead of leaving it waiting', async () => {
    const logged = vi.spyOn(console, 'error').mockImplementation(() => {});
    await handler(
      event('Create', { ResourceProperties: { ServiceToken: 'x', Name: 'Demo', Domains: ['not a host'] } }),
    );
    expect(logged).toHaveBeenCalledWith(
      'demo org',
      'Create',
      'failed:',
      expect.stringContaining('not a host'),
    );
    logged.mockRestore();
    const reply = replies.at(-1)!;
    expect(reply).toMatchObject({ Status: 'FAILED', Data: {} });
    expect(reply.Reason).toContain('is not a host name');
  });
});
