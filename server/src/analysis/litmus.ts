// Scenarios as litmus tests: the two code slices of a pair reduced to herd's C litmus format, which the simulator runs.

/** How one access of a scenario is performed. RMWs are `xchg` with the ordering of the kernel primitive. */
export type AccessHow = 'once' | 'acquire' | 'release' | 'rmw-mb' | 'rmw-relaxed' | 'rmw-acquire' | 'rmw-release';

/** What stands between a side's two accesses, in program order. */
export type Between = 'smp_mb' | 'smp_wmb' | 'smp_rmb' | 'barrier' | 'lock' | 'unlock' | 'smp_mb__after_spinlock';

/** One CPU's slice: two accesses and what orders them. */
export interface SideSpec {
  first: AccessHow;
  between: Between[];
  second: AccessHow;
  /** The first access happens with the side's lock held (a `lock` then precedes it). */
  lockedAtStart: boolean;
  /** Reader only: the second load's address comes from the first load's value (an address dependency). */
  dependency?: boolean;
  /** The second access happens only when the first load saw the other side's store (a control dependency). */
  control?: boolean;
}

/**
 * MP: the writer stores x then y, the reader loads y then x; bad outcome "reader sees y new but x old".
 * SB: each side stores its own location then loads the other's; bad outcome "both loads see the old value".
 * LB: the releaser loads x then stores y (handing the object back), the acquirer loads y then stores x (reusing it);
 * bad outcome "the releaser's load sees the acquirer's store".
 */
export type Shape = 'MP' | 'SB' | 'LB';

export interface Scenario {
  shape: Shape;
  sides: [SideSpec, SideSpec];
  /** Whether both sides take the same lock (then `lock`/`unlock` on both name one spinlock). */
  sameLock: boolean;
}

const rmwPrimitive: Record<string, string> = {
  'rmw-mb': 'xchg',
  'rmw-relaxed': 'xchg_relaxed',
  'rmw-acquire': 'xchg_acquire',
  'rmw-release': 'xchg_release',
};

function write(how: AccessHow, target: string, value: string, scratch: string): string {
  if (how === 'release') return `smp_store_release(${target}, ${value});`;
  const rmw = rmwPrimitive[how];
  if (rmw !== undefined) return `${scratch} = ${rmw}(${target}, ${value});`;
  return `WRITE_ONCE(*${target}, ${value});`;
}

function read(how: AccessHow, register: string, target: string): string {
  if (how === 'acquire') return `${register} = smp_load_acquire(${target});`;
  const rmw = rmwPrimitive[how];
  // Reading with an exchange of the value already there keeps the final state the plain read would have.
  if (rmw !== undefined) return `${register} = ${rmw}(${target}, 1);`;
  return `${register} = READ_ONCE(*${target});`;
}

/**
 * The statements between a side's accesses. All of a side's locks become one spinlock, so an acquisition while it
 * is held (a second lock the code nests) and a release while it is free are dropped rather than deadlocking.
 */
function betweenLines(items: readonly Between[], lock: string, heldAtStart: boolean): string[] {
  let held = heldAtStart;
  const lines: string[] = [];
  for (const item of items) {
    if (item === 'lock') {
      if (!held) lines.push(`spin_lock(${lock});`);
      held = true;
    } else if (item === 'unlock') {
      if (held) lines.push(`spin_unlock(${lock});`);
      held = false;
    } else {
      lines.push(`${item}();`);
    }
  }
  return lines;
}

/** Whether a side still holds its lock after its last item, so the slice can release it at its end. */
function holdsAtEnd(side: SideSpec): boolean {
  let held = side.lockedAtStart;
  for (const item of side.between) {
    if (item === 'lock') held = true;
    if (item === 'unlock') held = false;
  }
  return held;
}

function usesLock(side: SideSpec): boolean {
  return side.lockedAtStart || side.between.some((item) => item === 'lock' || item === 'unlock');
}

function body(lines: string[]): string {
  return lines.map((line) => `\t${line}`).join('\n');
}

/** A stable name for a scenario, in the style of the litmus catalogue (`MP+wmb+rmb`). */
export function scenarioName(scenario: Scenario): string {
  const part = (side: SideSpec): string =>
    [side.lockedAtStart ? 'locked' : '', side.first, side.control === true ? 'ctrl' : '', ...side.between, side.second, side.dependency === true ? 'dep' : '']
      .filter((word) => word !== '' && word !== 'once')
      .join('-') || 'po';
  return `${scenario.shape}+${part(scenario.sides[0])}+${part(scenario.sides[1])}`;
}

/**
 * The litmus text of a scenario. Names are generic (`x`, `y`, `l`), so scenarios of the same shape from different
 * code are the same text, which is what the verdict cache keys on; `comment` says where the slices came from.
 */
