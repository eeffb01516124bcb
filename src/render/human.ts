/**
 * The human plan and apply views, in Terraform's grammar so operators read them without learning
 * anything new: intro and legend, `# ADDR will be ...` headers, `resource "T" "N" { ... }` bodies,
 * drift note, output changes and the `Plan: X to add, Y to change, Z to destroy.` summary.
 * Attribute-level rendering lives in human-diff.ts.
 */
import type { Value } from '../config/values.js';
import { isObject, isUnknown } from '../config/values.js';
import type { ApplyEvent } from '../plan/engine-types.js';
import type { ChangeAction, OutputChange, Plan, ResourceChange, ResourceDrift } from '../plan/model.js';
import type { OutputState, ResourceState } from '../state/model.js';
import {
  paintSymbol,
  primitive,
  renderAttributeBody,
  renderPlainBody,
  type DiffContext,
} from './human-diff.js';
import { restartSentence, restartSummaryLines } from './restarts.js';
import { createStyle, type Style } from './style.js';

export interface HumanRenderOptions {
  color: boolean;
  /** Hide unchanged attributes entirely (no identifying attributes, no "hidden" counts). */
  compact?: boolean;
}

const RULE = '─'.repeat(77);

export function renderPlanHuman(plan: Plan, options: HumanRenderOptions): string {
  const style = createStyle(options.color);
  const compact = options.compact ?? false;
  const sections: string[] = [];
  if (plan.drift.length > 0) sections.push(renderDrift(plan.drift, style, compact));

  const changes = plan.changes.filter((c) => c.action !== 'no-op');
  const outputChanges = plan.outputs.filter((o) => o.action !== 'no-op');
  if (changes.length === 0) {
    sections.push(renderNoChanges(plan, outputChanges, style));
    const pending = restartSummaryLines(plan);
    if (pending.length > 0) sections.push(pending.join('\n'));
  } else {
    sections.push(
      [
        'phoenix used the selected providers to generate the following execution plan. Resource actions are',
        'indicated with the following symbols:',
        ...legend(changes, style),
        '',
        'phoenix will perform the following actions:',
        '',
        ...changes.flatMap((c) => [...renderResourceChange(c, style, compact), '']),
        style.bold(
          `Plan: ${plan.summary.add} to add, ${plan.summary.change} to change, ${plan.summary.destroy} to destroy.`,
        ),
        ...restartSummaryLines(plan),
      ].join('\n'),
    );
    if (outputChanges.length > 0) sections.push(renderOutputChanges(outputChanges, style));
  }
  for (const warning of plan.warnings) sections.push(`${style.bold(style.warning('Warning:'))} ${warning}`);
  return sections.join('\n\n') + '\n';
}

function renderNoChanges(plan: Plan, outputChanges: OutputChange[], style: Style): string {
  if (outputChanges.length > 0) {
    return [
      renderOutputChanges(outputChanges, style),
      '',
      'You can apply this plan to save these new output values to the phoenix state, without changing any',
      'real infrastructure.',
    ].join('\n');
  }
  if (plan.mode === 'destroy') {
    return [
      `${style.bold('No changes.')} No objects need to be destroyed.`,
      '',
      'Either you have not created any objects yet or the existing objects were already deleted outside of phoenix.',
    ].join('\n');
  }
  return [
    `${style.bold('No changes.')} Your infrastructure matches the configuration.`,
    '',
    'phoenix has compared your real infrastructure against your configuration and found no differences, so',
    'no changes are needed.',
  ].join('\n');
}

/** The legend lists only the symbols this plan uses, in Terraform's order. */
function legend(changes: ResourceChange[], style: Style): string[] {
  const used = new Set(changes.map(changeSymbol));
  const entries: [string, string][] = [
    ['+', 'create'],
    ['~', 'update in-place'],
    ['-', 'destroy'],
    ['-/+', 'destroy and then create replacement'],
    ['+/-', 'create replacement and then destroy'],
  ];
  return entries
    .filter(([sym]) => used.has(sym))
    .map(([sym, text]) => `${' '.repeat(3 - sym.length)}${paintSymbol(sym, style)} ${text}`);
}

function changeSymbol(change: ResourceChange): string {
  switch (change.action) {
    case 'create':
      return '+';
    case 'update':
      return '~';
    case 'delete':
      return '-';
    case 'replace':
      return change.replaceOrder === 'create-before-destroy' ? '+/-' : '-/+';
    default:
      return ' ';
  }
}

