// The project's own Python AST. Node kinds and field names follow CPython's `ast` module
// (https://docs.python.org/3/library/ast.html) so that anyone who knows Python's AST can read
// the evaluator. Every node carries a source range; tree-sitter nodes never leave `syntax/`.

/** Zero-based line and UTF-16 column, like LSP positions; `line` is 0-based here, +1 for Python's lineno. */
export interface Position { line: number; column: number }
export interface Range { start: Position; end: Position }

interface NodeBase { range: Range }

// ---------------------------------------------------------------- expressions

export type Expr =
  | BoolOp | NamedExpr | BinOp | UnaryOp | Lambda | IfExp | Dict | SetExpr | ListComp | SetComp
  | DictComp | GeneratorExp | Await | Yield | Compare | Call | JoinedStr | FormattedValue
  | Constant | Attribute | Subscript | Starred | Name | ListExpr | TupleExpr | Slice;

export type BoolOperator = 'and' | 'or';
export type BinOperator = '+' | '-' | '*' | '@' | '/' | '//' | '%' | '**' | '<<' | '>>' | '|' | '^' | '&';
export type UnaryOperator = 'not' | '-' | '+' | '~';
export type CmpOperator = '==' | '!=' | '<' | '<=' | '>' | '>=' | 'is' | 'is not' | 'in' | 'not in';

export interface BoolOp extends NodeBase { kind: 'BoolOp'; op: BoolOperator; values: Expr[] }
export interface NamedExpr extends NodeBase { kind: 'NamedExpr'; target: Name; value: Expr }
export interface BinOp extends NodeBase { kind: 'BinOp'; left: Expr; op: BinOperator; right: Expr }
export interface UnaryOp extends NodeBase { kind: 'UnaryOp'; op: UnaryOperator; operand: Expr }
export interface Lambda extends NodeBase { kind: 'Lambda'; args: Arguments; body: Expr }
export interface IfExp extends NodeBase { kind: 'IfExp'; test: Expr; body: Expr; orelse: Expr }
/** `keys[i] === null` means `**values[i]` (dict unpacking), as in CPython. */
export interface Dict extends NodeBase { kind: 'Dict'; keys: (Expr | null)[]; values: Expr[] }
export interface SetExpr extends NodeBase { kind: 'Set'; elts: Expr[] }
export interface Comprehension { target: Expr; iter: Expr; ifs: Expr[]; isAsync: boolean; range: Range }
export interface ListComp extends NodeBase { kind: 'ListComp'; elt: Expr; generators: Comprehension[] }
export interface SetComp extends NodeBase { kind: 'SetComp'; elt: Expr; generators: Comprehension[] }
export interface DictComp extends NodeBase { kind: 'DictComp'; key: Expr; value: Expr; generators: Comprehension[] }
export interface GeneratorExp extends NodeBase { kind: 'GeneratorExp'; elt: Expr; generators: Comprehension[] }
export interface Await extends NodeBase { kind: 'Await'; value: Expr }
export interface Yield extends NodeBase { kind: 'Yield'; value: Expr | null; from: boolean }
export interface Compare extends NodeBase { kind: 'Compare'; left: Expr; ops: CmpOperator[]; comparators: Expr[] }
export interface Keyword extends NodeBase { arg: string | null /* null: **kwargs */; value: Expr }
export interface Call extends NodeBase { kind: 'Call'; func: Expr; args: Expr[] /* may contain Starred */; keywords: Keyword[] }
/** `conversion`: -1 none, 's', 'r' or 'a' as in CPython (stored as the character or -1). */
export interface FormattedValue extends NodeBase { kind: 'FormattedValue'; value: Expr; conversion: -1 | 's' | 'r' | 'a'; formatSpec: JoinedStr | null }
export interface JoinedStr extends NodeBase { kind: 'JoinedStr'; values: (Constant | FormattedValue)[] }
/**
 * A literal. Python ints are `{type:'int', value: bigint}` so that huge literals stay exact;
 * floats `{type:'float'}`, complex literals are `{type:'complex'}` (imaginary part in `value`).
 */
export type ConstantValue =
  | { type: 'int'; value: bigint }
  | { type: 'float'; value: number }
  | { type: 'complex'; value: number }
  | { type: 'str'; value: string }
  /** One UTF-16 code unit per byte (0-255). */
  | { type: 'bytes'; value: string }
  | { type: 'bool'; value: boolean }
  | { type: 'None' }
  | { type: 'Ellipsis' };
export interface Constant extends NodeBase { kind: 'Constant'; value: ConstantValue }
export interface Attribute extends NodeBase { kind: 'Attribute'; value: Expr; attr: string; attrRange: Range }
export interface Subscript extends NodeBase { kind: 'Subscript'; value: Expr; slice: Expr }
export interface Starred extends NodeBase { kind: 'Starred'; value: Expr }
export interface Name extends NodeBase { kind: 'Name'; id: string }
export interface ListExpr extends NodeBase { kind: 'List'; elts: Expr[] }
export interface TupleExpr extends NodeBase { kind: 'Tuple'; elts: Expr[] }
export interface Slice extends NodeBase { kind: 'Slice'; lower: Expr | null; upper: Expr | null; step: Expr | null }

