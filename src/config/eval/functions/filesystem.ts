/** file() and templatefile(): read through the scope's injected reader; templates are parsed once per content. */
import type { TemplateExpr } from '../../ast.js';
import type { Diagnostic } from '../../diagnostics.js';
import { parseTemplate } from '../../parser.js';
import type { Value } from '../../values.js';
import { FunctionError, p, type CallContext, type FunctionTable } from './types.js';

function read(path: string, call: CallContext): string | FunctionError {
  try {
    return call.scope.readFile(path);
  } catch (e) {
    return new FunctionError(`cannot read file "${path}": ${(e as Error).message}`, 0);
  }
}

const parsedTemplates = new Map<string, { expr?: TemplateExpr; diagnostics: Diagnostic[] }>();
const TEMPLATE_CACHE_LIMIT = 256;

function parseCached(source: string, path: string): { expr?: TemplateExpr; diagnostics: Diagnostic[] } {
  const key = `${path}\0${source}`;
  let parsed = parsedTemplates.get(key);
  if (!parsed) {
    if (parsedTemplates.size >= TEMPLATE_CACHE_LIMIT) parsedTemplates.clear();
    parsed = parseTemplate(source, path);
    parsedTemplates.set(key, parsed);
  }
  return parsed;
}

export const filesystemFunctions: FunctionTable = {
  file: {
    params: [p('path', 'string')],
    impl: ([path], call) => read(path as string, call),
  },
  templatefile: {
    params: [p('path', 'string'), p('vars', 'map', { allowUnknown: true })],
    impl([path, vars], call) {
      // A template including itself would never end; Terraform forbids nesting outright too.
      if (call.insideTemplate) return new FunctionError('templatefile() cannot be called from inside a template');
      const source = read(path as string, call);
      if (source instanceof FunctionError) return source;
      const parsed = parseCached(source, path as string);
      const problem = parsed.diagnostics.find((d) => d.severity === 'error');
      if (problem || !parsed.expr) {
        const where = problem?.range ? ` at ${problem.range.start.line}:${problem.range.start.col}` : '';
        return new FunctionError(`invalid template "${path}"${where}: ${problem?.summary ?? 'no template'}${problem?.detail ? `: ${problem.detail}` : ''}`, 0);
      }
      for (const name of Object.keys(vars as Record<string, Value>)) {
        if (!/^[A-Za-z_][\w-]*$/.test(name)) return new FunctionError(`invalid template variable name "${name}": must start with a letter or underscore`, 1);
      }
      return call.evaluateTemplate(parsed.expr, vars as Record<string, Value>);
    },
  },
};
