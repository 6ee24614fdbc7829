// Parser for herd7's C litmus format as LKMM tests use it; errors carry line:col and name unknown primitives.

import { primitive } from '../lkmm/primitives';
import type { BinaryOp, Expr, InitItem, LitmusTest, LocRef, Param, Pos, Process, Prop, Quantifier, Stmt, Value } from './ast';

/** A syntax or validity error in a litmus test, located at line:col. */
export class LitmusSyntaxError extends Error {
  constructor(
    readonly fileName: string | undefined,
    readonly line: number,
    readonly col: number,
    readonly detail: string,
  ) {
    super(`${fileName ?? '<litmus>'}:${line}:${col}: ${detail}`);
    this.name = 'LitmusSyntaxError';
  }
}

type TokKind = 'ident' | 'num' | 'punct' | 'eof';

interface Token {
  kind: TokKind;
  text: string;
  pos: Pos;
}

// Longest first, so that `<<` wins over `<` and `/\` over `/`.
const puncts = [
  '/\\', '\\/', '<<', '>>', '==', '!=', '<>', '<=', '>=', '&&', '||', '=>',
  '{', '}', '(', ')', '[', ']', ';', ',', '*', '&', '=', '<', '>', '+', '-', '/', '%', '|', '^', '~', '!', ':', '.', '?',
];

/**
 * An on-demand lexer. `ocamlComments` is switched off inside process bodies: there `(*` is C (`(*p)`), while
 * in the header, init block and condition herd7 accepts OCaml comments.
 */
class Lexer {
  private offset = 0;
  private line = 1;
  private col = 1;
  ocamlComments = true;

  constructor(
    private readonly text: string,
    private readonly fileName: string | undefined,
  ) {}

  pos(): Pos {
    return { line: this.line, col: this.col };
  }

  error(pos: Pos, message: string): LitmusSyntaxError {
    return new LitmusSyntaxError(this.fileName, pos.line, pos.col, message);
  }

  private advance(n: number): void {
    for (let i = 0; i < n; i++) {
      if (this.text[this.offset] === '\n') {
        this.line++;
        this.col = 1;
      } else {
        this.col++;
      }
      this.offset++;
    }
  }

  /** The rest of the current line, consumed (used for the `C name` header). */
  restOfLine(): string {
    const end = this.text.indexOf('\n', this.offset);
    const stop = end < 0 ? this.text.length : end;
    const s = this.text.slice(this.offset, stop);
    this.advance(stop - this.offset);
    return s;
  }

  /** True when the next character is ':' (after a number: `1:r1` names a register, not a value). */
  atColon(): boolean {
    this.skipTrivia();
    return this.text[this.offset] === ':';
  }

  /**
   * Skips what sits between the header and the init block, as herd7 does: a doc string, `Key=value` info lines,
   * anything else up to the line that opens the init block.
   */
  skipPreamble(): void {
    this.skipTrivia();
    while (this.offset < this.text.length && this.text[this.offset] !== '{') {
      this.restOfLine();
      this.skipTrivia();
    }
  }

  private skipTrivia(): void {
    for (;;) {
      const c = this.text[this.offset];
      if (c === undefined) return;
      if (c === ' ' || c === '\t' || c === '\n' || c === '\r') {
        this.advance(1);
      } else if (this.text.startsWith('//', this.offset)) {
        while (this.offset < this.text.length && this.text[this.offset] !== '\n') this.advance(1);
      } else if (this.text.startsWith('/*', this.offset)) {
        const start = this.pos();
        const end = this.text.indexOf('*/', this.offset + 2);
        if (end < 0) throw this.error(start, 'unterminated comment');
        this.advance(end + 2 - this.offset);
      } else if (this.ocamlComments && this.text.startsWith('(*', this.offset)) {
        const start = this.pos();
        let depth = 0;
        do {
          if (this.offset >= this.text.length) throw this.error(start, 'unterminated comment');
          if (this.text.startsWith('(*', this.offset)) {
            depth++;
            this.advance(2);
          } else if (this.text.startsWith('*)', this.offset)) {
            depth--;
            this.advance(2);
          } else {
            this.advance(1);
          }
        } while (depth > 0);
      } else {
        return;
      }
    }
  }

