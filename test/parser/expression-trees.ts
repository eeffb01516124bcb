/**
 * Both parsers' expression trees in one canonical text form, so they can be compared: ours (ast.ts) and
 * HashiCorp's hclsyntax tree as @cdktn/hcl2json's getExpressionAst exposes it. What is compared: node
 * kinds and nesting (precedence, associativity), operators, traversal steps (attribute names, literal
 * index keys), splat sources and per-element traversals, call names/arguments/expansion, for-expression
 * variables and parts, conditionals, template structure and the source text of template literals,
 * number/bool/null literals. Not compared: source ranges, decoded string values (the oracle gives
 * template literals only as source text; decoded values are checked by differential.test.ts), and
 * whitespace at the ends of literal text (see withoutIndentation).
 */
import type { TFExpressionSyntaxTree } from '@cdktn/hcl2json';
import type { Expr, TemplateExpr, TemplatePart } from '../../src/config/ast.js';

type OracleNode = TFExpressionSyntaxTree.ExpressionType | { type: ''; children: OracleNode[]; meta?: undefined };

const OPERATORS: Record<string, string> = {
  '+': 'add', '-': 'subtract', '*': 'multiply', '/': 'divide', '%': 'modulo', '==': 'equal', '!=': 'notEqual',
  '<': 'lessThan', '>': 'greaterThan', '<=': 'lessThanOrEqual', '>=': 'greaterThanOrEqual', '&&': 'logicalAnd', '||': 'logicalOr',
};

/**
 * Literal text without line indentation and without whitespace at its ends: hclsyntax's literal
 * ranges in `<<-` heredocs start after the stripped indentation of the first line only (ours cover whole
 * lines), and its ranges keep whitespace that `~` strip markers remove (ours drop a part left empty).
 */
function withoutIndentation(text: string): string {
  return text.replace(/(^|\n)[ \t]+/g, '$1').trim();
}

/** Our tree, in the canonical form. `source` is the text the expression was parsed from. */
export function ourTree(expr: Expr, source: string): string {
  const text = (e: { range: { start: { offset: number }; end: { offset: number } } }) => source.slice(e.range.start.offset, e.range.end.offset);
  const literalKey = (key: Expr): string | undefined => {
    if (key.kind === 'literal') return JSON.stringify(key.value);
    if (key.kind === 'template' && !key.heredoc && key.parts.every((p) => p.kind === 'literal')) return JSON.stringify(key.parts.map((p) => (p.kind === 'literal' ? p.value : '')).join(''));
    return undefined;
  };
  const tree = (e: Expr): string => {
    switch (e.kind) {
      case 'literal':
        return `lit(${JSON.stringify(e.value)})`;
      case 'scope':
      case 'getattr':
      case 'index': {
        // Attribute steps and literal-key indexes form one traversal, as hclsyntax builds them.
        const steps: string[] = [];
        let at: Expr = e;
        for (;;) {
          if (at.kind === 'getattr') steps.unshift(`.${at.name}`);
          else if (at.kind === 'index' && literalKey(at.key) !== undefined) steps.unshift(`[${literalKey(at.key)}]`);
          else break;
          at = at.target;
        }
        if (at.kind === 'index') {
          const base = `index(${tree(at.target)}, ${tree(at.key)})`;
          return steps.length ? `trav(${base}; ${steps.join('')})` : base;
        }
        if (at.kind === 'scope') return `trav(${at.name}; ${steps.join('')})`;
        return `trav(${tree(at)}; ${steps.join('')})`;
      }
      case 'splatItem':
        return 'anon';
      case 'splat':
        return `splat(${tree(e.target)}, ${tree(e.each)})`;
      case 'paren':
        return `paren(${tree(e.expr)})`;
      case 'unary':
        return `${e.op === '-' ? 'negate' : 'logicalNot'}(${tree(e.operand)})`;
      case 'binary':
        return `${OPERATORS[e.op]}(${tree(e.left)}, ${tree(e.right)})`;
      case 'conditional':
        return `cond(${tree(e.cond)}, ${tree(e.then)}, ${tree(e.else)})`;
      case 'call':
        return `call ${e.name}(${e.args.map(tree).join(', ')}${e.expandFinal ? '...' : ''})`;
      case 'tuple':
        return `tuple(${e.items.map(tree).join(', ')})`;
      case 'object':
        return `object(${e.items.map((i) => `${i.bareKey ? 'anon' : tree(i.key)} = ${tree(i.value)}`).join(', ')})`;
      case 'for':
        return `for ${e.keyVar ?? ''},${e.valueVar}${e.group ? '...' : ''}(${[e.collection, e.keyExpr, e.valueExpr, e.cond].filter((x) => x).map((x) => tree(x!)).join(', ')})`;
      case 'template':
        return template(e);
    }
  };
  const template = (e: TemplateExpr): string => {
    if (!e.heredoc && e.parts.length === 1 && e.parts[0]!.kind === 'interp') return `wrap(${tree(e.parts[0].expr)})`;
    return `template(${parts(e.parts)})`;
  };
  const parts = (list: readonly TemplatePart[]): string => {
    const out: string[] = [];
    let literal = '';
    const flush = () => {
      if (withoutIndentation(literal)) out.push(`str(${JSON.stringify(withoutIndentation(literal))})`);
      literal = '';
    };
    for (const p of list) {
      if (p.kind === 'literal') {
        literal += text(p);
        continue;
      }
      flush();
      if (p.kind === 'interp') out.push(tree(p.expr));
      else if (p.kind === 'if') out.push(`cond(${tree(p.cond)}, template(${parts(p.then)}), template(${parts(p.else ?? [])}))`);
      else out.push(`for ${p.keyVar ?? ''},${p.valueVar}(${tree(p.collection)}, template(${parts(p.body)}))`);
    }
    flush();
    return out.join(', ');
  };
  return tree(expr);
}

