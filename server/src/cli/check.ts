// `barrier-lint check`: analyses C files and directories and prints the findings as gcc-style text, JSON or SARIF 2.1.0.
import { stat } from 'node:fs/promises';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { version } from '../../../package.json';
import { ruleIds, ruleMeta, Workspace } from '../analysis/index';
import type { Finding, Severity, TextRange } from '../analysis/types';
import { packageFileUri, ruleDocUri } from '../lsp/ruleDocs';
import { fingerprint, FINGERPRINT_KEY, newFindings, readBaseline } from '../index/baseline';
import { CLI_CACHE_DIRECTORY } from '../index/cache';
import { loadWorkspace } from '../index/load';
import { defaultJobs } from '../index/pool';
import { progressBar } from '../index/progress';
import { checkStats, formatStats } from '../index/stats';
import { describeFsError, walkSources } from '../sources';
import type { Command, CommandIO } from './command';

const formats = ['text', 'json', 'sarif'] as const;
type Format = (typeof formats)[number];

const usage = `Usage: barrier-lint check [PATH...] [--format text|json|sarif] [--jobs N] [--baseline FILE]

Analyses the C files named, and every .c and .h file under the directories named
(the current directory when no PATH is given), and prints one finding per line:

  FILE:LINE:COL: SEVERITY: MESSAGE [RULE-ID]

Lines and columns are 1-based; columns count UTF-16 code units. SEVERITY is error,
warning or note (for info and hint findings), as gcc prints them.

Options:
  -f, --format FORMAT  text (default), json, or sarif (SARIF 2.1.0, for code-scanning tools)
  -j, --jobs N         threads to analyse with (default: the number of cores)
  --baseline FILE      report only findings not in FILE, an earlier --format json or sarif report
  --no-cache           do not read or write the cache of per-file summaries (${CLI_CACHE_DIRECTORY}/)
  -h, --help           show this help

Binary files, files that are not UTF-8 and files over 5 MB are skipped with a note on stderr.
A comment /* barrier-lint: ignore RULE-ID */ on a finding's line or the line before hides it.
On a terminal a progress bar shows while files are analysed; a summary (files, lines, barrier
sites, pairs, findings by rule, time) closes the run on stderr.

Exit status: 0 no findings, 1 findings, 2 usage or input error (e.g. a missing PATH).
`;

interface Skipped {
  file: string;
  reason: string;
}

/** One finding with 1-based line/column positions resolved, the form every output format starts from. */
interface Located {
  finding: Finding;
  start: { line: number; column: number };
  end: { line: number; column: number };
  /** What `--baseline` matches findings by (index/baseline.ts). */
  fingerprint: string;
}

interface RelatedLocated {
  file: string;
  message: string;
  range: TextRange;
  start: { line: number; column: number };
  end: { line: number; column: number };
}

class UsageError extends Error {}

interface Options {
  paths: string[];
  format: Format;
  jobs: number;
  baseline?: string;
  cache: boolean;
}

function parseOptions(args: string[]): Options {
  let parsed;
  try {
    parsed = parseArgs({
      args,
      allowPositionals: true,
      strict: true,
      options: {
        format: { type: 'string', short: 'f' },
        jobs: { type: 'string', short: 'j' },
        baseline: { type: 'string' },
        'no-cache': { type: 'boolean' },
      },
    });
  } catch (error) {
    throw new UsageError(error instanceof Error ? error.message : String(error));
  }
  const format = parsed.values.format ?? 'text';
  if (!(formats as readonly string[]).includes(format)) {
    throw new UsageError(`unknown format '${format}' (expected one of: ${formats.join(', ')})`);
  }
  const jobs = parsed.values.jobs === undefined ? defaultJobs() : Number(parsed.values.jobs);
  if (!Number.isInteger(jobs) || jobs < 1) throw new UsageError(`--jobs wants a positive whole number, not '${parsed.values.jobs}'`);
  return {
    paths: parsed.positionals.length > 0 ? parsed.positionals : ['.'],
    format: format as Format,
    jobs,
    baseline: parsed.values.baseline,
    cache: parsed.values['no-cache'] !== true,
  };
}

function displayPath(absolute: string, cwd: string): string {
  const relative = path.relative(cwd, absolute);
  return relative === '' || relative.startsWith('..') || path.isAbsolute(relative) ? absolute : relative;
}

