// Conformance: every herd7 `.expected` in ../shared/litmus is reproduced exactly (ignoring its Time and Hash lines).
import { readdirSync, readFileSync, existsSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { formatHerd, parseLitmus, simulate } from '../../server/src/simulator/index';

const shared = path.resolve(__dirname, '../..', '../shared/litmus');
const withoutTimeAndHash = (text: string) =>
  text
    .split('\n')
    .filter((line) => !/^(Time|Hash)\b/.test(line) && line.trim() !== '')
    .join('\n');

for (const folder of ['herd-catalogue', 'kernel']) {
  const dir = path.join(shared, folder);
  const tests = existsSync(dir)
    ? readdirSync(dir)
        .filter((f) => f.endsWith('.litmus') && existsSync(path.join(dir, `${f}.expected`)))
        .sort()
    : [];
  describe(`herd7 conformance: ${folder}`, () => {
    it('has its tests', () => {
      expect(tests.length).toBeGreaterThan(0);
    });
    for (const file of tests) {
      it(file, () => {
        const text = readFileSync(path.join(dir, file), 'utf8');
        const expected = readFileSync(path.join(dir, `${file}.expected`), 'utf8');
        const result = simulate(parseLitmus(text, file), { timeoutMs: 60_000 });
        expect(result.status).toBe('complete');
        expect(withoutTimeAndHash(formatHerd(result))).toBe(withoutTimeAndHash(expected));
      });
    }
  });
}
