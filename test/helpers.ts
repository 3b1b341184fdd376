/** Shared test helpers: a local stack on the suite's emulators, and ways to post and read visits. */
import { randomUUID } from 'node:crypto';
import { ScanCommand } from '@aws-sdk/lib-dynamodb';
import { inject } from 'vitest';
import { type LocalStack, type LocalStackOptions, startLocalStack } from '../local/stack.js';

/** A local stack on the shared emulators, on free ports, with its own tables and queues. */
export function startTestStack(options: LocalStackOptions = {}): Promise<LocalStack> {
  return startLocalStack({
    ports: { api: 0, site: 0, dashboard: 0 },
    emulators: { dynamoEndpoint: inject('dynamoEndpoint'), sqsEndpoint: inject('sqsEndpoint') },
    prefix: `t${randomUUID().slice(0, 8)}-`,
    serveSite: false,
    serveDashboard: false,
    quiet: true,
    ...options,
  });
}

export async function postVisit(apiUrl: string, body: unknown, init: { headers?: Record<string, string>; raw?: string } = {}) {
  const response = await fetch(`${apiUrl}/visits`, {
    method: 'POST',
    headers: { 'content-type': 'text/plain', ...init.headers },
    body: init.raw ?? JSON.stringify(body),
  });
  return { status: response.status, body: (await response.json().catch(() => undefined)) as Record<string, unknown> | undefined };
}

export async function getVisits(apiUrl: string, readKey: string | undefined, params: Record<string, string>) {
  const response = await fetch(`${apiUrl}/visits?${new URLSearchParams(params)}`, {
    headers: readKey ? { authorization: `Bearer ${readKey}` } : {},
  });
  return { status: response.status, headers: response.headers, body: (await response.json()) as any };
}

/** Every counter of an org at one resolution, as `<bucket>#<page>` -> count, read straight from DynamoDB. */
export async function readCounters(stack: LocalStack, orgId: string, resolution: 'minute' | 'hour' | 'day'): Promise<Map<string, number>> {
  const counts = new Map<string, number>();
  let ExclusiveStartKey: Record<string, unknown> | undefined;
  do {
    const page = await stack.doc.send(new ScanCommand({ TableName: stack.resources.countersTable, ExclusiveStartKey, ConsistentRead: true }));
    for (const item of page.Items ?? []) {
      if ((item.pk as string).startsWith(`${orgId}#${resolution}#`)) counts.set(item.sk as string, Number(item.n));
    }
    ExclusiveStartKey = page.LastEvaluatedKey;
  } while (ExclusiveStartKey);
  return counts;
}

export async function countRawVisits(stack: LocalStack, orgId: string): Promise<number> {
  let count = 0;
  let ExclusiveStartKey: Record<string, unknown> | undefined;
  do {
    const page = await stack.doc.send(new ScanCommand({ TableName: stack.resources.visitsTable, ExclusiveStartKey, ConsistentRead: true }));
    count += (page.Items ?? []).filter((i) => (i.pk as string).startsWith(`${orgId}#`)).length;
    ExclusiveStartKey = page.LastEvaluatedKey;
  } while (ExclusiveStartKey);
  return count;
}

/** Polls `check` until it returns true or the timeout passes; returns the elapsed milliseconds. */
export async function waitFor(check: () => Promise<boolean>, timeoutMs: number, intervalMs = 100): Promise<number> {
  const started = Date.now();
  while (!(await check())) {
    if (Date.now() - started > timeoutMs) throw new Error(`condition not met within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
  return Date.now() - started;
}

