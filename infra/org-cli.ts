/**
 * `npm run org -- <command>`: manage orgs and keys.
 *
 *   create --name <name> [--domain <host>]... [--json]   a new org with a site key and a read key
 *   list [--json]                                        orgs, their domains and key ids
 *   add-key --org <orgId> --kind site|read [--json]      another key (shown once)
 *   revoke-key --org <orgId> --key <keyId>               revoke a key
 *
 * Where it talks to is chosen in ./org-target.ts: --local, --aws [--profile P] [--region R],
 * --stack <name>; by default the running local stack, else AWS. Its first line (on stderr, so
 * --json output stays one JSON object) says which.
 */
import { parseArgs } from 'node:util';
import type { KeyKind } from '../lambdas/core/domain/keys.js';
import { type OrgsDeps, addKey, createOrg, listOrgs, revokeKey } from '../lambdas/core/store/orgs.js';
import { type TargetFlags, resolveTarget, targetOptions, targetUsage } from './org-target.js';

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

const usage = `Usage: npm run org -- <command>
  create --name <name> [--domain <host>]... [--json]
  list [--json]
  add-key --org <orgId> --kind site|read [--json]
  revoke-key --org <orgId> --key <keyId>
${targetUsage}`;

class UsageError extends Error {}

async function connect(flags: TargetFlags): Promise<OrgsDeps> {
  const target = await resolveTarget(flags);
  console.error(target.description);
  return target.deps;
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
      ...targetOptions,
    },
  });
  const print = (json: unknown, text: string) => console.log(values.json ? JSON.stringify(json) : text);
  const command = positionals[0];
  switch (command) {
    case 'create': {
      if (!values.name) throw new UsageError('create needs --name <name>');
      const org = await createOrg(await connect(values), { name: values.name, domains: values.domain ?? [] });
      print(org, `Org ${org.orgId} created.\n  Site key: ${org.siteKey}   (public: put it in the script tag)\n  Read key: ${org.readKey}   (secret: shown once, store it now)`);
      return;
    }
    case 'list': {
      const orgs = await listOrgs(await connect(values));
      print(orgs, orgs.map((o) => `${o.orgId}  ${o.name}  domains: ${o.domains.join(', ') || 'any'}\n${o.keys.map((k) => `    ${k.kind.padEnd(4)} ${k.keyId}${k.revokedAt ? `  revoked ${k.revokedAt}` : ''}`).join('\n')}`).join('\n') || 'No orgs.');
      return;
    }
    case 'add-key': {
      if (!values.org || (values.kind !== 'site' && values.kind !== 'read')) throw new UsageError('add-key needs --org <orgId> --kind site|read');
      const added = await addKey(await connect(values), values.org, values.kind as KeyKind);
      print({ orgId: values.org, kind: values.kind, ...added }, `New ${values.kind} key ${added.keyId}: ${added.key}   (shown once)`);
      return;
    }
    case 'revoke-key': {
      if (!values.org || !values.key) throw new UsageError('revoke-key needs --org <orgId> --key <keyId>');
      await revokeKey(await connect(values), values.org, values.key);
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