  next(): Token {
    this.skipTrivia();
    const pos = this.pos();
    const rest = this.text.slice(this.offset, this.offset + 2);
    const c = this.text[this.offset];
    if (c === undefined) return { kind: 'eof', text: '', pos };
    const ident = /^[A-Za-z_][A-Za-z0-9_]*/.exec(this.text.slice(this.offset, this.offset + 256));
    if (ident) {
      this.advance(ident[0].length);
      return { kind: 'ident', text: ident[0], pos };
    }
    const num = /^(0[xX][0-9a-fA-F]+|[0-9]+)/.exec(this.text.slice(this.offset, this.offset + 64));
    if (num) {
      this.advance(num[0].length);
      return { kind: 'num', text: num[0], pos };
    }
    for (const p of puncts) {
      if (rest.startsWith(p) || this.text.startsWith(p, this.offset)) {
        this.advance(p.length);
        return { kind: 'punct', text: p, pos };
      }
    }
    throw this.error(pos, `unexpected character '${c}'`);
  }
}

const precedence: Record<string, number> = {
  '||': 1,
  '&&': 2,
  '|': 3,
  '^': 4,
  '&': 5,
  '==': 6,
  '!=': 6,
  '<': 7,
  '>': 7,
  '<=': 7,
  '>=': 7,
  '<<': 8,
  '>>': 8,
  '+': 9,
  '-': 9,
  '*': 10,
  '/': 10,
  '%': 10,
};

/** Type words that may start a declaration or a cast. */
const typeWords = new Set([
  'int', 'long', 'short', 'char', 'unsigned', 'signed', 'void', 'const', 'volatile', 'struct', 'union',
  'atomic_t', 'atomic_long_t', 'spinlock_t', 'intptr_t', 'uintptr_t', 'u8', 'u16', 'u32', 'u64', 's8', 's16', 's32',
  's64', 'bool', 'size_t', 'srcu_struct', 'raw_spinlock_t', 'atomic64_t',
]);

class Parser {
  private lookahead: Token | undefined;

  constructor(
    private readonly lexer: Lexer,
    private readonly fileName: string | undefined,
  ) {}

  peek(): Token {
    this.lookahead ??= this.lexer.next();
    return this.lookahead;
  }

  take(): Token {
    const t = this.peek();
    this.lookahead = undefined;
    return t;
  }

  is(text: string): boolean {
    const t = this.peek();
    return (t.kind === 'punct' || t.kind === 'ident') && t.text === text;
  }

  accept(text: string): boolean {
    if (this.is(text)) {
      this.take();
      return true;
    }
    return false;
  }

  expect(text: string): Token {
    const t = this.peek();
    if (!this.is(text)) throw this.error(t.pos, `expected '${text}' but found ${describe(t)}`);
    return this.take();
  }

  ident(what: string): Token {
    const t = this.peek();
    if (t.kind !== 'ident') throw this.error(t.pos, `expected ${what} but found ${describe(t)}`);
    return this.take();
  }

  error(pos: Pos, message: string): LitmusSyntaxError {
    return new LitmusSyntaxError(this.fileName, pos.line, pos.col, message);
  }

  // ---- Test ----

  test(): LitmusTest {
    const head = this.peek();
    if (head.kind !== 'ident' || head.text !== 'C') {
      throw this.error(head.pos, `expected 'C <name>' header but found ${describe(head)}`);
    }
    this.lookahead = undefined;
    // herd7 names the test by the header's first word, without a `.litmus` suffix.
    const name = (this.lexer.restOfLine().trim().split(/\s+/)[0] ?? '').replace(/\.litmus$/, '');
    if (name === '') throw this.error(head.pos, 'missing test name after C');
    this.lexer.skipPreamble();
    const init = this.initBlock();
    const processes: Process[] = [];
    while (this.atProcess()) processes.push(this.process(processes.length));
    if (processes.length === 0) throw this.error(this.peek().pos, `expected a process P0(...) but found ${describe(this.peek())}`);
    let locations: LocRef[] = [];
    let filter: Prop | undefined;
    for (;;) {
      if (this.accept('locations')) {
        locations = locations.concat(this.locationList());
      } else if (this.accept('filter')) {
        filter = this.prop();
      } else {
        break;
      }
    }
    const q = this.peek();
    // Without a final condition herd7 checks `forall (true)`.
    if (q.kind === 'eof') return { name, init, processes, locations, filter, quantifier: 'forall', condition: { kind: 'true' } };
    let quantifier: Quantifier;
    if (this.accept('exists')) quantifier = 'exists';
    else if (this.accept('forall')) quantifier = 'forall';
    else if (this.is('~')) {
      this.take();
      this.expect('exists');
      quantifier = '~exists';
    } else throw this.error(q.pos, `expected 'exists', '~exists' or 'forall' but found ${describe(q)}`);
    const condition = this.prop();
    this.accept(';');
    const end = this.peek();
    if (end.kind !== 'eof') throw this.error(end.pos, `unexpected ${describe(end)} after the final condition`);
    return { name, init, processes, locations, filter, quantifier, condition };
  }

