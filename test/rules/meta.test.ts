// Keeps rules, their tests and their documentation in step: every registered rule has a page and a test file.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ruleIds } from '../../server/src/analysis/index';
import { rules } from '../../server/src/analysis/rules/index';

const root = path.resolve(__dirname, '../..');

describe('rule registry', () => {
  it.each(rules.map((rule) => [rule.id, rule] as const))('%s has a doc page, a test file and a source file', (id, rule) => {
    expect(rule.meta.docs).toBe(`docs/rules/${id}.md`);
    const doc = path.join(root, rule.meta.docs);
    expect(existsSync(doc)).toBe(true);
    expect(readFileSync(doc, 'utf8')).toMatch(new RegExp(`^# ${id}\\b`));
    expect(existsSync(path.join(root, 'test/rules', `${id}.test.ts`))).toBe(true);
    expect(existsSync(path.join(root, 'server/src/analysis/rules', `${id}.ts`))).toBe(true);
  });

  it('has unique ids and registers every rule file', () => {
    const ids = ruleIds();
    expect(new Set(ids).size).toBe(ids.length);
    const files = readdirSync(path.join(root, 'server/src/analysis/rules'))
      .filter((name) => name.endsWith('.ts') && !['index.ts', 'rule.ts', 'support.ts'].includes(name))
      .map((name) => name.replace(/\.ts$/, ''));
    expect([...ids].sort()).toEqual(files.sort());
  });

  it('has no doc page for a rule that does not exist', () => {
    const pages = readdirSync(path.join(root, 'docs/rules')).map((name) => name.replace(/\.md$/, ''));
    expect(pages.sort()).toEqual([...ruleIds()].sort());
  });
});
