/**
 * `npm run org -- <command>`: manage orgs and keys.
 *
 *   create --name <name> [--domain <host>]... [--json]   a new org with a site key and a read key
 *   list [--json]                                        orgs, their domains and key ids
 *   add-key --org <orgId> --kind site|read [--json]      another key (shown once)
 *   revoke-key --org <orgId> --key <keyId>               revoke a key
 *
 * It talks to the running local stack by default. With AWS_ENDPOINT_URL_DYNAMODB (or
 * AWS_ENDPOINT_URL) or AWS credentials set, it talks to that endpoint instead, and finds the
 * table from ORGS_TABLE, or from the deployed stack's outputs (STACK_NAME, default Pageviews).
 */
import { parseArgs } from 'node:util';
import { CloudFormationClient, DescribeStacksCommand } from '@aws-sdk/client-cloudformation';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { KeyKind } from '../lambdas/core/domain/keys.js';
import { type OrgsDeps, addKey, createOrg, listOrgs, revokeKey } from '../lambdas/core/store/orgs.js';
import { envNames, stackName } from '../lambdas/core/settings.js';
import { readStackFile } from '../local/data-dir.js';

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

const usage = `Usage: npm run org -- <command>
  create --name <name> [--domain <host>]... [--json]
  list [--json]
  add-key --org <orgId> --kind site|read [--json]
  revoke-key --org <orgId> --key <keyId>`;

class UsageError extends Error {}

async function connect(): Promise<OrgsDeps> {
  const remote = process.env.AWS_ENDPOINT_URL_DYNAMODB || process.env.AWS_ENDPOINT_URL || process.env.AWS_PROFILE || process.env.AWS_ACCESS_KEY_ID;
  if (!remote) {
    const local = readStackFile();
    if (!local) throw new UsageError('No local stack found: run `npm start` first (or set AWS credentials to manage a deployed stack).');
    const client = new DynamoDBClient({ endpoint: local.endpoints.dynamo, region: 'us-east-1', credentials: { accessKeyId: 'local', secretAccessKey: 'local' } });
    return { doc: DynamoDBDocumentClient.from(client), orgsTable: local.resources.orgsTable };
  }
  const orgsTable = process.env[envNames.orgsTable] ?? (await orgsTableFromStack(process.env.STACK_NAME ?? stackName));
  return { doc: DynamoDBDocumentClient.from(new DynamoDBClient({})), orgsTable };
}

async function orgsTableFromStack(stackName: string): Promise<string> {
  const { Stacks } = await new CloudFormationClient({}).send(new DescribeStacksCommand({ StackName: stackName }));
  const output = Stacks?.[0]?.Outputs?.find((o) => o.OutputKey === 'OrgsTableName');
  if (!output?.OutputValue) throw new UsageError(`Stack ${stackName} has no OrgsTableName output; set ${envNames.orgsTable} instead.`);
  return output.OutputValue;
}

async function main(argv: string[]): Promise<void> {
  const { positionals, values } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      name: { type: 'string' },
      domain: { type: 'string', multiple: true },
      org: { type: 'string' },
      kind: { type: 'string' },
      key: { type: 'string' },
      json: { type: 'boolean', default: false },
    },
  });
  const print = (json: unknown, text: string) => console.log(values.json ? JSON.stringify(json) : text);
  const command = positionals[0];
  switch (command) {
    case 'create': {
      if (!values.name) throw new UsageError('create needs --name <name>');
      const org = await createOrg(await connect(), { name: values.name, domains: values.domain ?? [] });
      print(org, `Org ${org.orgId} created.\n  Site key: ${org.siteKey}   (public: put it in the script tag)\n  Read key: ${org.readKey}   (secret: shown once, store it now)`);
      return;
    }
    case 'list': {
      const orgs = await listOrgs(await connect());
      print(orgs, orgs.map((o) => `${o.orgId}  ${o.name}  domains: ${o.domains.join(', ') || 'any'}\n${o.keys.map((k) => `    ${k.kind.padEnd(4)} ${k.keyId}${k.revokedAt ? `  revoked ${k.revokedAt}` : ''}`).join('\n')}`).join('\n') || 'No orgs.');
      return;
    }
    case 'add-key': {
      if (!values.org || (values.kind !== 'site' && values.kind !== 'read')) throw new UsageError('add-key needs --org <orgId> --kind site|read');
      const added = await addKey(await connect(), values.org, values.kind as KeyKind);
      print({ orgId: values.org, kind: values.kind, ...added }, `New ${values.kind} key ${added.keyId}: ${added.key}   (shown once)`);
      return;
    }
    case 'revoke-key': {
      if (!values.org || !values.key) throw new UsageError('revoke-key needs --org <orgId> --key <keyId>');
      await revokeKey(await connect(), values.org, values.key);
      print({ orgId: values.org, keyId: values.key, revoked: true }, `Key ${values.key} revoked.`);
      return;
    }
    default:
      throw new UsageError(command ? `Unknown command ${command}` : 'No command given');
  }
}

main(process.argv.slice(2)).catch((error) => {
  console.error(error instanceof UsageError ? `${error.message}\n\n${usage}` : `org: ${(error as Error).message}`);
  process.exit(1);
});