  /** True at `P0(` or `void P0(`; consumes the `void`. */
  private atProcess(): boolean {
    if (this.accept('void') && !/^P[0-9]+$/.test(this.peek().text)) {
      throw this.error(this.peek().pos, `expected a process name after 'void'`);
    }
    return this.peek().kind === 'ident' && /^P[0-9]+$/.test(this.peek().text);
  }

  // ---- Init block ----

  initBlock(): InitItem[] {
    this.expect('{');
    const items: InitItem[] = [];
    while (!this.accept('}')) {
      if (this.accept(';')) continue;
      items.push(this.initItem());
      if (!this.is('}')) this.expect(';');
    }
    return items;
  }

  private initItem(): InitItem {
    const start = this.peek().pos;
    const words: string[] = [];
    let stars = 0;
    // Type words, then the name: the last identifier before '=' or ';'.
    for (;;) {
      const t = this.peek();
      if (t.kind === 'num') {
        // `0:r1=1`, or a typed register declaration `int *1:r1;` (initially 0).
        const proc = Number(this.take().text);
        this.expect(':');
        const reg = this.ident('a register name').text;
        const type = words.length > 0 ? `${words.join(' ')} ${'*'.repeat(stars)}`.trim() : undefined;
        return { proc, name: reg, type, value: this.accept('=') ? this.initValue() : 0, pos: start };
      }
      if (t.kind === 'ident') {
        words.push(this.take().text);
      } else if (this.accept('*')) {
        stars++;
      } else {
        break;
      }
    }
    const name = words.pop();
    if (name === undefined) throw this.error(this.peek().pos, `expected a location in the init block but found ${describe(this.peek())}`);
    if (this.accept('[')) throw this.error(start, 'arrays are not supported');
    const type = words.length > 0 ? words.join(' ') + ' ' + '*'.repeat(stars) : undefined;
    if (this.accept('=')) return { name, type: type?.trim(), value: this.initValue(), pos: start };
    return { name, type: type?.trim(), value: 0, pos: start };
  }

  private initValue(): Value {
    const t = this.peek();
    if (this.accept('&')) return this.ident('a location').text;
    if (this.accept('-')) return -this.number();
    if (t.kind === 'num') return this.number();
    if (t.kind === 'ident') {
      const name = this.take().text;
      if (name !== 'ATOMIC_INIT' || !this.accept('(')) return name;
      const v = this.initValue();
      this.expect(')');
      return v;
    }
    throw this.error(t.pos, `expected an initial value but found ${describe(t)}`);
  }

  private number(): number {
    const t = this.peek();
    if (t.kind !== 'num') throw this.error(t.pos, `expected a number but found ${describe(t)}`);
    this.take();
    return Number(t.text);
  }

  // ---- Processes ----

  process(index: number): Process {
    const head = this.take();
    const id = Number(head.text.slice(1));
    if (id !== index) throw this.error(head.pos, `expected P${index} but found ${head.text}`);
    this.expect('(');
    const params: Param[] = [];
    if (!this.accept(')')) {
      do {
        const pos = this.peek().pos;
        const words: string[] = [];
        let stars = 0;
        while (!this.is(',') && !this.is(')')) {
          const t = this.take();
          if (t.kind === 'ident') words.push(t.text);
          else if (t.text === '*') stars++;
          else throw this.error(t.pos, `unexpected ${describe(t)} in the parameters of P${id}`);
        }
        const name = words.pop();
        if (name === undefined) throw this.error(pos, 'expected a parameter name');
        params.push({ name, type: `${words.join(' ')} ${'*'.repeat(stars)}`.trim(), pos });
      } while (this.accept(','));
      this.expect(')');
    }
    const open = this.peek();
    if (!this.is('{')) throw this.error(open.pos, `expected '{' but found ${describe(open)}`);
    this.take();
    // Inside C code `(*` is not a comment; the lookahead buffer is empty here, so the switch takes effect now.
    this.lexer.ocamlComments = false;
    const body: Stmt[] = [];
    while (!this.is('}')) body.push(...this.statement());
    this.lexer.ocamlComments = true;
    this.take();
    return { id, params, body, pos: head.pos };
  }

