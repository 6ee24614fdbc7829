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
import { describeFsError, readSource, walkSources } from '../sources';
import type { Command, CommandIO } from './command';

const formats = ['text', 'json', 'sarif'] as const;
type Format = (typeof formats)[number];

const usage = `Usage: barrier-lint check [PATH...] [--format text|json|sarif]

Analyses the C files named, and every .c and .h file under the directories named
(the current directory when no PATH is given), and prints one finding per line:

  FILE:LINE:COL: SEVERITY: MESSAGE [RULE-ID]

Lines and columns are 1-based; columns count UTF-16 code units. SEVERITY is error,
warning or note (for info and hint findings), as gcc prints them.

Options:
  -f, --format FORMAT  text (default), json, or sarif (SARIF 2.1.0, for code-scanning tools)
  -h, --help           show this help

Binary files, files that are not UTF-8 and files over 5 MB are skipped with a note on stderr.

Exit status: 0 no findings, 1 findings, 2 usage or input error (e.g. a missing PATH).
`;

/** A file the check read, keyed by the path it prints (relative to the working directory when inside it). */
interface Source {
  display: string;
  document: TextDocument;
}

interface Skipped {
  file: string;
  reason: string;
}

/** One finding with 1-based line/column positions resolved, the form every output format starts from. */
interface Located {
  finding: Finding;
  start: { line: number; column: number };
  end: { line: number; column: number };
}

interface RelatedLocated {
  file: string;
  message: string;
  range: TextRange;
  start: { line: number; column: number };
  end: { line: number; column: number };
}

class UsageError extends Error {}

function parseOptions(args: string[]): { paths: string[]; format: Format } {
  let parsed;
  try {
    parsed = parseArgs({
      args,
      allowPositionals: true,
      strict: true,
      options: { format: { type: 'string', short: 'f' } },
    });
  } catch (error) {
    throw new UsageError(error instanceof Error ? error.message : String(error));
  }
  const format = parsed.values.format ?? 'text';
  if (!(formats as readonly string[]).includes(format)) {
    throw new UsageError(`unknown format '${format}' (expected one of: ${formats.join(', ')})`);
  }
  return { paths: parsed.positionals.length > 0 ? parsed.positionals : ['.'], format: format as Format };
}

function displayPath(absolute: string, cwd: string): string {
  const relative = path.relative(cwd, absolute);
  return relative === '' || relative.startsWith('..') || path.isAbsolute(relative) ? absolute : relative;
}

async function readSources(
  paths: string[],
  io: CommandIO,
): Promise<{ sources: Source[]; skipped: Skipped[]; errors: string[] }> {
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
  const sources: Source[] = [];
  const skipped: Skipped[] = [];
  for (const absolute of new Set(files)) {
    const display = displayPath(absolute, io.cwd);
    const read = await readSource(absolute);
    if (read.ok) {
      sources.push({ display, document: TextDocument.create(pathToFileURL(absolute).href, 'c', 0, read.text) });
    } else if ('skipped' in read) {
      skipped.push({ file: display, reason: read.skipped });
    } else {
      errors.push(`cannot read '${display}': ${read.error}`);
    }
  }
  return { sources, skipped, errors };
}

function position(document: TextDocument | undefined, offset: number): { line: number; column: number } {
  if (document === undefined) return { line: 0, column: 0 };
  const { line, character } = document.positionAt(offset);
  return { line: line + 1, column: character + 1 };
}

function locate(findings: Finding[], documents: Map<string, TextDocument>): Located[] {
  return findings.map((finding) => {
    const document = documents.get(finding.file);
    return { finding, start: position(document, finding.range.start), end: position(document, finding.range.end) };
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
  const { sources, skipped, errors } = await readSources(options.paths, io);
  for (const { file, reason } of skipped) io.stderr.write(`barrier-lint: note: skipping ${file}: ${reason}\n`);

  const workspace = new Workspace();
  const documents = new Map<string, TextDocument>();
  for (const source of sources) {
    workspace.setFile(source.display, source.document.getText());
    documents.set(source.display, source.document);
  }
  const findings: Finding[] = [];
  for (const source of sources) {
    const refusal = workspace.refusal(source.display);
    if (refusal !== undefined) {
      io.stderr.write(`barrier-lint: note: skipping ${source.display}: ${refusal}\n`);
      continue;
    }
    try {
      findings.push(...workspace.findings(source.display));
    } catch (error) {
      // One file the analyser cannot handle must not hide the findings of all the others.
      errors.push(`analysis of '${source.display}' failed: ${error instanceof Error ? error.message : String(error)}`);
    }
  }
  const located = locate(findings, documents);
  if (options.format === 'text') io.stdout.write(formatText(located));
  else if (options.format === 'json') io.stdout.write(formatJson(located, documents, skipped, sources.length));
  else io.stdout.write(formatSarif(located, documents, io.cwd));

  for (const message of errors) io.stderr.write(`barrier-lint check: error: ${message}\n`);
  if (options.format === 'text' && findings.length > 0) {
    const files = new Set(findings.map((finding) => finding.file)).size;
    io.stderr.write(`barrier-lint: ${findings.length} finding${findings.length === 1 ? '' : 's'} in ${files} of ${sources.length} files\n`);
  }
  if (errors.length > 0) return 2;
  return findings.length > 0 ? 1 : 0;
}

export const check: Command = { name: 'check', summary: 'analyse C files and directories and print findings', usage, run };
