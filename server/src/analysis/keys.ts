// Location keys: `msr->r_msg`, `msr_d.r_msg` and `(*msr).r_msg` all become `struct msg_receiver::r_msg`.
import type { LocPath } from './events';
import type { TypeIndex } from './types-index';

export interface LocationKey {
  key: string;
  /** The field is declared volatile, so plain C accesses to it behave as marked ones. */
  volatile: boolean;
}

/**
 * Resolves an lvalue to its key using declarations in scope (the path's root type) and struct definitions of the
 * whole workspace (for chains like `a->b.c`); falls back to the expression text when a type is unknown. Globals
 * are keyed by name, arrays by their base (`pool->elements[i]` → `struct mempool_s::elements`).
 */
export function resolveLocation(loc: LocPath, index: TypeIndex): LocationKey {
  const { fields } = loc;
  if (fields.length === 0) return { key: loc.rootName ?? loc.text, volatile: false };
  if (fields.length === 1 && fields[0] === '*') return { key: `*${loc.rootName ?? loc.text}`, volatile: false };
  if (loc.rootType === undefined) return { key: loc.text, volatile: false };
  let type = index.canonical(loc.rootType);
  for (const name of fields.slice(0, -1)) {
    const field = index.field(type, name);
    if (field === undefined) return { key: loc.text, volatile: false };
    type = index.canonical(field.type);
  }
  const last = fields[fields.length - 1]!;
  // A struct, or a typedef name whose definition is not indexed: both name the same type in every file.
  if (!/^(?:struct|union) \w+$/.test(type.base) && !/^[A-Za-z_]\w*$/.test(type.base)) return { key: loc.text, volatile: false };
  if (PRIMITIVE_TYPES.has(type.base) || type.base === '?') return { key: loc.text, volatile: false };
  return { key: `${type.base}::${last}`, volatile: index.field(type, last)?.volatile ?? false };
}

const PRIMITIVE_TYPES = new Set(['void', 'char', 'short', 'int', 'long', 'float', 'double', 'unsigned', 'signed', 'bool', '_Bool']);
