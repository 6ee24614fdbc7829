// Quick fixes through the language server: a cross-file finding with its related location, the preferred fix
// applied as the editor would, and the re-check showing the finding gone.
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { CodeActionKind, CodeActionRequest, type CodeAction, type Diagnostic } from 'vscode-languageserver-protocol';
import { lspSession, pathUri } from './client';

const session = lspSession('barrier-lint-fix-');

// Our fixture: message passing where the writer orders its stores and the reader does not order its loads.
const writer = `struct msg_box {
\tint payload;
\tint ready;
};

void box_post(struct msg_box *box, int value)
{
\tWRITE_ONCE(box->payload, value);
\t/* Orders the payload before the flag; pairs with the read of ->ready in box_take(). */
\tsmp_wmb();
\tWRITE_ONCE(box->ready, 1);
}
`;
const reader = `struct msg_box {
\tint payload;
\tint ready;
};

int box_take(struct msg_box *box)
{
\tint ready = READ_ONCE(box->ready);

\tif (!ready)
\t\treturn -1;
\treturn READ_ONCE(box->payload);
}
`;

beforeAll(() => {
  const dir = session.dir();
  writeFileSync(path.join(session.dir(), 'writer.c'), writer);
  writeFileSync(path.join(session.dir(), 'reader.c'), reader);
});

describe('quick fixes', () => {
  it('links the missing read barrier to its pair in the other file, and its fix makes the finding go away', async () => {
    const { client } = await session.start({ rootPath: session.dir() });
    const readerUri = pathUri(path.join(session.dir(), 'reader.c'));
    const writerUri = pathUri(path.join(session.dir(), 'writer.c'));
    await client.open(readerUri, reader);

    // The writer is not open: the server finds it through the workspace index.
    const isMissing = (diagnostic: Diagnostic): boolean => diagnostic.code === 'missing-barrier';
    const published = await client.diagnostics(readerUri, (params) => params.diagnostics.some(isMissing));
    const missing = published.diagnostics.find(isMissing)!;
    expect(missing.range.start.line).toBe(7);
    const barrierLine = writer.split('\n').findIndex((line) => line.includes('smp_wmb()'));
    expect(missing.relatedInformation).toEqual([
      expect.objectContaining({ location: { uri: writerUri, range: { start: { line: barrierLine, character: 1 }, end: { line: barrierLine, character: 10 } } } }),
    ]);

    const actions = (await client.connection.sendRequest(CodeActionRequest.type, {
      textDocument: { uri: readerUri },
      range: missing.range,
      context: { diagnostics: [missing] },
    })) as CodeAction[];
    const fix = actions.find((action) => action.isPreferred === true);
    expect(fix?.kind).toBe(CodeActionKind.QuickFix);
    expect(fix?.diagnostics?.[0]?.code).toBe('missing-barrier');
    const edits = fix?.edit?.changes?.[readerUri];
    expect(edits?.length).toBeGreaterThan(0);

    const fixed = TextDocument.applyEdits(TextDocument.create(readerUri, 'c', 1, reader), edits ?? []);
    expect(fixed).toContain('smp_rmb()');
    const version = await client.change(readerUri, fixed);
    const after = await client.diagnostics(readerUri, (params) => params.version === version);
    expect(after.diagnostics.filter(isMissing)).toEqual([]);
    // The inserted barrier carries its pairing comment, so no other rule complains about the fix either.
    expect(after.diagnostics).toEqual([]);
  });
});
