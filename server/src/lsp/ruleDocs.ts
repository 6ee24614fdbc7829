// Where each rule's documentation page lives, as a URI the editor (diagnostic links) and SARIF viewers can open.
import { existsSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

/**
 * The package root holds docs/rules/. This module runs from dist/ (bundled) or server/src/lsp/ (tests), so the
 * root is the nearest ancestor with a package.json; it is computed once because it never changes in a process.
 */
let packageRoot: string | undefined;

function findPackageRoot(): string {
  let dir = __dirname;
  while (!existsSync(path.join(dir, 'package.json'))) {
    const parent = path.dirname(dir);
    if (parent === dir) return path.resolve(__dirname, '..');
    dir = parent;
  }
  return dir;
}

/** The file: URI of a file shipped in the package, given by its path relative to the package root. */
export function packageFileUri(relative: string): string {
  packageRoot ??= findPackageRoot();
  return pathToFileURL(path.join(packageRoot, ...relative.split('/'))).href;
}

/** URIs by rule id: every diagnostic links its rule's page, and making a file: URL is not free. */
const ruleDocUris = new Map<string, string>();

/** The file: URI of docs/rules/<ruleId>.md in the installed package. */
export function ruleDocUri(ruleId: string): string {
  let uri = ruleDocUris.get(ruleId);
  if (uri === undefined) {
    uri = packageFileUri(`docs/rules/${ruleId}.md`);
    ruleDocUris.set(ruleId, uri);
  }
  return uri;
}