/** The files to check (absolute, and as printed) from the paths given; directories are walked for .c and .h files. */
async function listSources(paths: string[], io: CommandIO): Promise<{ files: Array<{ path: string; name: string }>; errors: string[] }> {
  const files: string[] = [];
  const errors: string[] = [];
  for (const given of paths) {
    const absolute = path.resolve(io.cwd, given);
    try {
      if ((await stat(absolute)).isDirectory()) files.push(...(await walkSources(absolute)));
      else files.push(absolute);
    } catch (error) {
      errors.push(`cannot read '${given}': ${describeFsError(error)}`);
    }
  }
  return { files: [...new Set(files)].map((file) => ({ path: file, name: displayPath(file, io.cwd) })), errors };
}

function position(document: TextDocument | undefined, offset: number): { line: number; column: number } {
  if (document === undefined) return { line: 0, column: 0 };
  const { line, character } = document.positionAt(offset);
  return { line: line + 1, column: character + 1 };
}

function locate(findings: Finding[], documents: Map<string, TextDocument>): Located[] {
  return findings.map((finding) => {
    const document = documents.get(finding.file);
    return {
      finding,
      start: position(document, finding.range.start),
      end: position(document, finding.range.end),
      fingerprint: fingerprint(finding, document?.getText() ?? ''),
    };
  });
}

function locateRelated(located: Located, documents: Map<string, TextDocument>): RelatedLocated[] {
  return located.finding.related.map((related) => {
    const document = documents.get(related.file);
    return {
      file: related.file,
      message: related.message,
      range: related.range,
      start: position(document, related.range.start),
      end: position(document, related.range.end),
    };
  });
}

const gccSeverity: Record<Severity, string> = { error: 'error', warning: 'warning', info: 'note', hint: 'note' };

function formatText(located: Located[]): string {
  return located
    .map(({ finding, start }) => {
      // One finding per line, always: a message with a line break would break every line-oriented consumer.
      const message = finding.message.replace(/\s*\n\s*/g, ' ');
      return `${finding.file}:${start.line}:${start.column}: ${gccSeverity[finding.severity]}: ${message} [${finding.ruleId}]\n`;
    })
    .join('');
}

function formatJson(located: Located[], documents: Map<string, TextDocument>, skipped: Skipped[], files: number): string {
  const findings = located.map((entry) => ({
    ...entry.finding,
    start: entry.start,
    end: entry.end,
    related: locateRelated(entry, documents),
    fingerprint: entry.fingerprint,
  }));
  return `${JSON.stringify({ tool: 'barrier-lint', version, files, findings, skipped }, null, 2)}\n`;
}

const sarifLevel: Record<Severity, string> = { error: 'error', warning: 'warning', info: 'note', hint: 'note' };

function sarifArtifact(file: string): { uri: string; uriBaseId?: string } {
  if (path.isAbsolute(file)) return { uri: pathToFileURL(file).href };
  return { uri: file.split(path.sep).map(encodeURIComponent).join('/'), uriBaseId: '%SRCROOT%' };
}

function sarifRegion(
  range: TextRange,
  start: { line: number; column: number },
  end: { line: number; column: number },
): Record<string, number> {
  return {
    startLine: start.line,
    startColumn: start.column,
    endLine: end.line,
    endColumn: end.column,
    charOffset: range.start,
    charLength: range.end - range.start,
  };
}