  private isTypeStart(): boolean {
    const t = this.peek();
    return t.kind === 'ident' && typeWords.has(t.text);
  }

  /** One statement; a declaration of several names yields several statements. */
  private statement(): Stmt[] {
    const t = this.peek();
    if (t.kind === 'eof') throw this.error(t.pos, 'unexpected end of file inside a process');
    if (this.accept(';')) return [];
    if (this.is('{')) {
      this.take();
      const body: Stmt[] = [];
      while (!this.accept('}')) body.push(...this.statement());
      return [{ kind: 'block', body, pos: t.pos }];
    }
    if (this.accept('if')) {
      this.expect('(');
      const cond = this.expr();
      this.expect(')');
      const then = this.single();
      const otherwise = this.accept('else') ? this.single() : undefined;
      return [{ kind: 'if', cond, then, else: otherwise, pos: t.pos }];
    }
    if (this.is('while') || this.is('for') || this.is('do') || this.is('goto') || this.is('return')) {
      throw this.error(t.pos, `'${t.text}' is not supported in litmus processes`);
    }
    if (this.isTypeStart()) {
      while (this.isTypeStart()) this.take();
      const out: Stmt[] = [];
      do {
        while (this.accept('*'));
        const name = this.ident('a variable name');
        const init = this.accept('=') ? this.expr() : undefined;
        out.push({ kind: 'decl', name: name.text, init, pos: name.pos });
      } while (this.accept(','));
      this.expect(';');
      return out;
    }
    const e = this.expr();
    if (this.accept('=')) {
      if (e.kind !== 'name' && e.kind !== 'deref') throw this.error(e.pos, 'the left side of = must be a register or *pointer');
      const value = this.expr();
      this.expect(';');
      return [{ kind: 'assign', target: e, value, pos: t.pos }];
    }
    this.expect(';');
    return [{ kind: 'expr', expr: e, pos: t.pos }];
  }

  private single(): Stmt {
    const pos = this.peek().pos;
    const s = this.statement();
    return s.length === 1 && s[0] ? s[0] : { kind: 'block', body: s, pos };
  }

  // ---- Expressions ----

  expr(minPrec = 1): Expr {
    let left = this.unary();
    for (;;) {
      const t = this.peek();
      const prec = t.kind === 'punct' ? precedence[t.text] : undefined;
      if (prec === undefined || prec < minPrec) return left;
      this.take();
      const right = this.expr(prec + 1);
      left = { kind: 'binary', op: t.text as BinaryOp, left, right, pos: left.pos };
    }
  }

  private unary(): Expr {
    const t = this.peek();
    if (this.accept('*')) return { kind: 'deref', target: this.unary(), pos: t.pos };
    if (this.accept('&')) {
      const inner = this.unary();
      if (inner.kind === 'name') return { kind: 'addr', name: inner.name, pos: t.pos };
      if (inner.kind === 'deref') return inner.target;
      throw this.error(t.pos, '& applies to a global location only');
    }
    if (this.accept('!')) return { kind: 'unary', op: '!', operand: this.unary(), pos: t.pos };
    if (this.accept('~')) return { kind: 'unary', op: '~', operand: this.unary(), pos: t.pos };
    if (this.accept('-')) return { kind: 'unary', op: '-', operand: this.unary(), pos: t.pos };
    if (this.accept('+')) return this.unary();
    if (this.is('(')) {
      this.take();
      if (this.isTypeStart()) {
        // A cast: herd7's values are untyped, so the type is dropped.
        while (this.isTypeStart() || this.is('*')) this.take();
        this.expect(')');
        return this.unary();
      }
      const e = this.expr();
      this.expect(')');
      return e;
    }
    if (t.kind === 'num') {
      this.take();
      return { kind: 'const', value: Number(t.text), pos: t.pos };
    }
    if (t.kind === 'ident') {
      this.take();
      if (this.is('(')) return this.call(t);
      return { kind: 'name', name: t.text, pos: t.pos };
    }
    throw this.error(t.pos, `expected an expression but found ${describe(t)}`);
  }

