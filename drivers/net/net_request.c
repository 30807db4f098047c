/* SPDX-License-Identifier: MIT */
/*
 * DOC: net_request.c - work of the network services that runs outside net_lock
 *
 * A service queues a struct net_request under net_lock; an idle CPU takes
 * it (net_exec_do_work) and runs run() with no lock held, so it may take
 * the hotplug lock or run a shell command for as long as that takes, while
 * other CPUs keep serving the network. Then the request moves to the
 * finished list and the next net_poll() calls done() under net_lock.
 * Requests run in the order queued; several CPUs may run different ones
 * at once (shell commands serialize themselves in shell_exec).
 */
#include "drivers/net/netdev.h"
#include "arch/x86_64/spinlock.h"
#include "arch/x86_64/tsc.h"

static DEFINE_SPINLOCK(req_lock);
static struct net_request *pending_head, **pending_tail = &pending_head;
static struct net_request *finished_head, **finished_tail = &finished_head;
static unsigned long nr_pending, nr_finished, nr_total;

void net_request_queue(struct net_request *req)
{
	unsigned long flags;

	req->next = NULL;
	req->queued_ns = ktime_get_ns();
	spin_lock_irqsave(&req_lock, flags);
	*pending_tail = req;
	pending_tail = &req->next;
	nr_pending++;
	nr_total++;
	spin_unlock_irqrestore(&req_lock, flags);
}

bool net_work_pending(void)
{
	return READ_ONCE(pending_head) != NULL;
}

bool net_exec_do_work(void)
{
	struct net_request *req;
	unsigned long flags;

	if (!READ_ONCE(pending_head))
		return false;
	spin_lock_irqsave(&req_lock, flags);
	req = pending_head;
	if (req) {
		pending_head = req->next;
		if (!pending_head)
			pending_tail = &pending_head;
		nr_pending--;
	}
	spin_unlock_irqrestore(&req_lock, flags);
	if (!req)
		return false;
	req->run(req);
	spin_lock_irqsave(&req_lock, flags);
	req->next = NULL;
	*finished_tail = req;
	finished_tail = &req->next;
	nr_finished++;
	spin_unlock_irqrestore(&req_lock, flags);
	net_poll();	/* send the answer now if nobody else polls */
	return true;
}

void net_request_run_done(void);
void net_request_run_done(void)
{
	struct net_request *req, *next;
	unsigned long flags;

	if (!READ_ONCE(finished_head))
		return;
	spin_lock_irqsave(&req_lock, flags);
	req = finished_head;
	finished_head = NULL;
	finished_tail = &finished_head;
	nr_finished = 0;
	spin_unlock_irqrestore(&req_lock, flags);
	for (; req; req = next) {
		next = req->next;
		req->done(req);
	}
}

void net_request_counts(unsigned long *queued, unsigned long *finished, unsigned long *total)
{
	*queued = READ_ONCE(nr_pending);
	*finished = READ_ONCE(nr_finished);
	*total = READ_ONCE(nr_total);
}
