import { CustomResource, Duration } from 'aws-cdk-lib';
import type { ITableV2 } from 'aws-cdk-lib/aws-dynamodb';
import { Construct } from 'constructs';
import { repoRoot } from '../paths.js';
import { AppFunction, bindTable, tableAccess } from './function.js';
import path from 'node:path';

/** How long CloudFormation waits for the demo org's answer before it fails the deploy. */
export const demoOrgServiceTimeout = Duration.minutes(2);

export interface DemoOrgProps {
  readonly orgsTable: ITableV2;
  /** The allowed domains of the demo org: the demo site's host. Empty: any domain. */
  readonly domains: string[];
}

/**
 * A demo org created at deploy time (infra/demo-org/handler.ts, which calls the same `createOrg`
 * as `npm run org`), so the demo site's pages carry a working site key without anyone typing it.
 * Exposes the org id and the site key, which is public by design; the read key is never returned.
 */
export class DemoOrg extends Construct {
  readonly orgId: string;
  readonly siteKey: string;

  constructor(scope: Construct, id: string, props: DemoOrgProps) {
    super(scope, id);
    const provider = new AppFunction(this, 'Provider', {
      entry: path.join(repoRoot, 'infra/demo-org/handler.ts'),
      serviceName: 'demo-org',
      description: 'Custom resource: creates the demo org of the deployed site',
      timeout: Duration.seconds(30),
      memorySize: 256,
    });
    // createOrg writes the org and its key items in one TransactWriteItems.
    bindTable(provider.fn, 'orgsTable', props.orgsTable, tableAccess.transactWrite);
    const resource = new CustomResource(this, 'Resource', {
      serviceToken: provider.fn.functionArn,
      // CloudFormation's default is an hour without an answer; the function itself stops at 30 s.
      serviceTimeout: demoOrgServiceTimeout,
      resourceType: 'Custom::DemoOrg',
      properties: { Name: 'Demo site', Domains: props.domains },
    });
    this.orgId = resource.getAttString('OrgId');
    this.siteKey = resource.getAttString('SiteKey');
  }
}