// ---------------------------------------------------------------- statements

export type Stmt =
  | FunctionDef | ClassDef | Return | Delete | Assign | AugAssign | AnnAssign | For | While | If | With
  | Raise | Try | Assert | Import | ImportFrom | Global | Nonlocal | ExprStmt | Pass | Break | Continue
  | Unsupported;

export interface Arg extends NodeBase { arg: string; annotation: Expr | null }
/** Same layout as CPython's `ast.arguments`: defaults align with the *last* posonly+args. */
export interface Arguments {
  posonlyargs: Arg[];
  args: Arg[];
  vararg: Arg | null;
  kwonlyargs: Arg[];
  kwDefaults: (Expr | null)[];
  kwarg: Arg | null;
  defaults: Expr[];
}

export interface FunctionDef extends NodeBase {
  kind: 'FunctionDef'; name: string; nameRange: Range; args: Arguments; body: Stmt[];
  decoratorList: Expr[]; returns: Expr | null; isAsync: boolean;
}
export interface ClassDef extends NodeBase {
  kind: 'ClassDef'; name: string; nameRange: Range; bases: Expr[]; keywords: Keyword[]; body: Stmt[]; decoratorList: Expr[];
}
export interface Return extends NodeBase { kind: 'Return'; value: Expr | null }
export interface Delete extends NodeBase { kind: 'Delete'; targets: Expr[] }
export interface Assign extends NodeBase { kind: 'Assign'; targets: Expr[]; value: Expr }
export interface AugAssign extends NodeBase { kind: 'AugAssign'; target: Expr; op: BinOperator; value: Expr }
export interface AnnAssign extends NodeBase { kind: 'AnnAssign'; target: Expr; annotation: Expr; value: Expr | null; simple: boolean }
export interface For extends NodeBase { kind: 'For'; target: Expr; iter: Expr; body: Stmt[]; orelse: Stmt[]; isAsync: boolean }
export interface While extends NodeBase { kind: 'While'; test: Expr; body: Stmt[]; orelse: Stmt[] }
export interface If extends NodeBase { kind: 'If'; test: Expr; body: Stmt[]; orelse: Stmt[] }
export interface WithItem { contextExpr: Expr; optionalVars: Expr | null }
export interface With extends NodeBase { kind: 'With'; items: WithItem[]; body: Stmt[]; isAsync: boolean }
export interface Raise extends NodeBase { kind: 'Raise'; exc: Expr | null; cause: Expr | null }
export interface ExceptHandler extends NodeBase { type: Expr | null; name: string | null; body: Stmt[] }
export interface Try extends NodeBase { kind: 'Try'; body: Stmt[]; handlers: ExceptHandler[]; orelse: Stmt[]; finalbody: Stmt[] }
export interface Assert extends NodeBase { kind: 'Assert'; test: Expr; msg: Expr | null }
export interface Alias extends NodeBase { name: string; asname: string | null }
export interface Import extends NodeBase { kind: 'Import'; names: Alias[] }
/** `module` null for `from . import x`; `level` counts the leading dots. `names[0].name === '*'` for star imports. */
export interface ImportFrom extends NodeBase { kind: 'ImportFrom'; module: string | null; names: Alias[]; level: number }
export interface Global extends NodeBase { kind: 'Global'; names: string[] }
export interface Nonlocal extends NodeBase { kind: 'Nonlocal'; names: string[] }
export interface ExprStmt extends NodeBase { kind: 'Expr'; value: Expr }
export interface Pass extends NodeBase { kind: 'Pass' }
export interface Break extends NodeBase { kind: 'Break' }
export interface Continue extends NodeBase { kind: 'Continue' }
/** A construct the lowering understands syntactically but the evaluator does not model (match, type alias, ...). */
export interface Unsupported extends NodeBase { kind: 'Unsupported'; what: string }

export interface Module { kind: 'Module'; body: Stmt[] }

/** A syntax error in CPython's words: `message` as `SyntaxError.msg`, 1-based `line`/`col` as CPython reports them. */
export interface SyntaxErrorInfo {
  message: string;
  line: number;
  col: number;
  range: Range;
  /**
   * `IndentationError` for unexpected/expected indent cases, `TabError` (an IndentationError
   * subclass) for inconsistent tabs and spaces, else `SyntaxError`.
   */
  type: 'SyntaxError' | 'IndentationError' | 'TabError';
}

export interface ParseResult {
  module: Module;
  /** CPython stops at the first error; we report it first and may report more after it. */
  errors: SyntaxErrorInfo[];
}
