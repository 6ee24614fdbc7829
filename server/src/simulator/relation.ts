// A small relation algebra over the events of one execution: event sets and binary relations as bit matrices,
// with the operators .cat models use (|, &, \, ;, ^-1, +, *, ?, [S], S*T, domain, range).

/** A set of event indices, as a bit vector. */
export class EventSet {
  constructor(
    readonly n: number,
    readonly bits: Uint32Array,
  ) {}

  static empty(n: number): EventSet {
    return new EventSet(n, new Uint32Array(words(n)));
  }

  static of(n: number, pred: (i: number) => boolean): EventSet {
    const s = EventSet.empty(n);
    for (let i = 0; i < n; i++) if (pred(i)) s.bits[i >>> 5]! |= 1 << (i & 31);
    return s;
  }

  has(i: number): boolean {
    return ((this.bits[i >>> 5]! >>> (i & 31)) & 1) === 1;
  }

  union(o: EventSet): EventSet {
    return this.zip(o, (a, b) => a | b);
  }

  inter(o: EventSet): EventSet {
    return this.zip(o, (a, b) => a & b);
  }

  minus(o: EventSet): EventSet {
    return this.zip(o, (a, b) => a & ~b);
  }

  /** The complement within the n events (`~S`). */
  complement(): EventSet {
    const r = new Uint32Array(this.bits.length);
    for (let k = 0; k < r.length; k++) r[k] = ~this.bits[k]!;
    // Bits past the last event stay clear.
    if ((this.n & 31) !== 0) r[r.length - 1]! &= (1 << (this.n & 31)) - 1;
    else if (this.n === 0) r[0] = 0;
    return new EventSet(this.n, r);
  }

  isEmpty(): boolean {
    for (let k = 0; k < this.bits.length; k++) if (this.bits[k] !== 0) return false;
    return true;
  }

  members(): number[] {
    const out: number[] = [];
    for (let i = 0; i < this.n; i++) if (this.has(i)) out.push(i);
    return out;
  }

  private zip(o: EventSet, f: (a: number, b: number) => number): EventSet {
    const r = new Uint32Array(this.bits.length);
    for (let k = 0; k < r.length; k++) r[k] = f(this.bits[k]!, o.bits[k]!);
    return new EventSet(this.n, r);
  }
}

function words(n: number): number {
  return Math.max(1, (n + 31) >>> 5);
}

/** A binary relation over n events: row i holds the successors of i. */
export class Rel {
  readonly w: number;
  /** Set when the relation is `[S]`: composing with it is then a row or column mask, not a product. */
  diagonal?: EventSet;

  constructor(
    readonly n: number,
    readonly bits: Uint32Array,
  ) {
    this.w = words(n);
  }

  static empty(n: number): Rel {
    return new Rel(n, new Uint32Array(n * words(n)));
  }

