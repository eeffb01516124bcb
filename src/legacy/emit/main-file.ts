/**
 * main.hcl: the node, every variable the other files use (shared network values, scripts, templates,
 * NVIDIA defaults, sensitive variables for secrets) and the host-level legacy settings as comments.
 */
import { describeLocation } from '../json-path.js';
import { attr, blank, block, comment, raw, type HclItem } from '../hcl-writer.js';
import { unmodelledComment } from './comments.js';
import type { EmitContext, VariableSpec } from './context.js';

const SHARED_VARIABLES = { bridge: 'Linux bridge', gateway: 'Default gateway', nameserver: 'DNS servers' } as const;

/** Values (bridge, gateway, nameserver) used by two or more guests become variables. */
export function declareSharedValues(ctx: EmitContext): void {
  for (const kind of Object.keys(SHARED_VARIABLES) as (keyof typeof SHARED_VARIABLES)[]) {
    const counts = new Map<string, number>();
    for (const guest of ctx.estate.guests) {
      const n = guest.network;
      const value = kind === 'bridge' ? n?.bridge : kind === 'gateway' ? n?.gw : n?.nameserver;
      if (value !== undefined) counts.set(value, (counts.get(value) ?? 0) + 1);
    }
    const repeated = [...counts].filter(([, count]) => count >= 2).sort((a, b) => b[1] - a[1]);
    repeated.forEach(([value, count], i) => {
      const name = i === 0 ? kind : ctx.allocate('variable', `${kind}_${value}`, kind, i);
      ctx.shared[kind].set(value, name);
      ctx.declare({ name, type: 'string', default: value, description: `${SHARED_VARIABLES[kind]} of ${count} guests.` });
    });
  }
}

export function mainFile(ctx: EmitContext): HclItem[] {
  // Rendered first: secrets inside these comments register their sensitive variables.
  const hostComments = unmodelledComment(ctx.estate.unmodelled, ctx.secrets, hostSettingsOrigin(ctx));
  const items: HclItem[] = [
    comment(
      'Converted from the legacy Phoenix Hypervisor configuration by `phoenix convert --from-legacy`.',
      'Review the comments marked "Legacy fields phoenix does not model" before the first apply.',
    ),
    blank,
    block('node', [ctx.options.nodeName], [attr('connection', raw('var.connection'))]),
    blank,
    variableBlock({ name: 'connection', type: 'string', default: ctx.options.connection, description: 'How phoenix reaches the node: "simulator", "local" (on the node itself) or "ssh://root@HOST".' }),
  ];
  for (const variable of ctx.variables.values()) items.push(blank, variableBlock(variable));
  for (const secret of ctx.secrets.variables) {
    items.push(
      blank,
      variableBlock({
        name: secret.name,
        type: 'string',
        default: null,
        sensitive: true,
        description: `Secret from ${describeLocation(secret.location)}; set it with PHOENIX_VAR_${secret.name}, never in a file.`,
      }),
    );
  }
  if (hostComments.length > 0) items.push(blank, ...hostComments);
  return items;
}

/** The files the host-level settings came from (each key is top-level in one of them). */
function hostSettingsOrigin(ctx: EmitContext): string {
  const files = [...new Set(ctx.estate.unmodelled.map((f) => f.location.file))];
  return `top-level settings of ${files.join(', ')}; host setup phoenix does not manage`;
}

function variableBlock(v: VariableSpec): HclItem {
  return block('variable', [v.name], [
    attr('type', raw(v.type)),
    ...(v.default !== undefined ? [attr('default', v.default)] : []),
    attr('description', v.description),
    ...(v.sensitive ? [attr('sensitive', true)] : []),
  ]);
}
