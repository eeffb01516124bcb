/** Which node an instance lives on, and the ProviderContext handed to provider calls. */
import type { Attrs } from '../config/values.js';
import type { NodeHandle, ProviderContext } from '../resources/provider.js';
import type { SensitiveTexts } from './redaction.js';

const NEVER_ABORTED = new AbortController().signal;

/** The instance's `node` attribute, or the only declared node; undefined when neither applies. */
export function nodeFor(attrs: Attrs, nodes: ReadonlyMap<string, NodeHandle>): NodeHandle | undefined {
  if (typeof attrs.node === 'string') return nodes.get(attrs.node);
  if (nodes.size === 1) return nodes.values().next().value;
  return undefined;
}

/**
 * With `sensitive`, the provider reaches its nodes through `guardNode` and its progress lines are
 * redacted: nothing a provider builds from a failed command can carry a sensitive value's text.
 */
export function providerContext(
  attrs: Attrs,
  nodes: ReadonlyMap<string, NodeHandle>,
  options: { signal?: AbortSignal; progress?: (message: string) => void; sensitive?: SensitiveTexts } = {},
): ProviderContext {
  const { sensitive } = options;
  const reachable = sensitive ? new Map([...nodes].map(([name, node]) => [name, sensitive.guardNode(node)])) : nodes;
  const progress = options.progress ?? (() => {});
  return {
    node: nodeFor(attrs, reachable),
    nodes: reachable,
    progress: sensitive ? (message) => progress(sensitive.redactText(message)) : progress,
    signal: options.signal ?? NEVER_ABORTED,
  };
}

/** Error text for a failed provider call: the message carries the host's stderr (CommandError). */
export function errorText(e: unknown): string {
  if (e instanceof Error) {
    const diagnostics = (e as { diagnostics?: { summary: string; detail?: string }[] }).diagnostics;
    if (Array.isArray(diagnostics)) return diagnostics.map((d) => [d.summary, d.detail].filter(Boolean).join(': ')).join('\n');
    return e.message;
  }
  return String(e);
}
