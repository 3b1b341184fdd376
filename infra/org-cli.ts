/**
 * `npm run org -- <command>`: manage orgs and keys.
 *
 *   create, list, add-key, share, revoke-key, add-domain, remove-domain, set, rename, delete,
 *   redrive: see `usage`.
 *
 * Where it talks to is chosen in ./org-target.ts: --local, --aws [--profile P] [--region R],
 * --stack <name>; by default the running local stack, else AWS. Its first line (on stderr, so
 * --json output stays one JSON object) says which.
 */
import { readFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { importRows } from '../lambdas/archive/import.js';
import { ImportFileError, parseArchiveCsv } from '../lambdas/core/archive/csv.js';
import type { KeyKind } from '../lambdas/core/domain/keys.js';
import {
  type OrgsDeps,
  addKey,
  createOrg,
  deleteOrg,
  getOrg,
  listOrgs,
  renameOrg,
  revokeKey,
  setOrgDailyLimit,
  setOrgRetention,
  setOrgTimezone,
  updateOrgDomains,
} from '../lambdas/core/store/orgs.js';
import { abuseLimits, archive, keyCache, orgRetention, queueSettings } from '../lambdas/core/settings.js';
import { redriveDeadLetters } from './redrive.js';
import { type OrgTarget, type TargetFlags, resolveTarget, targetOptions, targetUsage } from './org-target.js';

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

const usage = `Usage: npm run org -- <command> [--json]
  create --name <name> [--domain <host>]...        a new org: site key, read key and the tag to paste
  list                                             orgs, their domains and key ids
  add-key --org <orgId> --kind site|read           another key (shown once)
  share --org <orgId>                              a share key and the dashboard link that carries it (read-only)
  revoke-key --org <orgId> --key <keyId>           revoke a key (a share key too: its link stops working)
  add-domain --org <orgId> --domain <host>         count pages on this host too (localhost to test locally)
  remove-domain --org <orgId> --domain <host>      stop counting pages on this host
  set --org <orgId> --timezone <IANA zone>         count days and months in this zone (Europe/Berlin; UTC by default)
  set --org <orgId> --daily-limit <views>          accepted views a day before POST /visits answers 429 (default ${abuseLimits.defaultDailyViews.toLocaleString('en-US')})
  set --org <orgId> --retention <months>|keep      keep this many months of history (${orgRetention.minMonths} to ${orgRetention.maxMonths}): older days leave the
                                                   archive and the counters at the archiver's next runs (default: keep forever)
  redrive                                          send the visits in the dead-letter queue back to be counted (after a fix)
  rename --org <orgId> --name <name>               rename an org
  delete --org <orgId> --yes                       delete an org and its keys (its counts stay)
  import --org <orgId> --file <path.csv>           page views and events of closed days, in GET /export's columns, into
                                                   the archive and the counters (each event id once; a bad file writes nothing)
  help, -h, --help                                 this text
An org with no domains counts pages on any host. DASHBOARD_URL overrides the dashboard address in share links.
${targetUsage}`;

class UsageError extends Error {}

/** A file refused whole: the line, what is wrong, and that nothing was written. */
class ImportRefusedError extends Error {
  constructor(file: string, error: ImportFileError) {
    super(`${file} not imported, nothing was written: ${error.message}`);
  }
}

let target: OrgTarget | undefined;

async function connect(flags: TargetFlags): Promise<OrgsDeps> {
  target = await resolveTarget(flags);
  console.error(target.description);
  return target.deps;
}

const options = {
  name: { type: 'string' },
  domain: { type: 'string', multiple: true },
  org: { type: 'string' },
  timezone: { type: 'string' },
  'daily-limit': { type: 'string' },
  retention: { type: 'string' },
  kind: { type: 'string' },
  key: { type: 'string' },
  file: { type: 'string' },
  yes: { type: 'boolean', default: false },
  json: { type: 'boolean', default: false },
  help: { type: 'boolean', short: 'h', default: false },
  ...targetOptions,
} as const;

function parse(argv: string[]) {
  try {
    return parseArgs({ args: argv, allowPositionals: true, strict: true, options });
  } catch (error) {
    // Node's own message names the option but not what is accepted.
    const flag =
      /option '([^']+)'/.exec((error as Error).message)?.[1] ?? argv.find((a) => a.startsWith('-')) ?? '';
    const bare = flag.replace(/^-+/, '').split(/[\s=]/)[0]!;
    const near = Object.keys(options).find((name) => editDistance(name, bare) <= 2);
    const code = (error as { code?: string }).code;
    if (code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION')
      throw new UsageError(`Unknown option ${flag.split(' ')[0]}${near ? `: did you mean --${near}?` : '.'}`);
    throw new UsageError((error as Error).message.replace(/\. To specify.*$/s, '.'));
  }
}

