// Waiting for a lock holder with spin_is_locked(), then smp_acquire__after_ctrl_dep(): together with the loop's
// control dependency it orders the read of ->nr_live after the holder's critical section.

struct obj_table {
	spinlock_t lock;
	int nr_live;
	bool dead;
};

void table_kill(struct obj_table *t)
{
	spin_lock(&t->lock);
	WRITE_ONCE(t->nr_live, 0);
	WRITE_ONCE(t->dead, true);
	spin_unlock(&t->lock);
}

int table_wait_idle(struct obj_table *t)
{
	while (spin_is_locked(&t->lock))
		cpu_relax();
	smp_acquire__after_ctrl_dep();
	return READ_ONCE(t->nr_live);
}
