/**
 * Nothing left behind: every function in the stack writes to a log group the stack owns, with a
 * retention and the stack's removal policy. The project's functions make their own
 * (AppFunction); aws-cdk-lib's providers (BucketDeployment's handler, a bucket's auto-delete
 * handler) do not, and Lambda would create `/aws/lambda/<name>` on their first run, outside the
 * template: kept forever, and left behind by `cdk destroy`. This aspect gives each of them one.
 */
import { CfnResource, type IAspect, type RemovalPolicy } from 'aws-cdk-lib';
import { CfnLogGroup, LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { IConstruct } from 'constructs';

/** Every log group of the stack keeps this long (function, provider and API access logs). */
export const logRetention = RetentionDays.ONE_MONTH;

export class LogGroupsForEveryFunction implements IAspect {
  constructor(private readonly removalPolicy: RemovalPolicy) {}

  visit(node: IConstruct): void {
    if (node instanceof CfnLogGroup) {
      node.applyRemovalPolicy(this.removalPolicy);
      node.retentionInDays ??= logRetention;
      return;
    }
    if (!(node instanceof CfnResource) || node.cfnResourceType !== 'AWS::Lambda::Function') return;
    // An L1 function keeps its properties on the class; a provider's plain CfnResource in cfnProperties.
    const own = (node as unknown as { loggingConfig?: { logGroup?: string } }).loggingConfig?.logGroup;
    const raw = (node as unknown as { cfnProperties?: { LoggingConfig?: { LogGroup?: string } } })
      .cfnProperties?.LoggingConfig?.LogGroup;
    if (own ?? raw) return;
    const scope = node.node.scope!;
    const logGroup = new LogGroup(scope, `${node.node.id}Logs`, {
      retention: logRetention,
      removalPolicy: this.removalPolicy,
    });
    // A reference, so the log group is made before the function first runs and deleted after it last ran.
    node.addPropertyOverride('LoggingConfig.LogGroup', logGroup.logGroupName);
  }
}