/** The oracle's tree, in the same canonical form. */
export function oracleTree(root: OracleNode): string {
  const tree = (n: OracleNode): string => {
    const c = n.children as OracleNode[];
    switch (n.type) {
      case '':
        return c.length === 0 ? 'anon' : `paren(${tree(c[0]!)})`;
      case 'literalValue': {
        const { type, value } = n.meta;
        return `lit(${type === 'number' ? JSON.stringify(Number(value)) : type === 'dynamic' ? 'null' : value})`;
      }
      case 'scopeTraversal':
        return `trav(${n.meta.traversal[0]!.segment}; ${steps(n.meta.traversal.slice(1))})`;
      case 'relativeTraversal':
        return `trav(${tree(c[0]!)}; ${steps(n.meta.traversal)})`;
      case 'index':
        return `index(${tree(c[0]!)}, ${tree(c[1]!)})`;
      case 'splat':
        return `splat(${tree(c[0]!)}, ${tree(c[1]!)})`;
      case 'unaryOp':
        return `${n.meta.operator}(${tree(c[0]!)})`;
      case 'binaryOp':
        return `${n.meta.operator}(${tree(c[0]!)}, ${tree(c[1]!)})`;
      case 'conditional':
        return `cond(${c.map(tree).join(', ')})`;
      case 'function':
        return `call ${n.meta.name}(${c.map(tree).join(', ')}${n.meta.expandedFinalArgument ? '...' : ''})`;
      case 'tuple':
        return `tuple(${c.map(tree).join(', ')})`;
      case 'object': {
        const items: string[] = [];
        for (let i = 0; i < c.length; i += 2) {
          const key = c[i]!;
          items.push(`${key.children.length === 0 ? 'anon' : tree(key.children[0] as OracleNode)} = ${tree(c[i + 1]!)}`);
        }
        return `object(${items.join(', ')})`;
      }
      case 'for':
        return `for ${n.meta.keyVar},${n.meta.valVar}${n.meta.groupedValue ? '...' : ''}(${c.map(tree).join(', ')})`;
      case 'templateWrap':
        return `wrap(${tree(c[0]!)})`;
      case 'template':
        return `template(${templateParts(c)})`;
      case 'templateJoin':
        return tree(c[0]!);
      default:
        return `unknown-${n.type}`;
    }
  };
  const steps = (list: TFExpressionSyntaxTree.TerraformTraversalPart[]): string =>
    list.map((s) => (s.type === 'nameTraversal' ? `.${s.segment}` : `[${indexKey(s.segment)}]`)).join('');
  const indexKey = (segment: string): string => (segment.startsWith('"') ? JSON.stringify(JSON.parse(segment)) : JSON.stringify(Number(segment)));
  const templateParts = (list: OracleNode[]): string => {
    const out: string[] = [];
    let literal = '';
    for (const p of list) {
      if (p.type === 'literalValue' && p.meta.type === 'string') {
        literal += p.meta.value;
        continue;
      }
      if (withoutIndentation(literal)) out.push(`str(${JSON.stringify(withoutIndentation(literal))})`);
      literal = '';
      out.push(tree(p));
    }
    if (withoutIndentation(literal)) out.push(`str(${JSON.stringify(withoutIndentation(literal))})`);
    return out.join(', ');
  };
  return tree(root);
}