function changeHeader(change: ResourceChange): string[] {
  const address = change.address;
  switch (change.action) {
    case 'create':
      return [`# ${address} will be created`];
    case 'update':
      return [`# ${address} will be updated in-place`, ...(change.restart ? [`# ${restartSentence(change.restart)}`] : [])];
    case 'replace':
      if (change.reason === 'replace_triggered_by') return [`# ${address} will be replaced due to changes in replace_triggered_by (${change.triggeredBy})`];
      return [change.reason === 'replace_by_request' ? `# ${address} will be replaced, as requested` : `# ${address} must be replaced`];
    case 'delete':
      return [`# ${address} will be destroyed`, ...deleteReason(change)];
    default:
      return [`# ${address} has no changes`];
  }
}

function deleteReason(change: ResourceChange): string[] {
  if (change.reason === 'not_in_config') return [`# (because ${change.address} is not in configuration)`];
  if (change.reason === 'count_index') {
    return typeof change.index === 'number'
      ? [`# (because index [${change.index}] is out of range for count)`]
      : [`# (because key [${JSON.stringify(change.index)}] is not in for_each map)`];
  }
  return [];
}

function renderResourceChange(change: ResourceChange, style: Style, compact: boolean): string[] {
  const ctx: DiffContext = {
    style,
    compact,
    sensitivePaths: change.sensitivePaths,
    replacePaths: change.replacePaths,
    restartPaths: change.restartPaths,
  };
  // A replacement is shown as an update of the old object into the new one.
  const before = change.action === 'create' ? null : change.before;
  const after = change.action === 'delete' ? null : change.after;
  return [
    ...changeHeader(change).map((line) => `  ${style.bold(line)}`),
    resourceOpening(changeSymbol(change), change.type, change.name, style),
    ...renderAttributeBody(before, after, 4, [], ctx),
    '    }',
  ];
}

function resourceOpening(sym: string, type: string, name: string, style: Style): string {
  const painted = paintSymbol(sym, style);
  return `${' '.repeat(Math.max(0, 3 - sym.length))}${painted} resource ${JSON.stringify(type)} ${JSON.stringify(name)} {`;
}

function renderDrift(drift: ResourceDrift[], style: Style, compact: boolean): string {
  const blocks = drift.flatMap((d) => {
    const ctx: DiffContext = { style, compact, sensitivePaths: d.sensitivePaths, replacePaths: [], restartPaths: [] };
    const header = d.action === 'delete' ? `# ${d.address} has been deleted` : `# ${d.address} has changed`;
    return [
      `  ${style.bold(header)}`,
      resourceOpening(d.action === 'delete' ? '-' : '~', d.type, resourceName(d.address, d.type), style),
      ...renderAttributeBody(d.before, d.after, 4, [], ctx),
      '    }',
      '',
    ];
  });
  return [
    `${style.bold('Note: Objects have changed outside of phoenix')}`,
    '',
    'phoenix detected the following changes made outside of phoenix since the last "phoenix apply" which may',
    'have affected this plan:',
    '',
    ...blocks,
    '',
    'Unless you have made equivalent changes to your configuration, or ignored the relevant attributes using',
    'ignore_changes, the following plan may include actions to undo or respond to these changes.',
    '',
    RULE,
  ].join('\n');
}

function renderOutputChanges(outputs: OutputChange[], style: Style): string {
  const before: Record<string, Value> = {};
  const after: Record<string, Value> = {};
  for (const o of outputs) {
    if (o.action !== 'create') before[o.name] = o.before;
    if (o.action !== 'delete') after[o.name] = o.after;
  }
  const ctx: DiffContext = {
    style,
    compact: false,
    sensitivePaths: outputs.filter((o) => o.sensitive).map((o) => [o.name]),
    replacePaths: [],
    restartPaths: [],
  };
  return ['Changes to Outputs:', ...renderAttributeBody(before, after, 0, [], ctx)].join('\n');
}

function resourceName(address: string, type: string): string {
  return address.slice(type.length + 1).replace(/\[.*\]$/, '');
}

// ---- apply progress -------------------------------------------------------------------------------

const VERBS: Record<ChangeAction, { ing: string; noun: string }> = {
  create: { ing: 'Creating', noun: 'Creation' },
  update: { ing: 'Modifying', noun: 'Modifications' },
  replace: { ing: 'Replacing', noun: 'Replacement' },
  delete: { ing: 'Destroying', noun: 'Destruction' },
  'no-op': { ing: 'Checking', noun: 'Check' },
};