  static of(n: number, pred: (i: number, j: number) => boolean): Rel {
    const r = Rel.empty(n);
    for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) if (pred(i, j)) r.add(i, j);
    return r;
  }

  static fromPairs(n: number, pairs: Iterable<readonly [number, number]>): Rel {
    const r = Rel.empty(n);
    for (const [i, j] of pairs) r.add(i, j);
    return r;
  }

  /** `[S]`: the identity on S. */
  static id(s: EventSet): Rel {
    const r = Rel.empty(s.n);
    for (const i of s.members()) r.add(i, i);
    r.diagonal = s;
    return r;
  }

  /** `S * T`: every pair from S to T. */
  static cross(s: EventSet, t: EventSet): Rel {
    const r = Rel.empty(s.n);
    for (const i of s.members()) r.bits.set(t.bits, i * r.w);
    return r;
  }

  /** Mutates: adds the pair (i, j). Used only while building base relations. */
  add(i: number, j: number): void {
    this.bits[i * this.w + (j >>> 5)]! |= 1 << (j & 31);
  }

  has(i: number, j: number): boolean {
    return ((this.bits[i * this.w + (j >>> 5)]! >>> (j & 31)) & 1) === 1;
  }

  pairs(): Array<[number, number]> {
    const out: Array<[number, number]> = [];
    for (let i = 0; i < this.n; i++) for (let j = 0; j < this.n; j++) if (this.has(i, j)) out.push([i, j]);
    return out;
  }

  union(...others: Rel[]): Rel {
    const r = new Uint32Array(this.bits);
    for (const o of others) for (let k = 0; k < r.length; k++) r[k]! |= o.bits[k]!;
    return new Rel(this.n, r);
  }

  inter(o: Rel): Rel {
    const r = new Uint32Array(this.bits);
    for (let k = 0; k < r.length; k++) r[k]! &= o.bits[k]!;
    return new Rel(this.n, r);
  }

  minus(o: Rel): Rel {
    const r = new Uint32Array(this.bits);
    for (let k = 0; k < r.length; k++) r[k]! &= ~o.bits[k]!;
    return new Rel(this.n, r);
  }

  /** `r1 ; r2 ; ...`: relational composition. */
  seq(...others: Rel[]): Rel {
    let acc: Rel = this;
    for (const o of others) acc = acc.compose(o);
    return acc;
  }

  private compose(o: Rel): Rel {
    const { n, w } = this;
    if (this.diagonal) return o.restrictRows(this.diagonal);
    if (o.diagonal) return this.restrictColumns(o.diagonal);
    const out = new Uint32Array(n * w);
    for (let i = 0; i < n; i++) {
      const base = i * w;
      for (let kw = 0; kw < w; kw++) {
        let word = this.bits[base + kw]!;
        while (word !== 0) {
          const bit = word & -word;
          const k = (kw << 5) + (31 - Math.clz32(bit));
          word ^= bit;
          const ob = k * w;
          for (let x = 0; x < w; x++) out[base + x]! |= o.bits[ob + x]!;
        }
      }
    }
    return new Rel(n, out);
  }

  /** `r^-1`. */
  inverse(): Rel {
    const { n, w } = this;
    const r = Rel.empty(n);
    for (let i = 0; i < n; i++) {
      const mask = 1 << (i & 31);
      const iw = i >>> 5;
      for (let kw = 0; kw < w; kw++) {
        let word = this.bits[i * w + kw]!;
        while (word !== 0) {
          const bit = word & -word;
          const j = (kw << 5) + (31 - Math.clz32(bit));
          word ^= bit;
          r.bits[j * w + iw]! |= mask;
        }
      }
    }
    return r;
  }

  /** `r+`: transitive closure (Warshall on bit rows). */
  plus(): Rel {
    const { n, w } = this;
    const b = new Uint32Array(this.bits);
    for (let k = 0; k < n; k++) {
      const kb = k * w;
      const mask = 1 << (k & 31);
      const kw = k >>> 5;
      for (let i = 0; i < n; i++) {
        if ((b[i * w + kw]! & mask) !== 0) {
          const ib = i * w;
          for (let x = 0; x < w; x++) b[ib + x]! |= b[kb + x]!;
        }
      }
    }
    return new Rel(n, b);
  }

  /** `r*`. */
  star(): Rel {
    return this.plus().opt();
  }

  /** `r?`: r or the identity. */
  opt(): Rel {
    const r = new Uint32Array(this.bits);
    for (let i = 0; i < this.n; i++) r[i * this.w + (i >>> 5)]! |= 1 << (i & 31);
    return new Rel(this.n, r);
  }

  private restrictRows(s: EventSet): Rel {
    const r = Rel.empty(this.n);
    for (let i = 0; i < this.n; i++) {
      if (s.has(i)) for (let x = 0; x < this.w; x++) r.bits[i * this.w + x] = this.bits[i * this.w + x]!;
    }
    return r;
  }

  private restrictColumns(t: EventSet): Rel {
    const r = new Uint32Array(this.bits);
    for (let i = 0; i < this.n; i++) for (let x = 0; x < this.w; x++) r[i * this.w + x]! &= t.bits[x]!;
    return new Rel(this.n, r);
  }

  /** `[S] ; r ; [T]`. */
  restrict(s: EventSet, t: EventSet): Rel {
    const r = Rel.empty(this.n);
    for (let i = 0; i < this.n; i++) {
      if (!s.has(i)) continue;
      for (let x = 0; x < this.w; x++) r.bits[i * this.w + x] = this.bits[i * this.w + x]! & t.bits[x]!;
    }
    return r;
  }

  /** `[S] ; r`. */
  from(s: EventSet): Rel {
    return this.restrictRows(s);
  }

  /** `r ; [T]`. */
  to(t: EventSet): Rel {
    return this.restrictColumns(t);
  }

  domain(): EventSet {
    const s = EventSet.empty(this.n);
    for (let i = 0; i < this.n; i++) {
      for (let x = 0; x < this.w; x++) {
        if (this.bits[i * this.w + x] !== 0) {
          s.bits[i >>> 5]! |= 1 << (i & 31);
          break;
        }
      }
    }
    return s;
  }

  range(): EventSet {
    const s = EventSet.empty(this.n);
    for (let i = 0; i < this.n; i++) for (let x = 0; x < this.w; x++) s.bits[x]! |= this.bits[i * this.w + x]!;
    return s;
  }

  isEmpty(): boolean {
    for (let k = 0; k < this.bits.length; k++) if (this.bits[k] !== 0) return false;
    return true;
  }

  isIrreflexive(): boolean {
    for (let i = 0; i < this.n; i++) if (this.has(i, i)) return false;
    return true;
  }

  isAcyclic(): boolean {
    return this.plus().isIrreflexive();
  }

  equals(o: Rel): boolean {
    for (let k = 0; k < this.bits.length; k++) if (this.bits[k] !== o.bits[k]) return false;
    return true;
  }
}
