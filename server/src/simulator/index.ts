// The simulator's public entry points: parse litmus text, simulate it under the LKMM, print herd7's result block.

export type { LitmusTest, Value, Prop, LocRef, Process, Stmt, Expr } from './ast';
export { parseLitmus, LitmusSyntaxError } from './parse';
export { simulate, forEachCandidate, type SimulateOptions, type SimulationResult, type StateBinding, type Witness, type WitnessEvent, type ForbiddenState } from './simulate';
export { formatHerd } from './format';
export { axioms, type Axiom } from './lkmm';
export type { Candidate, ExecEvent } from './executions';
