// Waiting for a lock holder with spin_is_locked(): the loop's exit is a control dependency, which orders later
// stores but not later loads, so the read of ->nr_live after it needs smp_acquire__after_ctrl_dep().

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
	return READ_ONCE(t->nr_live);
}
