/**
 * Proxmox nodes of a working directory: each `node "NAME" { ... }` block evaluated into NodeSettings and
 * turned into a NodeHandle. Without any node block, phoenix works against one simulated node "pve"
 * stored in `.phoenix-sim`, so a fresh checkout can plan and apply without a Proxmox host.
 */
import { attributes, type Attribute } from '../config/ast.js';
import { didYouMean, error, type Diagnostic } from '../config/diagnostics.js';
import type { Config, NodeDecl } from '../config/model.js';
import { isObject, type Value } from '../config/values.js';
import { evaluate } from '../config/eval/index.js';
import type { EvalScope } from '../config/eval/scope.js';
import { createNode, type NodeSettings } from '../exec/node.js';
import type { NodeHandle } from '../resources/provider.js';
import { parseDuration } from './args.js';

export const IMPLICIT_NODE: NodeSettings = { name: 'pve', connection: 'simulator' };

type Setter = (settings: NodeSettings, value: Value) => string | undefined;

const positiveInt =
  (assign: (s: NodeSettings, n: number) => void): Setter =>
  (s, v) => {
    if (typeof v !== 'number' || !Number.isInteger(v) || v < 0) return 'must be a non-negative whole number';
    assign(s, v);
    return undefined;
  };

const text =
  (assign: (s: NodeSettings, t: string) => void): Setter =>
  (s, v) => {
    if (typeof v !== 'string' || v === '') return 'must be a non-empty string';
    assign(s, v);
    return undefined;
  };

/** Node block arguments and how each lands in NodeSettings. */
const NODE_ARGUMENTS: Record<string, Setter> = {
  connection: text((s, t) => (s.connection = t)),
  max_parallel: positiveInt((s, n) => (s.maxParallel = n)),
  storage_parallel: positiveInt((s, n) => (s.storageParallel = n)),
  retry_attempts: positiveInt((s, n) => (s.retryAttempts = n)),
  operation_timeout: (s, v) => {
    // "10m" like -lock-timeout, or a plain number of seconds.
    const ms = typeof v === 'number' ? v * 1000 : typeof v === 'string' ? parseDuration(v) : undefined;
    if (ms === undefined || ms < 0) return 'must be a duration such as "90s" or "10m"';
    s.operationTimeoutMs = ms;
    return undefined;
  },
  simulator_dir: text((s, t) => (s.simulatorDir = t)),
  pve_root: (s, v) => {
    if (typeof v !== 'string') return 'must be a string';
    s.pveRoot = v;
    return undefined;
  },
  ssh_identity_file: text((s, t) => (s.sshIdentityFile = t)),
  ssh_known_hosts_file: text((s, t) => (s.sshKnownHostsFile = t)),
  ssh_env: (s, v) => {
    if (!isObject(v) || !Object.values(v).every((x) => typeof x === 'string')) return 'must be a map of strings';
    s.sshEnv = v as Record<string, string>;
    return undefined;
  },
};

export function nodeSettingsFromConfig(
  config: Config,
  scope: EvalScope,
): { settings: NodeSettings[]; implicit: boolean; diagnostics: Diagnostic[] } {
  if (config.nodes.size === 0) return { settings: [IMPLICIT_NODE], implicit: true, diagnostics: [] };
  const diagnostics: Diagnostic[] = [];
  const settings = [...config.nodes.values()].map((decl) => evaluateNode(decl, scope, diagnostics));
  return { settings, implicit: false, diagnostics };
}

function evaluateNode(decl: NodeDecl, scope: EvalScope, diagnostics: Diagnostic[]): NodeSettings {
  const settings: NodeSettings = { name: decl.name, connection: '' };
  const attrs = attributes(decl.body);
  for (const attribute of attrs) {
    const setter = NODE_ARGUMENTS[attribute.name];
    if (!setter) {
      diagnostics.push(unsupportedArgument(decl, attribute));
      continue;
    }
    const result = evaluate(attribute.expr, scope);
    diagnostics.push(...result.diagnostics);
    if (result.diagnostics.some((d) => d.severity === 'error')) continue;
    const problem = setter(settings, result.value);
    if (problem) {
      diagnostics.push(error(`Invalid value for "${attribute.name}"`, `In node "${decl.name}", ${attribute.name} ${problem}.`, attribute.expr.range));
    }
  }
  if (!attrs.some((a) => a.name === 'connection')) {
    diagnostics.push(
      error(
        'Missing required argument',
        `The node "${decl.name}" needs a connection: "local", "simulator" or "ssh://USER@HOST[:PORT]".`,
        decl.range,
      ),
    );
  }
  return settings;
}

function unsupportedArgument(decl: NodeDecl, attribute: Attribute): Diagnostic {
  const suggestion = didYouMean(attribute.name, Object.keys(NODE_ARGUMENTS));
  return error(
    'Unsupported argument',
    `An argument named "${attribute.name}" is not expected in node "${decl.name}".${suggestion ? ` Did you mean "${suggestion}"?` : ''}`,
    attribute.nameRange,
  );
}

export function createNodes(settings: NodeSettings[], baseDir: string): Map<string, NodeHandle> {
  return new Map(settings.map((s) => [s.name, createNode(s, baseDir)]));
}
