/**
 * Converts our AST into the JSON shape produced by the oracle (HashiCorp's parser via @cdktn/hcl2json):
 * literal values stay values, anything needing evaluation becomes "${source text}", templates are
 * re-rendered with their literal parts escaped, and blocks nest by type then labels into arrays.
 */
import type { Body, Expr, Range, TemplateExpr, TemplatePart } from '../../src/config/ast.js';

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

export function toOracleShape(body: Body, source: string): Record<string, Json> {
  return new Converter(source).body(body);
}

class Converter {
  constructor(private readonly source: string) {}

  body(body: Body): Record<string, Json> {
    const out: Record<string, Json> = {};
    for (const item of body.items) {
      if (item.kind === 'attribute') {
        out[item.name] = this.expr(item.expr);
        continue;
      }
      // Blocks nest by type, then each label; the innermost level is a list of bodies.
      const path = [item.type, ...item.labels];
      let container: Record<string, Json> = out;
      for (const key of path.slice(0, -1)) {
        container[key] ??= {};
        container = container[key] as Record<string, Json>;
      }
      const leaf = path[path.length - 1]!;
      container[leaf] ??= [];
      (container[leaf] as Json[]).push(this.body(item.body));
    }
    return out;
  }

  private text(range: Range): string {
    return this.source.slice(range.start.offset, range.end.offset);
  }

  private wrap(expr: Expr): string {
    return '${' + this.text(expr.range) + '}';
  }

  expr(expr: Expr): Json {
    switch (expr.kind) {
      case 'literal':
        return expr.value;
      case 'unary':
        if (expr.operand.kind === 'literal') {
          return expr.op === '-' ? -(expr.operand.value as number) : !expr.operand.value;
        }
        return this.wrap(expr);
      case 'template':
        return this.template(expr);
      case 'tuple':
        return expr.items.map((item) => this.expr(item));
      case 'object': {
        const out: Record<string, Json> = {};
        for (const item of expr.items) out[this.key(item.key, item.bareKey)] = this.expr(item.value);
        return out;
      }
      default:
        return this.wrap(expr);
    }
  }

  private key(key: Expr, bare: boolean): string {
    if (bare && key.kind === 'literal') return String(key.value);
    if (key.kind === 'paren') return this.wrap(key);
    if (key.kind === 'scope' || key.kind === 'getattr') return this.text(key.range);
    return this.stringPart(key);
  }

  private template(t: TemplateExpr): Json {
    const only = t.parts[0];
    // A quoted "${x}" alone is unwrapped to x itself (HCL's TemplateWrapExpr).
    if (!t.heredoc && t.parts.length === 1 && only?.kind === 'interp') return this.expr(only.expr);
    return this.parts(t.parts);
  }

  private parts(parts: TemplatePart[]): string {
    return parts.map((part) => this.part(part)).join('');
  }

  private part(part: TemplatePart): string {
    switch (part.kind) {
      case 'literal':
        return escapeTemplate(part.value);
      case 'interp':
        return this.stringPart(part.expr);
      case 'if': {
        const otherwise = part.else ? this.parts(part.else) : '';
        return `%{if ${this.text(part.cond.range)}}${this.parts(part.then)}${otherwise ? `%{else}${otherwise}` : ''}%{endif}`;
      }
      case 'for': {
        const vars = part.keyVar ? `${part.keyVar}, ${part.valueVar}` : part.valueVar;
        return `%{for ${vars} in ${this.text(part.collection.range)}}${this.parts(part.body)}%{endfor}`;
      }
    }
  }

  /** An expression embedded in a template (the oracle's convertStringPart). */
  private stringPart(expr: Expr): string {
    switch (expr.kind) {
      case 'literal':
        return expr.value === null ? 'null' : String(expr.value);
      case 'template':
        return this.parts(expr.parts);
      case 'conditional': {
        const otherwise = this.stringPart(expr.else);
        return `%{if ${this.text(expr.cond.range)}}${this.stringPart(expr.then)}${otherwise ? `%{else}${otherwise}` : ''}%{endif}`;
      }
      default:
        return this.wrap(expr);
    }
  }
}

/** The oracle re-escapes literal template text so its output is itself a valid template. */
function escapeTemplate(value: string): string {
  return value.replaceAll('${', () => '$${').replaceAll('%{', () => '%%{');
}
