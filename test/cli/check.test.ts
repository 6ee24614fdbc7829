// The `barrier-lint` CLI: output formats, exit codes and the handling of bad inputs, driven through the dispatcher.
import { mkdtempSync, mkdirSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { version } from '../../package.json';
import { main } from '../../server/src/cli';
import { ruleIds } from '../../server/src/analysis/index';
import { pairedCorrectly as commented, uncommented, uncommentedAt } from '../lsp/fixtures';

function sink(): { stream: Writable; text: () => string } {
  const chunks: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer | string, _encoding, done) {
      chunks.push(chunk.toString());
      done();
    },
  });
  return { stream, text: () => chunks.join('') };
}

async function run(args: string[], cwd: string): Promise<{ code: number; stdout: string; stderr: string }> {
  const stdout = sink();
  const stderr = sink();
  const code = await main(args, { stdout: stdout.stream, stderr: stderr.stream, cwd });
  return { code, stdout: stdout.text(), stderr: stderr.text() };
}

let dir: string;

beforeAll(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'barrier-lint-cli-'));
  mkdirSync(path.join(dir, 'tree/sub'), { recursive: true });
  writeFileSync(path.join(dir, 'bad.c'), uncommented);
  writeFileSync(path.join(dir, 'good.c'), commented);
  writeFileSync(path.join(dir, 'tree/sub/bad.h'), uncommented);
  writeFileSync(path.join(dir, 'tree/notes.txt'), uncommented);
  writeFileSync(path.join(dir, 'tree/good.c'), commented);
  writeFileSync(path.join(dir, 'blob.c'), Buffer.from([0x7f, 0x45, 0x4c, 0x46, 0x00, 0x01, 0x02]));
  writeFileSync(path.join(dir, 'latin1.c'), Buffer.concat([Buffer.from('/* caf'), Buffer.from([0xe9]), Buffer.from(' */\nsmp_mb();\n')]));
});

afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('barrier-lint check, text output', () => {
  it('prints gcc-style findings with 1-based positions and exits 1', async () => {
    const result = await run(['check', 'bad.c'], dir);
    expect(result.code).toBe(1);
    expect(result.stdout).toMatch(new RegExp(`^bad\\.c:${uncommentedAt.line}:${uncommentedAt.column}: warning: [^\\n]*smp_wmb[^\\n]* \\[barrier-without-comment\\]\\n$`));
  });

  it('exits 0 with no output for a clean file', async () => {
    const result = await run(['check', 'good.c'], dir);
    expect(result).toMatchObject({ code: 0, stdout: '' });
  });

  it('walks directories for .c and .h files only', async () => {
    const result = await run(['check', 'tree'], dir);
    expect(result.code).toBe(1);
    const files = result.stdout.trim().split('\n').map((line) => line.split(':')[0]);
    expect(files).toEqual([path.join('tree', 'sub', 'bad.h')]);
  });

  it('exits 2 with a clear message for a missing path, still reporting the others', async () => {
    const result = await run(['check', 'missing.c', 'bad.c'], dir);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain("cannot read 'missing.c': no such file or directory");
    expect(result.stdout).toContain(`bad.c:${uncommentedAt.line}:${uncommentedAt.column}:`);
  });

  it('skips a binary file with a note and does not fail', async () => {
    const result = await run(['check', 'blob.c'], dir);
    expect(result).toMatchObject({ code: 0, stdout: '' });
    expect(result.stderr).toContain('note: skipping blob.c: binary file');
  });

  it('skips a file that is not UTF-8 with a note', async () => {
    const result = await run(['check', 'latin1.c'], dir);
    expect(result).toMatchObject({ code: 0, stdout: '' });
    expect(result.stderr).toContain('note: skipping latin1.c: not UTF-8');
  });

  it('skips a file over 5 MB without reading it into the analysis', async () => {
    const huge = path.join(dir, 'huge.c');
    writeFileSync(huge, `${'smp_mb();\n'.repeat(600_000)}`);
    const result = await run(['check', 'huge.c'], dir);
    rmSync(huge);
    expect(result).toMatchObject({ code: 0, stdout: '' });
    expect(result.stderr).toContain('note: skipping huge.c: larger than 5 MB');
  });
});