function formatSarif(located: Located[], documents: Map<string, TextDocument>, cwd: string): string {
  // Every rule that ran is listed, so viewers can show what was checked as well as what was found.
  const ids = ruleIds();
  const results = located.map((entry) => {
    const { finding } = entry;
    const related = locateRelated(entry, documents);
    return {
      ruleId: finding.ruleId,
      ruleIndex: ids.indexOf(finding.ruleId),
      level: sarifLevel[finding.severity],
      message: { text: finding.message },
      partialFingerprints: { [FINGERPRINT_KEY]: entry.fingerprint },
      locations: [
        {
          physicalLocation: {
            artifactLocation: sarifArtifact(finding.file),
            region: sarifRegion(finding.range, entry.start, entry.end),
          },
        },
      ],
      ...(related.length > 0
        ? {
            relatedLocations: related.map((item, index) => ({
              id: index,
              message: { text: item.message },
              physicalLocation: {
                artifactLocation: sarifArtifact(item.file),
                region: sarifRegion(item.range, item.start, item.end),
              },
            })),
          }
        : {}),
    };
  });
  const log = {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: {
            name: 'barrier-lint',
            version,
            informationUri: packageFileUri('README.md'),
            rules: ids.map((id) => ({
              id,
              shortDescription: { text: ruleMeta(id)?.description ?? id },
              helpUri: ruleDocUri(id),
              defaultConfiguration: { level: sarifLevel[ruleMeta(id)?.defaultSeverity ?? 'warning'] },
            })),
          },
        },
        originalUriBaseIds: { '%SRCROOT%': { uri: pathToFileURL(cwd + path.sep).href } },
        columnKind: 'utf16CodeUnits',
        results,
      },
    ],
  };
  return `${JSON.stringify(log, null, 2)}\n`;
}

async function run(args: string[], io: CommandIO): Promise<number> {
  let options;
  try {
    options = parseOptions(args);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    io.stderr.write(`barrier-lint check: ${error.message}\nRun 'barrier-lint check --help' for usage.\n`);
    return 2;
  }
  const started = performance.now();
  let baseline: Map<string, number> | undefined;
  if (options.baseline !== undefined) {
    try {
      baseline = await readBaseline(path.resolve(io.cwd, options.baseline));
    } catch (error) {
      io.stderr.write(`barrier-lint check: cannot read baseline '${options.baseline}': ${error instanceof Error ? error.message : String(error)}\n`);
      return 2;
    }
  }
  const { files, errors } = await listSources(options.paths, io);

  // Workers read, parse and summarise the files (or take the summaries from the cache); rules then run here.
  const workspace = new Workspace({}, { once: true });
  const progress = progressBar(io.stderr);
  const load = await loadWorkspace(workspace, files, {
    jobs: options.jobs,
    cacheDirectory: options.cache ? path.join(io.cwd, CLI_CACHE_DIRECTORY) : undefined,
    onProgress: (done, total) => progress.update(done, total),
  });
  progress.done();
  errors.push(...load.errors);
  const skipped: Skipped[] = [...load.skipped];
  const documents = new Map<string, TextDocument>();
  for (const { name, text } of load.loaded) {
    if (text !== '') documents.set(name, TextDocument.create(pathToFileURL(path.resolve(io.cwd, name)).href, 'c', 0, text));
  }

  const findings: Finding[] = [];
  for (const { name } of load.loaded) {
    const refusal = workspace.refusal(name);
    if (refusal !== undefined) {
      skipped.push({ file: name, reason: refusal });
      continue;
    }
    try {
      findings.push(...workspace.findings(name));
    } catch (error) {
      // One file the analyser cannot handle must not hide the findings of all the others.
      errors.push(`analysis of '${name}' failed: ${error instanceof Error ? error.message : String(error)}`);
    }
  }
  for (const { file, reason } of skipped) io.stderr.write(`barrier-lint: note: skipping ${file}: ${reason}\n`);
  const all = locate(findings, documents);
  const located = baseline === undefined ? all : newFindings(all, (entry) => entry.fingerprint, baseline);
  const analysed = load.loaded.length - (skipped.length - load.skipped.length);
  if (options.format === 'text') io.stdout.write(formatText(located));
  else if (options.format === 'json') io.stdout.write(formatJson(located, documents, skipped, analysed));
  else io.stdout.write(formatSarif(located, documents, io.cwd));

  for (const message of errors) io.stderr.write(`barrier-lint check: error: ${message}\n`);
  const stats = checkStats(
    workspace,
    located.map((entry) => entry.finding),
    {
      lines: load.loaded.reduce((sum, { name, lines }) => sum + (workspace.refusal(name) === undefined ? lines : 0), 0),
      skipped: skipped.length,
      cached: load.cached,
      ms: performance.now() - started,
    },
  );
  io.stderr.write(formatStats(stats));
  if (errors.length > 0) return 2;
  return located.length > 0 ? 1 : 0;
}

export const check: Command = { name: 'check', summary: 'analyse C files and directories and print findings', usage, run };
