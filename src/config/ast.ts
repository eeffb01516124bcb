/**
 * The HCL native-syntax AST. Every node keeps its source range so diagnostics can point at it.
 * Produced by parser.ts, consumed by the evaluator, the config loader and the formatter.
 */

/** 1-based line and column (column counts Unicode code points), 0-based byte-independent string offset. */
export interface Pos {
  line: number;
  col: number;
  offset: number;
}

export interface Range {
  file: string;
  start: Pos;
  end: Pos;
}

export type BinaryOp = '+' | '-' | '*' | '/' | '%' | '==' | '!=' | '<' | '>' | '<=' | '>=' | '&&' | '||';

export type Expr =
  | LiteralExpr
  | TemplateExpr
  | TupleExpr
  | ObjectExpr
  | ScopeExpr
  | GetAttrExpr
  | IndexExpr
  | SplatExpr
  | SplatItemExpr
  | CallExpr
  | UnaryExpr
  | BinaryExpr
  | ConditionalExpr
  | ForExpr
  | ParenExpr;

export interface LiteralExpr {
  kind: 'literal';
  value: null | boolean | number | string;
  range: Range;
}

/** A quoted string or heredoc. A template of one interpolation and nothing else yields the raw value. */
export interface TemplateExpr {
  kind: 'template';
  parts: TemplatePart[];
  /** Set for heredocs: `<<EOT` (strip=false) or `<<-EOT` (strip=true, common indentation removed). */
  heredoc?: { marker: string; strip: boolean };
  range: Range;
}

export type TemplatePart =
  | { kind: 'literal'; value: string; range: Range }
  | { kind: 'interp'; expr: Expr; stripLeft: boolean; stripRight: boolean; range: Range }
  | { kind: 'if'; cond: Expr; then: TemplatePart[]; else?: TemplatePart[]; range: Range }
  | { kind: 'for'; keyVar?: string; valueVar: string; collection: Expr; body: TemplatePart[]; range: Range };

export interface TupleExpr {
  kind: 'tuple';
  items: Expr[];
  range: Range;
}

export interface ObjectItem {
  /** A bare identifier key is parsed as a literal string key with `bareKey: true`. */
  key: Expr;
  bareKey: boolean;
  /**
   * An unparenthesised `a.b` key: HCL refuses to guess whether it is a reference or a name with a dot
   * ("Ambiguous attribute key" when evaluated).
   */
  ambiguousKey?: boolean;
  value: Expr;
  range: Range;
}

export interface ObjectExpr {
  kind: 'object';
  items: ObjectItem[];
  range: Range;
}

/** A bare root identifier: `var`, `local`, `each`, `count`, `path`, a resource type, a for-variable. */
export interface ScopeExpr {
  kind: 'scope';
  name: string;
  range: Range;
}

export interface GetAttrExpr {
  kind: 'getattr';
  target: Expr;
  name: string;
  range: Range;
}

export interface IndexExpr {
  kind: 'index';
  target: Expr;
  key: Expr;
  range: Range;
}

/**
 * `target[*].a.b` (full) or `target.*.a` (attribute-only). `each` is the traversal applied to every
 * element, rooted at a SplatItemExpr.
 */
export interface SplatExpr {
  kind: 'splat';
  target: Expr;
  each: Expr;
  full: boolean;
  range: Range;
}

export interface SplatItemExpr {
  kind: 'splatItem';
  range: Range;
}

export interface CallExpr {
  kind: 'call';
  name: string;
  args: Expr[];
  /** `f(list...)`: the final argument is expanded into separate arguments. */
  expandFinal: boolean;
  nameRange: Range;
  range: Range;
}

export interface UnaryExpr {
  kind: 'unary';
  op: '-' | '!';
  operand: Expr;
  range: Range;
}

export interface BinaryExpr {
  kind: 'binary';
  op: BinaryOp;
  left: Expr;
  right: Expr;
  range: Range;
}

export interface ConditionalExpr {
  kind: 'conditional';
  cond: Expr;
  then: Expr;
  else: Expr;
  range: Range;
}

/** `[for k, v in coll : expr if cond]` or `{for k, v in coll : keyExpr => valueExpr... if cond}`. */
export interface ForExpr {
  kind: 'for';
  keyVar?: string;
  valueVar: string;
  collection: Expr;
  keyExpr?: Expr;
  valueExpr: Expr;
  cond?: Expr;
  /** `...` after the value expression in an object for: values with the same key are grouped into lists. */
  group: boolean;
  isObject: boolean;
  range: Range;
}

export interface ParenExpr {
  kind: 'paren';
  expr: Expr;
  range: Range;
}

export interface Attribute {
  kind: 'attribute';
  name: string;
  nameRange: Range;
  expr: Expr;
  range: Range;
}

export interface Block {
  kind: 'block';
  type: string;
  typeRange: Range;
  labels: string[];
  labelRanges: Range[];
  body: Body;
  range: Range;
}

export interface Body {
  /** Attributes and blocks in source order. */
  items: (Attribute | Block)[];
  range: Range;
}

export interface HclFile {
  filename: string;
  source: string;
  body: Body;
}

export function attributes(body: Body): Attribute[] {
  return body.items.filter((i): i is Attribute => i.kind === 'attribute');
}

export function blocks(body: Body, type?: string): Block[] {
  return body.items.filter((i): i is Block => i.kind === 'block' && (type === undefined || i.type === type));
}
