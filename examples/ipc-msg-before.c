// Example we wrote after the shape of ipc/msg.c's lockless receive before the fix of seed 000: smp_mb() on the
// sending side, and a receiver that spins on r_msg with no read barrier.
#include <linux/sched.h>
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
	/* volatile: the lockless receive loop must reload it. */
	struct msg_msg		*volatile r_msg;
};

struct msg_queue {
	struct kern_ipc_perm	q_perm;
	pid_t			q_lrpid;
	struct list_head	q_messages;
	struct list_head	q_receivers;
};

static void expunge_all(struct msg_queue *msq, int res)
{
	struct msg_receiver *msr, *t;

	list_for_each_entry_safe(msr, t, &msq->q_receivers, r_list) {
		msr->r_msg = NULL; /* initialize expunge ordering */
		wake_up_process(msr->r_tsk);
		/*
		 * The wakeup must be visible before r_msg is set: the receiver
		 * may return as soon as it sees r_msg.
		 */
		smp_mb();
		msr->r_msg = ERR_PTR(res);
	}
}

static int pipelined_send(struct msg_queue *msq, struct msg_msg *msg)
{
	struct msg_receiver *msr, *t;

	list_for_each_entry_safe(msr, t, &msq->q_receivers, r_list) {
		if (!testmsg(msg, msr->r_msgtype, msr->r_mode))
			continue;
		list_del(&msr->r_list);
		if (msr->r_maxsize < msg->m_ts) {
			msr->r_msg = NULL;
			wake_up_process(msr->r_tsk);
			smp_mb(); /* see barrier comment below */
			msr->r_msg = ERR_PTR(-E2BIG);
		} else {
			msr->r_msg = NULL;
			msq->q_lrpid = task_pid_vnr(msr->r_tsk);
			wake_up_process(msr->r_tsk);
			/*
			 * Make the wakeup visible before setting r_msg: the
			 * receiver depends on it.
			 */
			smp_mb();
			msr->r_msg = msg;
			return 1;
		}
	}
	return 0;
}

long do_msgsnd(struct msg_queue *msq, struct msg_msg *msg)
{
	ipc_lock_object(&msq->q_perm);
	if (!pipelined_send(msq, msg))
		list_add_tail(&msg->m_list, &msq->q_messages);
	ipc_unlock_object(&msq->q_perm);
	return 0;
}

static void freeque(struct msg_queue *msq)
{
	ipc_lock_object(&msq->q_perm);
	expunge_all(msq, -EIDRM);
	ipc_unlock_object(&msq->q_perm);
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

	/* Lockless receive: wait until the sender is past wake_up_process(). */
	msg = (struct msg_msg *)msr_d.r_msg;
	while (msg == NULL) {
		cpu_relax();
		msg = (struct msg_msg *)msr_d.r_msg;
	}
	if (msg != ERR_PTR(-EAGAIN))
		return msg->m_ts;

	ipc_lock_object(&msq->q_perm);
	msg = (struct msg_msg *)msr_d.r_msg;
	if (msg == ERR_PTR(-EAGAIN))
		list_del(&msr_d.r_list);
	ipc_unlock_object(&msq->q_perm);
	return IS_ERR(msg) ? PTR_ERR(msg) : msg->m_ts;
}