describe('barrier-lint check, machine-readable output', () => {
  it('prints JSON with findings, positions and skipped files', async () => {
    const result = await run(['check', '--format', 'json', 'bad.c', 'good.c', 'blob.c'], dir);
    expect(result.code).toBe(1);
    const report = JSON.parse(result.stdout);
    expect(report).toMatchObject({ tool: 'barrier-lint', version, files: 2, skipped: [{ file: 'blob.c', reason: 'binary file' }] });
    expect(report.findings).toHaveLength(1);
    const [finding] = report.findings;
    expect(finding).toMatchObject({ ruleId: 'barrier-without-comment', severity: 'warning', file: 'bad.c', start: uncommentedAt });
    expect(uncommented.slice(finding.range.start, finding.range.end)).toMatch(/^smp_wmb\(\)/);
  });

  it('prints a SARIF 2.1.0 log whose results point at described rules with help pages', async () => {
    const result = await run(['check', '-f', 'sarif', 'bad.c', 'tree'], dir);
    expect(result.code).toBe(1);
    const log = JSON.parse(result.stdout);
    expect(log.version).toBe('2.1.0');
    expect(log.$schema).toMatch(/sarif-2\.1\.0/);
    expect(log.runs).toHaveLength(1);
    const [sarifRun] = log.runs;
    const rules: { id: string; helpUri: string; shortDescription: { text: string } }[] = sarifRun.tool.driver.rules;
    expect(rules.map((rule) => rule.id)).toEqual(ruleIds());
    for (const rule of rules) {
      expect(rule.helpUri).toMatch(new RegExp(`docs/rules/${rule.id}\\.md$`));
      expect(existsSync(fileURLToPath(rule.helpUri))).toBe(true);
      expect(rule.shortDescription.text.length).toBeGreaterThan(0);
    }
    expect(sarifRun.results).toHaveLength(2);
    for (const item of sarifRun.results) {
      expect(rules[item.ruleIndex]?.id).toBe(item.ruleId);
      expect(['error', 'warning', 'note']).toContain(item.level);
      const location = item.locations[0].physicalLocation;
      expect(location.artifactLocation.uriBaseId).toBe('%SRCROOT%');
      expect(location.region).toMatchObject({ startLine: uncommentedAt.line, startColumn: uncommentedAt.column });
    }
    expect(sarifRun.results.map((item: { locations: { physicalLocation: { artifactLocation: { uri: string } } }[] }) => item.locations[0]?.physicalLocation.artifactLocation.uri)).toEqual(['bad.c', 'tree/sub/bad.h']);
  });
});

describe('barrier-lint usage', () => {
  it('prints help listing every command, and exits 2 when run bare', async () => {
    const help = await run(['--help'], dir);
    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(/^\s+check\s/m);
    expect(help.stdout).toMatch(/^\s+lsp\s/m);
    const bare = await run([], dir);
    expect(bare).toMatchObject({ code: 2, stdout: '' });
    expect(bare.stderr).toContain('Usage: barrier-lint');
  });

  it('prints the package version', async () => {
    expect(await run(['--version'], dir)).toMatchObject({ code: 0, stdout: `${version}\n` });
  });

  it('prints a command usage with <command> --help', async () => {
    const result = await run(['check', '--help'], dir);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('Usage: barrier-lint check');
  });

  it.each([
    [['frobnicate'], "unknown command 'frobnicate'"],
    [['check', '--format', 'xml', 'bad.c'], "unknown format 'xml'"],
    [['check', '--frobnicate'], "Unknown option '--frobnicate'"],
    [['lsp'], 'no transport given'],
  ])('exits 2 on the usage error %j', async (args, message) => {
    const result = await run(args, dir);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(message);
  });
});
