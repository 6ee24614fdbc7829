// The pairing-comment quick fix through the language server: applied as the editor would, the barrier-without-comment
// diagnostic goes away, nothing else appears, and the hover still shows the pairing's bad outcome forbidden.
import { describe, expect, it } from 'vitest';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { CodeActionRequest, HoverRequest, type CodeAction, type Diagnostic, type MarkupContent } from 'vscode-languageserver-protocol';
import { lspSession } from './client';
import { uncommented, uncommentedAt } from './fixtures';

const session = lspSession('barrier-lint-comment-fix-');
const uri = 'file:///tmp/barrier-lint-comment-fix/box.c';

describe('pairing comment quick fix', () => {
  it('inserts "Pairs with smp_rmb() in box_take()" above smp_wmb() and the re-check is clean and forbidden', async () => {
    const { client } = await session.start();
    await client.open(uri, uncommented);
    const isUncommented = (diagnostic: Diagnostic): boolean => diagnostic.code === 'barrier-without-comment';
    const published = await client.diagnostics(uri, (params) => params.diagnostics.some(isUncommented));
    expect(published.diagnostics).toHaveLength(1);
    const diagnostic = published.diagnostics[0]!;
    expect(diagnostic.range.start).toEqual({ line: uncommentedAt.line - 1, character: uncommentedAt.column - 1 });

    const actions = (await client.connection.sendRequest(CodeActionRequest.type, {
      textDocument: { uri },
      range: diagnostic.range,
      context: { diagnostics: [diagnostic] },
    })) as CodeAction[];
    const fix = actions.find((action) => action.isPreferred === true);
    expect(fix?.title).toBe('Add a comment: pairs with smp_rmb() in box_take()');
    const fixed = TextDocument.applyEdits(TextDocument.create(uri, 'c', 1, uncommented), fix?.edit?.changes?.[uri] ?? []);
    expect(fixed).toContain('\tWRITE_ONCE(b->data, v);\n\t/* Pairs with smp_rmb() in box_take(). */\n\tsmp_wmb();\n');

    const version = await client.change(uri, fixed);
    const after = await client.diagnostics(uri, (params) => params.version === version);
    expect(after.diagnostics).toEqual([]);
    const hover = await client.connection.sendRequest(HoverRequest.type, {
      textDocument: { uri },
      position: { line: uncommentedAt.line, character: uncommentedAt.column },
    });
    expect((hover?.contents as MarkupContent | undefined)?.value).toContain('is forbidden');
  });
});
