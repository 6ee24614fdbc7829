// Handing a buffer slot back to its producer (load buffering): the consumer reads the slot, then clears ->busy; the
// producer refills the slot once it sees ->busy clear. smp_wmb() orders stores only, so the consumer's reads can
// still see the producer's next contents.

struct slot {
	char *data;
	int len;
	int busy;
};

int slot_consume(struct slot *s, char *buf)
{
	int len;

	/* Acquire ->busy: see the ->data and ->len the producer wrote before setting it. */
	if (!smp_load_acquire(&s->busy))
		return 0;
	len = READ_ONCE(s->len);
	memcpy(buf, READ_ONCE(s->data), len);
	smp_wmb(); /* Finish reading the slot before handing it back. */
	WRITE_ONCE(s->busy, 0);
	return len;
}

bool slot_produce(struct slot *s, char *data, int len)
{
	if (READ_ONCE(s->busy))
		return false;
	WRITE_ONCE(s->data, data);
	WRITE_ONCE(s->len, len);
	smp_wmb(); /* Write ->data and ->len before ->busy. */
	WRITE_ONCE(s->busy, 1);
	return true;
}
