import { Stack, Token } from 'aws-cdk-lib';
import type { IConstruct } from 'constructs';

/** The longest region name AWS uses today (`ap-southeast-5`, `us-gov-west-1` are shorter). */
const maxRegionLength = 14;

/**
 * A name for a resource whose name must be unique per account rather than per stack: CloudFront
 * response-headers policies, cache policies, functions and origin access controls live in no
 * region, so two stacks (another region, another stage) that used the construct-path names CDK
 * picks would collide with "already exists". The name is `<stack>-<region>-<what>`, the region
 * resolved at deploy time, shortened to the service's limit by cutting the stack name.
 */
export function accountUniqueName(scope: IConstruct, what: string, maxLength: number): string {
  const stack = Stack.of(scope);
  const region = Token.isUnresolved(stack.region) ? stack.region : stack.region.slice(0, maxRegionLength);
  const room = maxLength - maxRegionLength - what.length - 2;
  if (room < 1)
    throw new Error(
      `The name part "${what}" leaves no room for the stack name within ${maxLength} characters`,
    );
  return `${stack.stackName.slice(0, room)}-${region}-${what}`;
}