  private call(name: Token): Expr {
    const prim = primitive(name.text);
    if (!prim || !prim.inModel) {
      const why = prim ? 'is not defined by linux-kernel.def' : 'is not a primitive of linux-kernel.def';
      throw this.error(name.pos, `unknown primitive '${name.text}': it ${why}`);
    }
    this.expect('(');
    const args: Expr[] = [];
    if (!this.accept(')')) {
      do args.push(this.expr());
      while (this.accept(','));
      this.expect(')');
    }
    if (args.length !== prim.arity) {
      throw this.error(name.pos, `${name.text} takes ${prim.arity} argument${prim.arity === 1 ? '' : 's'}, not ${args.length}`);
    }
    return { kind: 'call', name: name.text, args, pos: name.pos };
  }

  // ---- Final condition ----

  private locationList(): LocRef[] {
    this.expect('[');
    const out: LocRef[] = [];
    while (!this.accept(']')) {
      if (this.accept(';')) continue;
      out.push(this.locRef());
    }
    return out;
  }

  private locRef(): LocRef {
    const t = this.peek();
    if (t.kind === 'num') {
      const proc = this.number();
      this.expect(':');
      return { kind: 'reg', proc, name: this.ident('a register').text };
    }
    if (this.accept('[')) {
      const name = this.ident('a location').text;
      this.expect(']');
      return { kind: 'mem', name };
    }
    if (this.accept('*')) return { kind: 'mem', name: this.ident('a location').text };
    return { kind: 'mem', name: this.ident('a location').text };
  }

  prop(): Prop {
    const left = this.disjunction();
    if (this.accept('=>')) return { kind: 'implies', left, right: this.prop() };
    return left;
  }

  private disjunction(): Prop {
    const first = this.conjunction();
    const props = [first];
    while (this.accept('\\/')) props.push(this.conjunction());
    return props.length === 1 ? first : { kind: 'or', props };
  }

  private conjunction(): Prop {
    const first = this.propAtom();
    const props = [first];
    while (this.accept('/\\')) props.push(this.propAtom());
    return props.length === 1 ? first : { kind: 'and', props };
  }

  private propAtom(): Prop {
    const t = this.peek();
    if (this.accept('~') || this.accept('not')) return { kind: 'not', prop: this.propAtom() };
    if (this.accept('(')) {
      const p = this.prop();
      this.expect(')');
      return p;
    }
    if (this.accept('true')) return { kind: 'true' };
    if (this.accept('false')) return { kind: 'false' };
    if (t.kind !== 'num' && t.kind !== 'ident' && !this.is('[') && !this.is('*')) {
      throw this.error(t.pos, `expected a condition but found ${describe(t)}`);
    }
    const loc = this.locRef();
    if (this.accept('!=') || this.accept('<>')) return { kind: 'not', prop: this.atomValue(loc) };
    this.expect('=');
    return this.atomValue(loc);
  }

  /** The right side of `loc=...`: a value, or another location. */
  private atomValue(loc: LocRef): Prop {
    const v = this.peek();
    if (this.is('[') || (v.kind === 'num' && this.lexer.atColon())) return { kind: 'same', loc, other: this.locRef() };
    let value: Value;
    if (this.accept('-')) value = -this.number();
    else if (v.kind === 'num') value = this.number();
    else if (this.accept('&')) value = this.ident('a location').text;
    else if (v.kind === 'ident') value = this.take().text;
    else throw this.error(v.pos, `expected a value but found ${describe(v)}`);
    return { kind: 'atom', loc, value };
  }
}

function describe(t: Token): string {
  return t.kind === 'eof' ? 'end of file' : `'${t.text}'`;
}

/** Parses one C litmus test. Throws LitmusSyntaxError (with line:col) on bad input. */
export function parseLitmus(text: string, fileName?: string): LitmusTest {
  const parser = new Parser(new Lexer(text, fileName), fileName);
  const test = parser.test();
  return fileName === undefined ? test : { ...test, fileName };
}
