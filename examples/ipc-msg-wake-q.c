// Example we wrote after the shape of ipc/msg.c once seed 001 moved wakeups to a wake_q: r_msg is published with
// WRITE_ONCE() before the deferred wakeup and read with READ_ONCE() by the woken receiver.
#include <linux/sched/wake_q.h>
#include <linux/list.h>

struct msg_msg {
	struct list_head m_list;
	long m_type;
	size_t m_ts;
};

struct msg_receiver {
	struct list_head	r_list;
	struct task_struct	*r_tsk;
	int			r_mode;
	long			r_msgtype;
	long			r_maxsize;
	struct msg_msg		*r_msg;
};

struct msg_queue {
	struct kern_ipc_perm	q_perm;
	pid_t			q_lrpid;
	struct list_head	q_messages;
	struct list_head	q_receivers;
};

static void expunge_all(struct msg_queue *msq, int res, struct wake_q_head *wake_q)
{
	struct msg_receiver *msr, *t;

	list_for_each_entry_safe(msr, t, &msq->q_receivers, r_list) {
		wake_q_add(wake_q, msr->r_tsk);
		WRITE_ONCE(msr->r_msg, ERR_PTR(res));
	}
}

static int pipelined_send(struct msg_queue *msq, struct msg_msg *msg, struct wake_q_head *wake_q)
{
	struct msg_receiver *msr, *t;

	list_for_each_entry_safe(msr, t, &msq->q_receivers, r_list) {
		if (!testmsg(msg, msr->r_msgtype, msr->r_mode))
			continue;
		list_del(&msr->r_list);
		if (msr->r_maxsize < msg->m_ts) {
			wake_q_add(wake_q, msr->r_tsk);
			WRITE_ONCE(msr->r_msg, ERR_PTR(-E2BIG));
		} else {
			msq->q_lrpid = task_pid_vnr(msr->r_tsk);
			wake_q_add(wake_q, msr->r_tsk);
			WRITE_ONCE(msr->r_msg, msg);
			return 1;
		}
	}
	return 0;
}

long do_msgsnd(struct msg_queue *msq, struct msg_msg *msg)
{
	DEFINE_WAKE_Q(wake_q);

	ipc_lock_object(&msq->q_perm);
	if (!pipelined_send(msq, msg, &wake_q))
		list_add_tail(&msg->m_list, &msq->q_messages);
	ipc_unlock_object(&msq->q_perm);
	wake_up_q(&wake_q);
	return 0;
}

static void freeque(struct msg_queue *msq)
{
	DEFINE_WAKE_Q(wake_q);

	ipc_lock_object(&msq->q_perm);
	expunge_all(msq, -EIDRM, &wake_q);
	ipc_unlock_object(&msq->q_perm);
	wake_up_q(&wake_q);
}

long do_msgrcv(struct msg_queue *msq, long msgtyp, int mode, size_t bufsz)
{
	struct msg_receiver msr_d;
	struct msg_msg *msg;

	ipc_lock_object(&msq->q_perm);
	list_add_tail(&msr_d.r_list, &msq->q_receivers);
	msr_d.r_tsk = current;
	msr_d.r_msgtype = msgtyp;
	msr_d.r_mode = mode;
	msr_d.r_maxsize = bufsz;
	msr_d.r_msg = ERR_PTR(-EAGAIN);
	__set_current_state(TASK_INTERRUPTIBLE);
	ipc_unlock_object(&msq->q_perm);

	schedule();

	/*
	 * Lockless receive: the sender set r_msg before queueing our wakeup,
	 * so either we see the message, or -EAGAIN and recheck under the lock.
	 */
	msg = READ_ONCE(msr_d.r_msg);
	if (msg != ERR_PTR(-EAGAIN))
		return IS_ERR(msg) ? PTR_ERR(msg) : msg->m_ts;

	ipc_lock_object(&msq->q_perm);
	msg = msr_d.r_msg;
	if (msg == ERR_PTR(-EAGAIN))
		list_del(&msr_d.r_list);
	ipc_unlock_object(&msq->q_perm);
	return IS_ERR(msg) ? PTR_ERR(msg) : msg->m_ts;
}