export function litmusText(scenario: Scenario, comment?: string): string {
  const [p0, p1] = scenario.sides;
  const lock0 = 'l0';
  const lock1 = scenario.sameLock ? 'l0' : 'l1';
  const header = [`C ${scenarioName(scenario)}`, ''];
  if (comment !== undefined) header.push('(*', ...comment.split('\n').map((line) => ` * ${line}`), ' *)', '');
  const params = (side: SideSpec, lock: string, pointer: boolean): string =>
    [pointer ? 'int *x, int **y' : 'int *x, int *y', ...(usesLock(side) ? [`spinlock_t *${lock}`] : [])].join(', ');
  // Each process's slice inside the lock it holds at its start (and still holds at its end, if so).
  const locked = (side: SideSpec, lock: string, lines: string[]): string[] => [
    ...(side.lockedAtStart ? [`spin_lock(${lock});`] : []),
    ...lines,
    ...(holdsAtEnd(side) ? [`spin_unlock(${lock});`] : []),
  ];
  const program = (init: string, pointer: boolean, lines0: string[], lines1: string[], exists: string): string =>
    [
      ...header,
      init,
      '',
      `P0(${params(p0, lock0, pointer)})`,
      '{',
      body(lines0),
      '}',
      '',
      `P1(${params(p1, lock1, pointer)})`,
      '{',
      body(lines1),
      '}',
      '',
      exists,
      '',
    ].join('\n');

  if (scenario.shape === 'SB') {
    const slice = (side: SideSpec, mine: string, other: string, lock: string): string[] => [
      'int r0;',
      'int r9;',
      ...locked(side, lock, [write(side.first, mine, '1', 'r9'), ...betweenLines(side.between, lock, side.lockedAtStart), read(side.second, 'r0', other)]),
    ];
    return program('{}', false, slice(p0, 'x', 'y', lock0), slice(p1, 'y', 'x', lock1), 'exists (0:r0=0 /\\ 1:r0=0)');
  }

  if (scenario.shape === 'LB') {
    // The acquirer's store happens only if its load saw the flag when the code tests it (a control dependency).
    const slice = (side: SideSpec, register: string, load: string, store: string, lock: string): string[] => {
      const rest = [...betweenLines(side.between, lock, side.lockedAtStart), write(side.second, store, '1', 'r9')];
      return [
        `int ${register};`,
        'int r9;',
        ...locked(side, lock, [read(side.first, register, load), ...(side.control === true ? [`if (${register} == 1) {`, ...rest.map((line) => `\t${line}`), '}'] : rest)]),
      ];
    };
    return program('{}', false, slice(p0, 'r0', 'x', 'y', lock0), slice(p1, 'r1', 'y', 'x', lock1), 'exists (0:r0=1 /\\ 1:r1=1)');
  }

  const dependency = p1.dependency === true;
  const writer = [
    dependency ? 'int *r9;' : 'int r9;',
    ...locked(p0, lock0, [
      write(p0.first, 'x', '1', 'r9'),
      ...betweenLines(p0.between, lock0, p0.lockedAtStart),
      dependency ? writePointer(p0.second) : write(p0.second, 'y', '1', 'r9'),
    ]),
  ];
  const reader = [
    dependency ? 'int *r0;' : 'int r0;',
    'int r1;',
    ...locked(p1, lock1, [
      dependency ? readPointer(p1.first) : read(p1.first, 'r0', 'y'),
      ...betweenLines(p1.between, lock1, p1.lockedAtStart),
      dependency ? 'r1 = READ_ONCE(*r0);' : read(p1.second, 'r1', 'x'),
    ]),
  ];
  const exists = dependency ? 'exists (1:r0=x /\\ 1:r1=0)' : 'exists (1:r0=1 /\\ 1:r1=0)';
  return program(dependency ? '{\ny=z;\n}' : '{}', dependency, writer, reader, exists);
}

/** With an address dependency the writer publishes the pointer `x` in `y` (rcu_assign_pointer's shape). */
function writePointer(how: AccessHow): string {
  if (how === 'release') return 'smp_store_release(y, x);';
  const rmw = rmwPrimitive[how];
  return rmw !== undefined ? `r9 = ${rmw}(y, x);` : 'WRITE_ONCE(*y, x);';
}

function readPointer(how: AccessHow): string {
  if (how === 'acquire') return 'r0 = smp_load_acquire(y);';
  const rmw = rmwPrimitive[how];
  // Exchanging the pointer with itself is not expressible; the exchange's ordering is what matters, so read it with
  // the same ordering: a fully ordered RMW read is an acquire followed by a full barrier.
  if (rmw !== undefined) return how === 'rmw-relaxed' ? 'r0 = READ_ONCE(*y);' : 'r0 = smp_load_acquire(y);\n\tsmp_mb();';
  return 'r0 = READ_ONCE(*y);';
}