/** Levenshtein distance, for "did you mean" on a misspelt option. */
function editDistance(a: string, b: string): number {
  let row = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    const next = [i];
    for (let j = 1; j <= b.length; j++)
      next[j] = Math.min(row[j]! + 1, next[j - 1]! + 1, row[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    row = next;
  }
  return row[b.length]!;
}

/**
 * The tag to paste into a page: with the target's tracker.js and API URLs (the running local
 * stack's, or the deployed stack's outputs), else placeholders naming the outputs that hold them.
 */
async function snippet(siteKey: string): Promise<string> {
  const urls = await target?.trackerUrls().catch(() => undefined);
  const tracker = urls?.tracker ?? '<TrackerUrl output>';
  const api = urls?.api ?? '<BeaconUrl output>';
  return `<script defer src="${tracker}" data-key="${siteKey}" data-api="${api}"></script>`;
}

/**
 * The dashboard's address: the running local stack's, or the deployed stack's DashboardUrl
 * output; undefined when neither can be found (the fragment is printed alone then).
 */
async function dashboardUrl(): Promise<string | undefined> {
  return process.env.DASHBOARD_URL ?? (await target?.dashboardUrl());
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
      const org = await createOrg(await connect(values), { name: values.name, domains: values.domain ?? [] });
      const tag = await snippet(org.siteKey);
      const domains = (values.domain ?? []).join(', ');
      print(
        { ...org, snippet: tag },
        `Org ${org.orgId} created.\n  Site key: ${org.siteKey}   (public: put it in the script tag)\n  Read key: ${org.readKey}   (secret: shown once, store it now)\n\n` +
          `Paste into your pages:\n  ${tag}\n\n` +
          (domains
            ? `Only pages on ${domains} are counted; to test a page on localhost too: npm run org -- add-domain --org ${org.orgId} --domain localhost`
            : `Pages on any host are counted; restrict them with: npm run org -- add-domain --org ${org.orgId} --domain example.com`),
      );
      return;
    }
    case 'list': {
      const orgs = await listOrgs(await connect(values));
      print(
        orgs,
        orgs
          .map(
            (o) =>
              `${o.orgId}  ${o.name}  domains: ${o.domains.join(', ') || 'any'}  time zone: ${o.timezone}  daily limit: ${o.dailyLimit.toLocaleString('en-US')}  retention: ${o.retentionMonths === undefined ? 'kept' : `${o.retentionMonths} months`}\n${o.keys.map((k) => `    ${k.kind.padEnd(4)} ${k.keyId}${k.revokedAt ? `  revoked ${k.revokedAt}` : ''}`).join('\n')}`,
          )
          .join('\n') || 'No orgs.',
      );
      return;
    }
    case 'add-key': {
      if (!values.org) needsOrg('add-key', ' --kind site|read');
      if (values.kind !== 'site' && values.kind !== 'read') {
        throw new UsageError(
          values.kind === undefined
            ? 'add-key needs --kind site|read'
            : `--kind must be site (public, writes visits) or read (secret, reads counts), not "${values.kind}"`,
        );
      }
      const added = await addKey(await connect(values), values.org!, values.kind as KeyKind);
      print(
        { orgId: values.org, kind: values.kind, ...added },
        `New ${values.kind} key ${added.keyId}: ${added.key}   (shown once)`,
      );
      return;
    }
    case 'share': {
      if (!values.org) needsOrg('share');
      const added = await addKey(await connect(values), values.org!, 'share');
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
      await revokeKey(await connect(values), values.org, values.key);
      print(
        { orgId: values.org, keyId: values.key, revoked: true },
        `Key ${values.key} revoked. It may keep working for up to ${keyCache.ttlMs / 1000} s, until the API's key cache forgets it.`,
      );
      return;
    }
    case 'add-domain':
    case 'remove-domain': {
      if (!values.org || !values.domain?.length) needsOrg(command, ' --domain <host>');
      const change = command === 'add-domain' ? { add: values.domain } : { remove: values.domain };
      const domains = await updateOrgDomains(await connect(values), values.org!, change);
      print(
        { orgId: values.org, domains },
        `Org ${values.org} now counts pages on ${domains.join(', ') || 'any host'} (within ${keyCache.ttlMs / 1000} s, as the key cache renews).`,
      );
      return;
    }
    case 'set': {
      const limit = values['daily-limit'];
      const retention = values.retention;
      if (!values.org || (!values.timezone && limit === undefined && retention === undefined))
        needsOrg(
          'set',
          ' --timezone <IANA zone, such as Europe/Berlin>, --daily-limit <views> or --retention <months>|keep',
        );
      if (retention !== undefined && retention.trim() !== 'keep' && !/^\d+$/.test(retention.trim()))
        throw new UsageError(
          `--retention must be a whole number of months (${orgRetention.minMonths} to ${orgRetention.maxMonths}) or keep; got "${retention}"`,
        );
      const deps = await connect(values);
      const lines: string[] = [];
      const changed: Record<string, unknown> = { orgId: values.org };
      if (values.timezone) {
        changed.timezone = await setOrgTimezone(deps, values.org!, values.timezone);
        lines.push(
          `Org ${values.org} now counts its days and months in ${changed.timezone} (within ${keyCache.ttlMs / 1000} s, as the key cache renews). Views counted before keep the days they were counted in.`,
        );
      }
      if (limit !== undefined) {
        if (!/^\d+$/.test(limit.trim()))
          throw new UsageError(
            `--daily-limit must be a whole number of views, such as 50000; got "${limit}"`,
          );
        changed.dailyLimit = await setOrgDailyLimit(deps, values.org!, Number(limit));
        lines.push(
          `Org ${values.org} now accepts ${Number(changed.dailyLimit).toLocaleString('en-US')} views a day (days of its time zone); past them POST /visits answers 429 until midnight. It applies within ${keyCache.ttlMs / 1000} s, as the key cache renews; views already accepted today count.`,
        );
      }
      if (retention !== undefined) {
        const months = retention.trim() === 'keep' ? undefined : Number(retention);
        changed.retentionMonths = (await setOrgRetention(deps, values.org!, months)) ?? null;
        lines.push(
          months === undefined
            ? `Org ${values.org} now keeps its history forever (days already removed do not come back).`
            : `Org ${values.org} now keeps ${months} months of history: the archiver removes older days (of its time zone) from the archive and the counters on its next runs (every ${archive.everyMinutes} minutes; a long history takes several).`,
        );
      }
      print(changed, lines.join('\n'));
      return;
    }
    case 'redrive': {
      await connect(values);
      const queues = await target!.queues();
      const moved = await redriveDeadLetters(queues);
      print(
        { redriven: moved, queueUrl: queues.queueUrl },
        moved === 0
          ? 'The dead-letter queue is empty: nothing to redrive.'
          : `${moved} visit(s) sent back from the dead-letter queue to be counted; any already counted is dropped by its event id. If they fail again they return to the dead-letter queue after ${queueSettings.maxReceiveCount} tries: look at the consumer's logs first.`,
      );
      return;
    }
    case 'rename': {
      if (!values.org || !values.name) needsOrg('rename', ' --name <new name>');
      await renameOrg(await connect(values), values.org!, values.name!);
      print({ orgId: values.org, name: values.name }, `Org ${values.org} renamed to ${values.name}.`);
      return;
    }
    case 'delete': {
      if (!values.org) needsOrg('delete');
      if (!values.yes)
        throw new UsageError(
          `delete removes org ${values.org} and all its keys for good (its counts stay); add --yes to confirm`,
        );
      const { keysDeleted } = await deleteOrg(await connect(values), values.org!);
      print(
        { orgId: values.org, deleted: true, keysDeleted },
        `Org ${values.org} and its ${keysDeleted} key(s) deleted; the keys stop working within ${keyCache.ttlMs / 1000} s.`,
      );
      return;
    }
    case 'import': {
      if (!values.org || !values.file) needsOrg('import', ' --file <path.csv>');
      const text = await readFile(values.file!, 'utf8').catch((error: Error) => {
        throw new UsageError(`--file ${values.file}: ${error.message}`);
      });
      let rows: ReturnType<typeof parseArchiveCsv>;
      try {
        rows = parseArchiveCsv(text);
      } catch (error) {
        if (error instanceof ImportFileError) throw new ImportRefusedError(values.file!, error);
        throw error;
      }
      const orgsDeps = await connect(values);
      const org = await getOrg(orgsDeps, values.org!);
      if (!org) throw new UsageError(`No org ${values.org}; see npm run org -- list`);
      let outcome: Awaited<ReturnType<typeof importRows>>;
      try {
        outcome = await importRows(await target!.dataDeps(), org, rows, Date.now(), (day, added) => {
          if (!values.json) console.error(`  ${day}: ${added} row(s) counted`);
        });
      } catch (error) {
        if (error instanceof ImportFileError) throw new ImportRefusedError(values.file!, error);
        throw error;
      }
      print(
        { orgId: org.orgId, rows: rows.length, ...outcome },
        `Imported ${values.file} into org ${org.orgId}: ${outcome.added} row(s) counted over ${outcome.days.length} day(s), ${outcome.duplicates} already there (same event id) left out.`,
      );
      return;
    }
    default:
      throw new UsageError(command ? `Unknown command ${command}` : 'No command given');
  }
}

main(process.argv.slice(2)).catch((error) => {
  console.error(
    error instanceof UsageError ? `${error.message}\n\n${usage}` : `org: ${(error as Error).message}`,
  );
  process.exit(1);
});
