// Handing a buffer slot back to its producer (load buffering), fixed: the consumer clears ->busy with
// smp_store_release(), which orders its earlier reads of the slot; the producer's stores depend on its test of ->busy.

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
	/* Release the slot: finish reading it before the producer can refill it. */
	smp_store_release(&s->busy, 0);
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
