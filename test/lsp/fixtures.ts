// C fixtures we wrote for the CLI and LSP tests: a correct message-passing pair, and the same pair with one barrier
// left unexplained.

/** Message passing with both barriers and their pairing comments: every rule should accept it. */
export const pairedCorrectly = `struct box {
\tint data;
\tint ready;
};

void box_post(struct box *b, int v)
{
\tWRITE_ONCE(b->data, v);
\t/* Orders ->data before ->ready; pairs with smp_rmb() in box_take(). */
\tsmp_wmb();
\tWRITE_ONCE(b->ready, 1);
}

int box_take(struct box *b)
{
\tint ready = READ_ONCE(b->ready);

\t/* Orders ->ready before ->data; pairs with smp_wmb() in box_post(). */
\tsmp_rmb();
\tif (!ready)
\t\treturn -1;
\treturn READ_ONCE(b->data);
}
`;

/** The same pair without the writer's comment: exactly one barrier-without-comment finding, on smp_wmb(). */
export const uncommented = pairedCorrectly.replace(/\t\/\* Orders ->data before ->ready[^\n]*\n/, '');

/** Where that finding is, 1-based as the CLI prints it: line 9, column 2 (after one tab). */
export const uncommentedAt = { line: 9, column: 2 };
