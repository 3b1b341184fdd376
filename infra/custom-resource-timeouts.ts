import { CfnResource, type IAspect } from 'aws-cdk-lib';
import type { IConstruct } from 'constructs';

/**
 * CloudFormation waits an hour for a custom resource that never answers (a handler that crashes
 * before it can reply, a throttled or missing function). `ServiceTimeout` makes it give up
 * sooner. Our own custom resource (DemoOrg) sets it itself; this aspect sets it on the ones
 * aws-cdk-lib adds for us, whose constructs do not offer the property: BucketDeployment and a
 * bucket's autoDeleteObjects. Both handlers may run for up to 15 minutes, so 16.
 */
const libraryCustomResourceTimeoutSeconds: Record<string, number> = {
  'Custom::CDKBucketDeployment': 16 * 60,
  'Custom::S3AutoDeleteObjects': 16 * 60,
};

export class CustomResourceTimeouts implements IAspect {
  visit(node: IConstruct): void {
    if (!(node instanceof CfnResource)) return;
    const seconds = libraryCustomResourceTimeoutSeconds[node.cfnResourceType];
    if (seconds !== undefined) node.addPropertyOverride('ServiceTimeout', seconds);
  }
}
