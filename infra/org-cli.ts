/**
 * `npm run org -- <command>`: manage orgs and keys.
 *
 *   create, list, add-key, share, revoke-key, add-domain, remove-domain, rename, delete: see `usage`.
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
import { type OrgsDeps, addKey, createOrg, deleteOrg, listOrgs, renameOrg, revokeKey, updateOrgDomains } from '../lambdas/core/store/orgs.js';
import { envNames, ingestLimits, stackName } from '../lambdas/core/settings.js';
import { readStackFile } from '../local/data-dir.js';

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

const usage = `Usage: npm run org -- <command> [--json]
  create --name <name> [--domain <host>]...        a new org: site key, read key and the tag to paste
  list                                             orgs, their domains and key ids
  add-key --org <orgId> --kind site|read           another key (shown once)
  share --org <orgId>                              a share key and the dashboard link that carries it (read-only)
  revoke-key --org <orgId> --key <keyId>           revoke a key (a share key too: its link stops working)
  add-domain --org <orgId> --domain <host>         count pages on this host too (localhost to test locally)
  remove-domain --org <orgId> --domain <host>      stop counting pages on this host
  rename --org <orgId> --name <name>               rename an org
  delete --org <orgId> --yes                       delete an org and its keys (its counts stay)
  help, -h, --help                                 this text
An org with no domains counts pages on any host. DASHBOARD_URL overrides the dashboard address in share links.`;

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

const options = {
  name: { type: 'string' },
  domain: { type: 'string', multiple: true },
  org: { type: 'string' },
  kind: { type: 'string' },
  key: { type: 'string' },
  yes: { type: 'boolean', default: false },
  json: { type: 'boolean', default: false },
  help: { type: 'boolean', short: 'h', default: false },
} as const;

function parse(argv: string[]) {
  try {
    return parseArgs({ args: argv, allowPositionals: true, strict: true, options });
  } catch (error) {
    // Node's own message names the option but not what is accepted.
    const flag = /option '([^']+)'/.exec((error as Error).message)?.[1] ?? argv.find((a) => a.startsWith('-')) ?? '';
    const bare = flag.replace(/^-+/, '').split(/[\s=]/)[0]!;
    const near = Object.keys(options).find((name) => editDistance(name, bare) <= 2);
    const code = (error as { code?: string }).code;
    if (code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION') throw new UsageError(`Unknown option ${flag.split(' ')[0]}${near ? `: did you mean --${near}?` : '.'}`);
    throw new UsageError((error as Error).message.replace(/\. To specify.*$/s, '.'));
  }
}

/** Levenshtein distance, for "did you mean" on a misspelt option. */
function editDistance(a: string, b: string): number {
  let row = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    const next = [i];
    for (let j = 1; j <= b.length; j++) next[j] = Math.min(row[j]! + 1, next[j - 1]! + 1, row[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    row = next;
  }
  return row[b.length]!;
}

/** The tag to paste into a page: with the running local stack's URLs, or placeholders for a deployed stack. */
function snippet(siteKey: string): string {
  let urls: { site: string; api: string } | undefined;
  const remote = process.env.AWS_ENDPOINT_URL_DYNAMODB || process.env.AWS_ENDPOINT_URL || process.env.AWS_PROFILE || process.env.AWS_ACCESS_KEY_ID;
  if (!remote) {
    try {
      urls = readStackFile()?.urls;
    } catch {
      // not running: placeholders below
    }
  }
  const site = urls?.site ?? 'https://<SiteUrl output>';
  const api = urls?.api ?? 'https://<ApiUrl output>';
  return `<script defer src="${site}/tracker.js" data-key="${siteKey}" data-api="${api}"></script>`;
}

/**
 * The dashboard's address: the running local stack's, or the deployed stack's DashboardUrl
 * output; undefined when neither can be found (the fragment is printed alone then).
 */
async function dashboardUrl(): Promise<string | undefined> {
  const remote = process.env.AWS_ENDPOINT_URL_DYNAMODB || process.env.AWS_ENDPOINT_URL || process.env.AWS_PROFILE || process.env.AWS_ACCESS_KEY_ID;
  if (process.env.DASHBOARD_URL) return process.env.DASHBOARD_URL;
  if (!remote) return readStackFile()?.urls?.dashboard;
  try {
    const { Stacks } = await new CloudFormationClient({}).send(new DescribeStacksCommand({ StackName: process.env.STACK_NAME ?? stackName }));
    return Stacks?.[0]?.Outputs?.find((o) => o.OutputKey === 'DashboardUrl')?.OutputValue;
  } catch {
    return undefined; // no stack or no permission: the fragment alone still works
  }
}

/** The link: the key in the fragment, which browsers never send to a server nor put in a Referer. */
function shareLink(dashboard: string | undefined, key: string): string {
  const fragment = `#share=${key}`;
  return dashboard ? `${dashboard.replace(/#.*$/, '').replace(/\/?$/, '/')}${fragment}` : fragment;
}

const needsOrg = (command: string, more = ''): never => {
  throw new UsageError(`${command} needs --org <orgId>${more}`);
};

async function main(argv: string[]): Promise<void> {
  const { positionals, values } = parse(argv);
  const command = positionals[0];
  if (values.help || command === 'help') {
    console.log(usage);
    return;
  }
  const print = (json: unknown, text: string) => console.log(values.json ? JSON.stringify(json) : text);
  switch (command) {
    case 'create': {
      if (!values.name) throw new UsageError('create needs --name <name>');
      const org = await createOrg(await connect(), { name: values.name, domains: values.domain ?? [] });
      const tag = snippet(org.siteKey);
      const domains = (values.domain ?? []).join(', ');
      print(
        { ...org, snippet: tag },
        `Org ${org.orgId} created.\n  Site key: ${org.siteKey}   (public: put it in the script tag)\n  Read key: ${org.readKey}   (secret: shown once, store it now)\n\n` +
          `Paste into your pages:\n  ${tag}\n\n` +
          (domains ? `Only pages on ${domains} are counted; to test a page on localhost too: npm run org -- add-domain --org ${org.orgId} --domain localhost` : 'Pages on any host are counted; restrict them with: npm run org -- add-domain --org ' + org.orgId + ' --domain example.com'),
      );
      return;
    }
    case 'list': {
      const orgs = await listOrgs(await connect());
      print(orgs, orgs.map((o) => `${o.orgId}  ${o.name}  domains: ${o.domains.join(', ') || 'any'}\n${o.keys.map((k) => `    ${k.kind.padEnd(4)} ${k.keyId}${k.revokedAt ? `  revoked ${k.revokedAt}` : ''}`).join('\n')}`).join('\n') || 'No orgs.');
      return;
    }
    case 'add-key': {
      if (!values.org) needsOrg('add-key', ' --kind site|read');
      if (values.kind !== 'site' && values.kind !== 'read') {
        throw new UsageError(values.kind === undefined ? 'add-key needs --kind site|read' : `--kind must be site (public, writes visits) or read (secret, reads counts), not "${values.kind}"`);
      }
      const added = await addKey(await connect(), values.org!, values.kind as KeyKind);
      print({ orgId: values.org, kind: values.kind, ...added }, `New ${values.kind} key ${added.keyId}: ${added.key}   (shown once)`);
      return;
    }
    case 'share': {
      if (!values.org) needsOrg('share');
      const added = await addKey(await connect(), values.org!, 'share');
      const dashboard = await dashboardUrl();
      const url = shareLink(dashboard, added.key);
      print(
        { orgId: values.org, kind: 'share', ...added, url },
        `New share key ${added.keyId}: anyone with this link sees org ${values.org}'s dashboard, read-only:\n  ${url}\n` +
          (dashboard ? '' : 'Append it to your dashboard URL (the DashboardUrl output of the stack).\n') +
          `Stop it with: npm run org -- revoke-key --org ${values.org} --key ${added.keyId}`,
      );
      return;
    }
    case 'revoke-key': {
      if (!values.org || !values.key) throw new UsageError('revoke-key needs --org <orgId> --key <keyId>');
      await revokeKey(await connect(), values.org, values.key);
      print({ orgId: values.org, keyId: values.key, revoked: true }, `Key ${values.key} revoked. It may keep working for up to ${ingestLimits.keyCacheMs / 1000} s, until the API's key cache forgets it.`);
      return;
    }
    case 'add-domain':
    case 'remove-domain': {
      if (!values.org || !values.domain?.length) needsOrg(command, ' --domain <host>');
      const change = command === 'add-domain' ? { add: values.domain } : { remove: values.domain };
      const domains = await updateOrgDomains(await connect(), values.org!, change);
      print({ orgId: values.org, domains }, `Org ${values.org} now counts pages on ${domains.join(', ') || 'any host'} (within ${ingestLimits.keyCacheMs / 1000} s, as the key cache renews).`);
      return;
    }
    case 'rename': {
      if (!values.org || !values.name) needsOrg('rename', ' --name <new name>');
      await renameOrg(await connect(), values.org!, values.name!);
      print({ orgId: values.org, name: values.name }, `Org ${values.org} renamed to ${values.name}.`);
      return;
    }
    case 'delete': {
      if (!values.org) needsOrg('delete');
      if (!values.yes) throw new UsageError(`delete removes org ${values.org} and all its keys for good (its counts stay); add --yes to confirm`);
      const { keysDeleted } = await deleteOrg(await connect(), values.org!);
      print({ orgId: values.org, deleted: true, keysDeleted }, `Org ${values.org} and its ${keysDeleted} key(s) deleted; the keys stop working within ${ingestLimits.keyCacheMs / 1000} s.`);
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
