/**
 * CloudFormation custom resource: creates the demo org the deployed site counts into, so the site
 * key in its pages comes from the stack and is never typed in. Only the org id and the site key
 * (public: it is in every page) are returned; the read key is dropped here and never reaches a
 * template, an output or a log. Get a read key with `npm run org -- add-key` against the stack.
 *
 * It answers CloudFormation itself (a PUT to the pre-signed ResponseURL, the documented
 * custom-resource protocol) instead of using the cr.Provider framework, which would add a second
 * function and role for one call.
 */
import type { CloudFormationCustomResourceEvent } from 'aws-lambda';
import { createDocumentClient } from '../../lambdas/core/runtime/aws.js';
import { requireEnv } from '../../lambdas/core/runtime/env.js';
import { createOrg } from '../../lambdas/core/store/orgs.js';
import { envNames } from '../../lambdas/core/settings.js';

// Created on first use, inside the handler's try: a failure here (a missing variable) must still
// be answered to CloudFormation, or the deploy waits for the resource's ServiceTimeout.
let deps: { doc: ReturnType<typeof createDocumentClient>; orgsTable: string } | undefined;

interface DemoOrgProperties {
  Name: string;
  Domains?: string[];
}

export async function handler(event: CloudFormationCustomResourceEvent): Promise<void> {
  let physicalId = event.RequestType === 'Create' ? event.RequestId : event.PhysicalResourceId;
  let data: Record<string, string> = {};
  let status: 'SUCCESS' | 'FAILED' = 'SUCCESS';
  let reason = '';
  try {
    // Delete keeps the org: its counters live in tables that outlive the stack by default.
    // Update makes a fresh org (a new physical id), because CloudFormation needs the site key
    // again and only its hash is stored.
    if (event.RequestType !== 'Delete') {
      const props = event.ResourceProperties as unknown as DemoOrgProperties;
      deps ??= { doc: createDocumentClient(), orgsTable: requireEnv(envNames.orgsTable) };
      const org = await createOrg(deps, { name: props.Name, domains: props.Domains ?? [] });
      physicalId = org.orgId;
      data = { OrgId: org.orgId, SiteKey: org.siteKey };
    }
  } catch (error) {
    status = 'FAILED';
    reason = error instanceof Error ? error.message : String(error);
    console.error('demo org', event.RequestType, 'failed:', reason);
  }
  const body = JSON.stringify({
    Status: status,
    Reason: reason || `See CloudWatch log stream`,
    PhysicalResourceId: physicalId,
    StackId: event.StackId,
    RequestId: event.RequestId,
    LogicalResourceId: event.LogicalResourceId,
    Data: data,
  });
  const response = await fetch(event.ResponseURL, {
    method: 'PUT',
    body,
    headers: { 'content-type': '', 'content-length': String(Buffer.byteLength(body)) },
  });
  if (!response.ok) throw new Error(`CloudFormation response rejected: ${response.status}`);
}
