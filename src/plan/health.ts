/** Health checks (provider.check) for a set of objects: after apply, and for `phoenix check`. */
import { error, type Diagnostic } from '../config/diagnostics.js';
import type { Attrs } from '../config/values.js';
import type { HealthResult, NodeHandle } from '../resources/provider.js';
import type { ProviderRegistry } from '../resources/registry.js';
import { mapLimit } from './pool.js';
import { errorText, providerContext } from './provider-context.js';
import type { SensitiveTexts } from './redaction.js';

export interface HealthTarget {
  address: string;
  type: string;
  attrs: Attrs;
}

export interface HealthCheckResult extends HealthResult {
  address: string;
}

export interface HealthReport {
  results: HealthCheckResult[];
  diagnostics: Diagnostic[];
}

export async function checkHealth(
  targets: readonly HealthTarget[],
  options: {
    registry: ProviderRegistry;
    nodes: ReadonlyMap<string, NodeHandle>;
    parallelism: number;
    /** Redacts check output: a check may print a value that is sensitive. */
    sensitive?: SensitiveTexts;
    onResult?(r: HealthCheckResult): void;
  },
): Promise<HealthReport> {
  const diagnostics: Diagnostic[] = [];
  const checkable = targets.filter((t) => options.registry.get(t.type)?.check);
  const perTarget = await mapLimit(checkable, Math.max(1, options.parallelism), async (target) => {
    const provider = options.registry.get(target.type)!;
    let results: HealthResult[];
    try {
      results = await provider.check!(providerContext(target.attrs, options.nodes, { sensitive: options.sensitive }), target.attrs);
    } catch (e) {
      results = [{ name: 'check', ok: false, attempts: 1, output: errorText(e) }];
    }
    return results.map((r) => ({ ...r, output: options.sensitive?.redactText(r.output) ?? r.output, address: target.address }));
  });
  const results = perTarget.flat();
  for (const result of results) {
    options.onResult?.(result);
    if (!result.ok) {
      diagnostics.push({
        ...error(
          `Health check "${result.name}" failed for ${result.address}`,
          `After ${result.attempts} attempt(s): ${result.output.trim() || '(no output)'}`,
        ),
        subject: result.address,
      });
    }
  }
  return { results, diagnostics };
}
