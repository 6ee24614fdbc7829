// The parsed form of a C litmus test as herd7 reads it: init block, processes, final condition; plain data.

/** Where a construct starts in the litmus text (1-based line and column). */
export interface Pos {
  line: number;
  col: number;
}

/**
 * A value as herd7 handles it: a machine integer, or the symbolic address of a global location (`x`, `&x`).
 * Integers are JS numbers, addresses are their location's name.
 */
export type Value = number | string;

export type BinaryOp =
  | '+'
  | '-'
  | '*'
  | '/'
  | '%'
  | '&'
  | '|'
  | '^'
  | '<<'
  | '>>'
  | '=='
  | '!='
  | '<'
  | '>'
  | '<='
  | '>='
  | '&&'
  | '||';

export type Expr =
  | { kind: 'const'; value: number; pos: Pos }
  | { kind: 'name'; name: string; pos: Pos }
  /** `*e`: as an rvalue, a plain load. */
  | { kind: 'deref'; target: Expr; pos: Pos }
  /** `&x`: the address of a global. */
  | { kind: 'addr'; name: string; pos: Pos }
  | { kind: 'binary'; op: BinaryOp; left: Expr; right: Expr; pos: Pos }
  | { kind: 'unary'; op: '!' | '-' | '~'; operand: Expr; pos: Pos }
  /** A macro of linux-kernel.def, e.g. `READ_ONCE(*x)`. */
  | { kind: 'call'; name: string; args: Expr[]; pos: Pos };

export type Stmt =
  | { kind: 'decl'; name: string; init?: Expr; pos: Pos }
  /** `r = e` (register) or `*p = e` (plain store). */
  | { kind: 'assign'; target: Expr; value: Expr; pos: Pos }
  | { kind: 'expr'; expr: Expr; pos: Pos }
  | { kind: 'if'; cond: Expr; then: Stmt; else?: Stmt; pos: Pos }
  | { kind: 'block'; body: Stmt[]; pos: Pos };

export interface Param {
  name: string;
  type: string;
  pos: Pos;
}

export interface Process {
  /** The N of `PN`. */
  id: number;
  params: Param[];
  body: Stmt[];
  pos: Pos;
}

/** One item of the `{ }` init block: a global's initial value, or a register's (`0:r1=1`). */
export interface InitItem {
  /** Undefined for a global. */
  proc?: number;
  name: string;
  type?: string;
  value: Value;
  pos: Pos;
}

/** A location the final condition or `locations` names: a register of one process, or a global. */
export type LocRef = { kind: 'reg'; proc: number; name: string } | { kind: 'mem'; name: string };

export type Prop =
  | { kind: 'atom'; loc: LocRef; value: Value }
  /** `0:r1=1:r2`: two locations hold the same value. */
  | { kind: 'same'; loc: LocRef; other: LocRef }
  | { kind: 'not'; prop: Prop }
  | { kind: 'and'; props: Prop[] }
  | { kind: 'or'; props: Prop[] }
  | { kind: 'implies'; left: Prop; right: Prop }
  | { kind: 'true' }
  | { kind: 'false' };

export type Quantifier = 'exists' | '~exists' | 'forall';

export interface LitmusTest {
  name: string;
  fileName?: string;
  init: InitItem[];
  processes: Process[];
  /** `locations [...]`: extra locations whose final values appear in the states. */
  locations: LocRef[];
  filter?: Prop;
  quantifier: Quantifier;
  condition: Prop;
}
