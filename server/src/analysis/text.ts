// Line arithmetic over file text in UTF-16 offsets, for rules that reason about lines (comments, placement of edits).

/** Offsets at which each line starts; line numbers are 0-based indices into this array. */
export function lineStarts(text: string): number[] {
  const starts = [0];
  for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) starts.push(i + 1);
  return starts;
}

/** The 0-based line containing an offset (binary search over `starts`). */
export function lineOf(starts: readonly number[], offset: number): number {
  let low = 0;
  let high = starts.length - 1;
  while (low < high) {
    const mid = (low + high + 1) >> 1;
    if ((starts[mid] ?? 0) <= offset) low = mid;
    else high = mid - 1;
  }
  return low;
}

/** The text of a 0-based line without its line terminator; empty past either end. */
export function lineText(text: string, starts: readonly number[], line: number): string {
  const start = starts[line];
  if (start === undefined) return '';
  const next = starts[line + 1];
  return text.slice(start, next === undefined ? text.length : next).replace(/\r?\n$/, '');
}

/** The leading whitespace of the line containing an offset, used to indent inserted lines like their neighbours. */
export function indentationAt(text: string, starts: readonly number[], offset: number): string {
  return /^[ \t]*/.exec(lineText(text, starts, lineOf(starts, offset)))?.[0] ?? '';
}