/** One or more lines for a live apply event (`lxc.web: Creation complete after 3s [id=pve/lxc/101]`). */
export function renderApplyEvent(event: ApplyEvent, options: { color: boolean }): string {
  const style = createStyle(options.color);
  const who = style.bold(`${event.address}:`);
  switch (event.type) {
    case 'apply_start':
      return `${who} ${VERBS[event.action].ing}...`;
    case 'apply_progress':
      return event.message
        ? `${who} ${event.message}`
        : `${who} Still ${VERBS[event.action].ing.toLowerCase()}... [${formatElapsed(event.elapsedMs)} elapsed]`;
    case 'apply_complete':
      return `${who} ${VERBS[event.action].noun} complete after ${formatElapsed(event.elapsedMs)}${event.id ? ` [id=${event.id}]` : ''}`;
    case 'apply_errored':
      return [
        `${who} ${VERBS[event.action].noun} errored after ${formatElapsed(event.elapsedMs)}`,
        ...event.error.trimEnd().split('\n').map((line, i) => (i === 0 ? `${style.bold(style.error('Error:'))} ${line}` : `  ${line}`)),
      ].join('\n');
    case 'skipped':
      // The engine names the failed dependency; a bare address reads as "because ADDR failed".
      return `${who} Skipped because ${/\s/.test(event.because) ? event.because : `${event.because} failed`}`;
    case 'health_check': {
      const verdict = event.ok ? style.create('passed') : style.error('failed');
      const attempts = `${event.attempts} attempt${event.attempts === 1 ? '' : 's'}`;
      const output = event.ok || !event.output.trim() ? '' : `\n${indent(event.output.trimEnd(), 2)}`;
      return `${who} Health check "${event.name}" ${verdict} (${attempts})${output}`;
    }
  }
}

/** Terraform's elapsed format: `3s`, `1m30s`, `1h2m0s`. */
export function formatElapsed(ms: number): string {
  const total = Math.floor(ms / 1000);
  const hours = Math.floor(total / 3600);
  const minutes = Math.floor((total % 3600) / 60);
  const seconds = total % 60;
  if (hours > 0) return `${hours}h${minutes}m${seconds}s`;
  if (minutes > 0) return `${minutes}m${seconds}s`;
  return `${seconds}s`;
}

function indent(text: string, by: number): string {
  return text
    .split('\n')
    .map((line) => ' '.repeat(by) + line)
    .join('\n');
}

// ---- state views (show, state show, outputs) -------------------------------------------------------

/** `# lxc.web:` and the resource block with its recorded attributes, as `phoenix show` prints them. */
export function renderResourceState(resource: ResourceState, options: { color: boolean }): string {
  const style = createStyle(options.color);
  const ctx: DiffContext = {
    style,
    compact: false,
    sensitivePaths: resource.sensitive_attributes,
    replacePaths: [],
    restartPaths: [],
  };
  return [
    style.bold(`# ${resource.address}:`),
    `resource ${JSON.stringify(resource.type)} ${JSON.stringify(resource.name)} {`,
    ...renderPlainBody(resource.attributes, 0, ctx),
    '}',
  ].join('\n');
}

/** Terraform's `Outputs:` listing: `name = value`, sensitive values as `<sensitive>`. */
export function renderOutputValues(outputs: Record<string, OutputState>): string {
  const names = Object.keys(outputs).sort();
  return names
    .map((name) => `${name} = ${outputs[name]!.sensitive ? '<sensitive>' : renderValueHcl(outputs[name]!.value, 0)}`)
    .join('\n');
}

/** A value in HCL syntax with two-space indentation (the `output` command's format). */
export function renderValueHcl(value: Value, depth: number): string {
  const inner = '  '.repeat(depth + 1);
  const outer = '  '.repeat(depth);
  if (isUnknown(value)) return '(known after apply)';
  if (Array.isArray(value)) {
    if (value.length === 0) return '[]';
    return `[\n${value.map((v) => `${inner}${renderValueHcl(v, depth + 1)},`).join('\n')}\n${outer}]`;
  }
  if (isObject(value)) {
    const keys = Object.keys(value).sort();
    if (keys.length === 0) return '{}';
    const width = Math.max(...keys.map((k) => hclKey(k).length));
    const members = keys.map((k) => `${inner}${hclKey(k).padEnd(width)} = ${renderValueHcl(value[k]!, depth + 1)}`);
    return `{\n${members.join('\n')}\n${outer}}`;
  }
  if (typeof value === 'string' && value.includes('\n')) {
    const body = value.replace(/\n$/, '').split('\n').map((line) => `${inner}${line}`);
    return `<<EOT\n${body.join('\n')}\n${outer}EOT`;
  }
  return primitive(value);
}

function hclKey(key: string): string {
  return /^[A-Za-z_][\w-]*$/.test(key) ? key : JSON.stringify(key);
}

