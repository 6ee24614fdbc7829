// Example we wrote after the shape of the muxed IPI messages of seed 002 after its fix: a full barrier orders the
// message before the IPI, and the handler takes the messages with a fully ordered xchg().
#include <linux/smp.h>
#include <linux/percpu.h>

struct cpu_messages {
	unsigned long messages;
};

struct smp_ops_t {
	void (*cause_ipi)(int cpu);
};

static DEFINE_PER_CPU_SHARED_ALIGNED(struct cpu_messages, ipi_message);
static struct smp_ops_t *smp_ops;

void smp_muxed_ipi_message_pass(int cpu, int msg)
{
	struct cpu_messages *info = &per_cpu(ipi_message, cpu);

	set_bit(msg, &info->messages);
	/*
	 * Order the message before the IPI: everything done before the IPI
	 * must be visible to its handler, which pairs with xchg() below.
	 */
	smp_mb();
	smp_ops->cause_ipi(cpu);
}

irqreturn_t smp_ipi_demux(void)
{
	struct cpu_messages *info = this_cpu_ptr(&ipi_message);
	unsigned long all;

	do {
		/* xchg() is fully ordered, unlike xchg_local(). */
		all = xchg(&info->messages, 0);
		if (all & (1 << PPC_MSG_RESCHEDULE))
			scheduler_ipi();
		if (all & (1 << PPC_MSG_CALL_FUNCTION))
			generic_smp_call_function_interrupt();
	} while (READ_ONCE(info->messages));

	return IRQ_HANDLED;
}
