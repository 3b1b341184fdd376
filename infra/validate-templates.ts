/**
 * `npm run validate:templates -- <template.json>...`: validates synthesized CloudFormation
 * templates with AWS's CloudFormation validator (`@aws/cloudformation-validate`: cfn-lint's rules
 * and the resource provider schemas, offline, in WebAssembly; the engine aws-cdk-lib's own
 * "CloudFormation Validate" synth plugin uses). Every rule at WARN and above: any error, or a
 * warning not explained in `explainedWarnings`, fails the run. CI (.ci/run) runs it on both
 * targets' templates.
 */
import { RegoEngine, type StandardDiagnostic, TemplateFile, version } from '@aws/cloudformation-validate';

/** Warnings that stay, each with why; matched by rule and, when given, by logical id prefix. */
export const explainedWarnings: { ruleId: string; logicalIdPrefix?: string; reason: string }[] = [
  {
    ruleId: 'W3005',
    reason:
      "aws-cdk-lib's Function writes DependsOn on its role and on the role's policy; the role entry repeats the GetAtt on Role. Harmless (aws-cdk-lib's own validation plugin ignores W3005 for this reason).",
  },
  {
    ruleId: 'W3045',
    logicalIdPrefix: 'HostingAccessLogs',
    reason:
      'CloudFront standard logs are delivered with ACLs, so their bucket needs AccessControl LogDeliveryWrite (aws-cdk-lib acknowledges the same finding on it); no other bucket uses ACLs.',
  },
];

export interface TemplateVerdict {
  template: string;
  rulesEvaluated: number;
  resources: number;
  errors: StandardDiagnostic[];
  explained: { diagnostic: StandardDiagnostic; reason: string }[];
  unexplained: StandardDiagnostic[];
}

// One engine for every template of a run: making one takes seconds (its rules are compiled).
let sharedEngine: InstanceType<typeof RegoEngine> | undefined;

export function validateTemplate(template: string): TemplateVerdict {
  sharedEngine ??= new RegoEngine();
  const engine = sharedEngine;
  const report = engine.validateStandard(new TemplateFile(template), { severityLevel: 'WARN' });
  const verdict: TemplateVerdict = {
    template,
    rulesEvaluated: report.metadata.rulesEvaluated,
    resources: report.metadata.resourcesScanned,
    errors: [],
    explained: [],
    unexplained: [],
  };
  for (const diagnostic of report.diagnostics) {
    if (diagnostic.severity !== 'WARN') {
      verdict.errors.push(diagnostic);
      continue;
    }
    const explanation = explainedWarnings.find(
      (w) =>
        w.ruleId === diagnostic.ruleId &&
        (!w.logicalIdPrefix || diagnostic.entity?.logicalId?.startsWith(w.logicalIdPrefix)),
    );
    if (explanation) verdict.explained.push({ diagnostic, reason: explanation.reason });
    else verdict.unexplained.push(diagnostic);
  }
  return verdict;
}

const describe = (d: StandardDiagnostic) =>
  `${d.severity} ${d.ruleId} ${d.entity?.logicalId ?? ''} ${d.propertyPath ?? ''}: ${d.message}`;

if (import.meta.url === `file://${process.argv[1]}`) {
  const templates = process.argv.slice(2);
  if (templates.length === 0) {
    console.error('Usage: npm run validate:templates -- <template.json>...');
    process.exit(2);
  }
  let failed = false;
  for (const template of templates) {
    const v = validateTemplate(template);
    console.log(
      `${v.template}: @aws/cloudformation-validate ${version()}, ${v.rulesEvaluated} rules on ${v.resources} resources: ` +
        `${v.errors.length} errors, ${v.explained.length + v.unexplained.length} warnings (${v.explained.length} explained, ${v.unexplained.length} not)`,
    );
    for (const d of v.errors) console.log(`  ${describe(d)}`);
    for (const d of v.unexplained) console.log(`  ${describe(d)}  <- not explained`);
    const byRule = new Map<string, { count: number; reason: string }>();
    for (const { diagnostic, reason } of v.explained)
      byRule.set(diagnostic.ruleId, { count: (byRule.get(diagnostic.ruleId)?.count ?? 0) + 1, reason });
    for (const [rule, { count, reason }] of byRule) console.log(`  ${rule} x${count}, explained: ${reason}`);
    failed ||= v.errors.length > 0 || v.unexplained.length > 0;
  }
  process.exit(failed ? 1 : 0);
}
