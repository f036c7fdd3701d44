// SPDX-License-Identifier: GPL-2.0
/*
 * make bench: what the ->pm_async_work() series costs and what it buys.
 *
 * One source, built as a module against the unpatched base and against the
 * patched tree (scripts/run-bench.sh).  The cases that need the series are
 * built only where include/linux/pm_runtime.h defines RPM_ASYNC_WORK; the
 * others use only API that both kernels have.  Everything runs from the
 * module's init; each result is one line "pm_bench: NAME=VALUE" (times in
 * nanoseconds, per-operation costs in picoseconds), which
 * scripts/bench-report.py reads.  The module never unloads: the devices and
 * domains it registers live until the guest powers off.
 *
 * Every wait is bounded (PB_TIMEOUT); a case that times out or sees an
 * unexpected return value prints "pm_bench: error=..." and stops.
 */
#define pr_fmt(fmt) "pm_bench: " fmt

#include <linux/completion.h>
#include <linux/device.h>
#include <linux/kthread.h>
#include <linux/ktime.h>
#include <linux/module.h>
#include <linux/platform_device.h>
#include <linux/pm_domain.h>
#include <linux/pm_runtime.h>
#include <linux/slab.h>
#include <linux/sort.h>
#include <linux/wait.h>
#include <linux/workqueue.h>

/* PB_AS_BASE: make check's smoke run, on the patched kernel in A's role. */
#if defined(RPM_ASYNC_WORK) && !defined(PB_AS_BASE)
#define PB_SERIES 1
#else
#define PB_SERIES 0
#endif

static unsigned int samples = 11;
module_param(samples, uint, 0444);
MODULE_PARM_DESC(samples, "fast path: timed loops per case (the median is reported)");
static unsigned int ops = 100000;
module_param(ops, uint, 0444);
MODULE_PARM_DESC(ops, "fast path: operations per timed loop");
static unsigned int trials = 1000;
module_param(trials, uint, 0444);
MODULE_PARM_DESC(trials, "dispatch latency: trials per variant");
static unsigned int coalesce_rounds = 10;
module_param(coalesce_rounds, uint, 0444);
MODULE_PARM_DESC(coalesce_rounds, "coalescing: rounds of 1000 gets");
static unsigned int genpd_trials = 15;
module_param(genpd_trials, uint, 0444);
MODULE_PARM_DESC(genpd_trials, "genpd: trials per size");
static bool icount;
module_param(icount, bool, 0444);
MODULE_PARM_DESC(icount, "the QEMU -icount boot: only the fast path and the dispatch");

#define PB_TIMEOUT		(10 * HZ)
#define PB_GETS			1000
#define PB_THREADS		4
#define PB_GENPD_MAX_N		64
#define PB_CHAIN_DEPTH		3
#define PB_MAX_UNRELATED	1000

static const unsigned int pb_genpd_sizes[] = { 1, 4, 16, 64 };
static const unsigned int pb_unrelated_sizes[] = { 0, 100, 1000 };

static int pb_error;

#define pb_fail(fmt, ...) ({						\
	pr_notice("error=" fmt "\n", ##__VA_ARGS__);			\
	pb_error = -EIO;						\
})

static void pb_result(const char *name, u64 value)
{
	pr_notice("%s=%llu\n", name, value);
}

/* A device of the benchmark and what its driver's callbacks saw. */
struct pb_dev {
	struct platform_device *pdev;
	struct device *dev;
	atomic_t resumes;
	atomic_t suspends;
	atomic_t callbacks;
	/* ->runtime_suspend() blocks on @gate while @gated is set. */
	bool gated;
	struct completion gate;
	/* The time the callback or the work item reached its first line. */
	u64 t_first;
	struct completion reached;
	struct work_struct work;
	int work_ret;
	/* The driver binds only once the device sits in its domain. */
	bool bindable;
};

static DECLARE_WAIT_QUEUE_HEAD(pb_wq);
/* Suspends that entered the gate, and those that left it. */
static atomic_t pb_in_suspend = ATOMIC_INIT(0);
static atomic_t pb_out_suspend = ATOMIC_INIT(0);

static struct pb_dev *pb_dev(struct device *dev)
{
	return *(struct pb_dev **)dev_get_platdata(dev);
}

static int pb_runtime_suspend(struct device *dev)
{
	struct pb_dev *pbd = pb_dev(dev);

	if (READ_ONCE(pbd->gated)) {
		atomic_inc(&pb_in_suspend);
		wake_up_all(&pb_wq);
		if (!wait_for_completion_timeout(&pbd->gate, PB_TIMEOUT))
			pb_fail("genpd: a gate stayed closed");
		atomic_inc(&pb_out_suspend);
	}
	atomic_inc(&pbd->suspends);
	wake_up_all(&pb_wq);
	return 0;
}

static int pb_runtime_resume(struct device *dev)
{
	atomic_inc(&pb_dev(dev)->resumes);
	wake_up_all(&pb_wq);
	return 0;
}

static const struct dev_pm_ops pb_pm_ops = {
	SET_RUNTIME_PM_OPS(pb_runtime_suspend, pb_runtime_resume, NULL)
};

static int pb_probe(struct platform_device *pdev)
{
	if (!READ_ONCE(pb_dev(&pdev->dev)->bindable))
		return -ENODEV;
	pm_runtime_enable(&pdev->dev);
	return 0;
}

/* A driver without ->pm_async_work(), as every driver is today. */
static struct platform_driver pb_plain_driver = {
	.probe = pb_probe,
	.driver = {
		.name = "pm_bench_plain",
		.pm = &pb_pm_ops,
		.probe_type = PROBE_FORCE_SYNCHRONOUS,
	},
};

#if PB_SERIES
static void pb_async_work(struct device *dev)
{
	struct pb_dev *pbd = pb_dev(dev);

	WRITE_ONCE(pbd->t_first, ktime_get_ns());
	atomic_inc(&pbd->callbacks);
	complete(&pbd->reached);
	wake_up_all(&pb_wq);
}

/* The same driver with the callback of the series. */
static struct platform_driver pb_cb_driver = {
	.probe = pb_probe,
	.driver = {
		.name = "pm_bench_cb",
		.pm = &pb_pm_ops,
		.probe_type = PROBE_FORCE_SYNCHRONOUS,
		.pm_async_work = pb_async_work,
	},
};
#endif

/*
 * Register a platform device named @name, put it in @pd if given, then bind
 * the driver of that name (registered before).
 */
static struct pb_dev *pb_add_dev(const char *name, struct generic_pm_domain *pd)
{
	struct platform_device *pdev;
	struct pb_dev *pbd;
	int ret;

	pbd = kzalloc(sizeof(*pbd), GFP_KERNEL);
	if (!pbd) {
		pb_fail("no memory");
		return NULL;
	}
	atomic_set(&pbd->resumes, 0);
	atomic_set(&pbd->suspends, 0);
	atomic_set(&pbd->callbacks, 0);
	init_completion(&pbd->gate);
	init_completion(&pbd->reached);

	pdev = platform_device_alloc(name, PLATFORM_DEVID_AUTO);
	if (!pdev)
		goto err_free;
	ret = platform_device_add_data(pdev, &pbd, sizeof(pbd));
	if (!ret)
		ret = platform_device_add(pdev);
	if (ret) {
		platform_device_put(pdev);
		goto err_free;
	}
	pbd->pdev = pdev;
	pbd->dev = &pdev->dev;
	if (pd && pm_genpd_add_device(pd, pbd->dev))
		goto err_free;
	WRITE_ONCE(pbd->bindable, true);
	if (device_attach(pbd->dev) != 1 || !pm_runtime_enabled(pbd->dev))
		goto err_free;
	return pbd;

err_free:
	/* Leaked on purpose when registered: nothing may still point at it. */
	pb_fail("cannot register a %s device", name);
	if (!pbd->pdev)
		kfree(pbd);
	return NULL;
}

static int pb_cmp_u64(const void *a, const void *b)
{
	u64 x = *(const u64 *)a, y = *(const u64 *)b;

	return x < y ? -1 : x > y;
}

static u64 pb_median(u64 *v, unsigned int n)
{
	sort(v, n, sizeof(*v), pb_cmp_u64, NULL);
	return (v[(n - 1) / 2] + v[n / 2]) / 2;
}

/* 1, 2: the fast path on an active device. */

static u64 pb_loop_get_put(struct device *dev, unsigned int n)
{
	u64 t0 = ktime_get_ns();
	unsigned int i;

	for (i = 0; i < n; i++) {
		pm_runtime_get(dev);
		pm_runtime_put(dev);
	}
	return ktime_get_ns() - t0;
}

static u64 pb_loop_get_sync_put_noidle(struct device *dev, unsigned int n)
{
	u64 t0 = ktime_get_ns();
	unsigned int i;

	for (i = 0; i < n; i++) {
		pm_runtime_get_sync(dev);
		pm_runtime_put_noidle(dev);
	}
	return ktime_get_ns() - t0;
}

/*
 * A loop of a known instruction count (two per iteration on x86: dec, jnz),
 * so that the -icount boot can show that one nanosecond is one instruction.
 */
static u64 pb_loop_calibrate(unsigned int n)
{
	u64 t0 = ktime_get_ns();
	unsigned long left = n;

#ifdef CONFIG_X86
	asm volatile("1: dec %0\n\tjnz 1b" : "+r" (left));
#else
	while (left--)
		barrier();
#endif
	return ktime_get_ns() - t0;
}

/* Report the median of @samples loops as picoseconds per operation. */
static void pb_fast_case(const char *name, struct device *dev,
			 u64 (*loop)(struct device *dev, unsigned int n))
{
	u64 *v;
	unsigned int i;

	v = kcalloc(samples, sizeof(*v), GFP_KERNEL);
	if (!v) {
		pb_fail("no memory");
		return;
	}
	loop(dev, ops / 10 + 1);	/* warm up */
	for (i = 0; i < samples; i++)
		v[i] = div_u64(loop(dev, ops) * 1000, ops);
	pb_result(name, pb_median(v, samples));
	kfree(v);
}

static u64 pb_calibrate_adapter(struct device *dev, unsigned int n)
{
	return pb_loop_calibrate(n);
}

static void pb_fast_path(const char *prefix, struct pb_dev *pbd)
{
	int resumes = atomic_read(&pbd->resumes);
	char name[64];

	/* Hold the device active: every get finds it so, no put idles it. */
	if (pm_runtime_get_sync(pbd->dev) < 0 || pm_runtime_get(pbd->dev) != 1) {
		pb_fail("%s: device not active", prefix);
		return;
	}
	pm_runtime_put(pbd->dev);
	snprintf(name, sizeof(name), "%s_get_put_ps", prefix);
	pb_fast_case(name, pbd->dev, pb_loop_get_put);
	snprintf(name, sizeof(name), "%s_get_sync_put_noidle_ps", prefix);
	pb_fast_case(name, pbd->dev, pb_loop_get_sync_put_noidle);
	resumes = atomic_read(&pbd->resumes) - resumes;
	if (resumes > 1 || atomic_read(&pbd->callbacks))
		pb_fail("%s: %d resumes and %d callbacks on an active device",
			prefix, resumes,
			atomic_read(&pbd->callbacks));
	pm_runtime_put_sync_suspend(pbd->dev);
}

/* 3: coalescing of gets on a suspended device. */

/* Static: a getter that outlives its bounded wait must not use the stack. */
static struct pb_getter {
	struct device *dev;
	struct completion *start;
	struct completion done;
	unsigned int gets;
	/* What the gets returned: the resume queued, in progress, done. */
	unsigned int queued, resuming, active;
} pb_getters[PB_THREADS];
static DECLARE_COMPLETION(pb_start);

static int pb_getter_fn(void *data)
{
	struct pb_getter *g = data;
	unsigned int i;

	wait_for_completion_timeout(g->start, PB_TIMEOUT);
	for (i = 0; i < g->gets; i++) {
		switch (pm_runtime_get(g->dev)) {
		case 0:
			g->queued++;
			break;
		case -EINPROGRESS:
			g->resuming++;
			break;
		case 1:
			g->active++;
			break;
		default:
			pb_fail("pm_runtime_get() failed");
			break;
		}
	}
	complete(&g->done);
	return 0;
}

static int pb_suspend_now(struct pb_dev *pbd)
{
	pm_runtime_barrier(pbd->dev);
	if (!pm_runtime_status_suspended(pbd->dev)) {
		pb_fail("%s did not suspend", dev_name(pbd->dev));
		return -EIO;
	}
	return 0;
}

static void pb_coalesce(const char *prefix, struct pb_dev *pbd, bool has_cb)
{
	struct pb_getter *g = pb_getters;
	int max_resumes = 0, max_callbacks = 0, min_resumes = INT_MAX;
	int min_callbacks = INT_MAX, resumes, callbacks;
	unsigned int queued = 0, resuming = 0, active = 0;
	struct task_struct *t;
	char name[64];
	unsigned int r, i;

	for (r = 0; r < coalesce_rounds && !pb_error; r++) {
		if (pb_suspend_now(pbd))
			return;
		atomic_set(&pbd->resumes, 0);
		atomic_set(&pbd->callbacks, 0);
		reinit_completion(&pb_start);
		for (i = 0; i < PB_THREADS; i++) {
			g[i].dev = pbd->dev;
			g[i].start = &pb_start;
			g[i].gets = PB_GETS / PB_THREADS;
			g[i].queued = 0;
			g[i].resuming = 0;
			g[i].active = 0;
			init_completion(&g[i].done);
			t = kthread_run(pb_getter_fn, &g[i], "pm_bench/%u", i);
			if (IS_ERR(t))
				complete(&g[i].done);
		}
		complete_all(&pb_start);
		for (i = 0; i < PB_THREADS; i++)
			if (!wait_for_completion_timeout(&g[i].done, PB_TIMEOUT))
				pb_fail("%s: getter %u stuck", prefix, i);
		/* The resume, and the callback if any, then nothing more. */
		if (!wait_event_timeout(pb_wq, atomic_read(&pbd->resumes) &&
					(!has_cb || atomic_read(&pbd->callbacks)),
					PB_TIMEOUT))
			pb_fail("%s: no resume or callback", prefix);
		pm_runtime_barrier(pbd->dev);
		for (i = 0; i < PB_THREADS; i++) {
			queued += g[i].queued;
			resuming += g[i].resuming;
			active += g[i].active;
		}
		resumes = atomic_read(&pbd->resumes);
		callbacks = atomic_read(&pbd->callbacks);
		max_resumes = max(max_resumes, resumes);
		min_resumes = min(min_resumes, resumes);
		max_callbacks = max(max_callbacks, callbacks);
		min_callbacks = min(min_callbacks, callbacks);
		if (atomic_read(&pbd->dev->power.usage_count) != PB_GETS)
			pb_fail("%s: usage count %d after %d gets", prefix,
				atomic_read(&pbd->dev->power.usage_count), PB_GETS);
		for (i = 1; i < PB_GETS; i++)
			pm_runtime_put_noidle(pbd->dev);
		pm_runtime_put_sync_suspend(pbd->dev);
	}
	snprintf(name, sizeof(name), "%s_coalesce_rounds", prefix);
	pb_result(name, r);
	snprintf(name, sizeof(name), "%s_coalesce_gets_queued", prefix);
	pb_result(name, queued);
	snprintf(name, sizeof(name), "%s_coalesce_gets_resuming", prefix);
	pb_result(name, resuming);
	snprintf(name, sizeof(name), "%s_coalesce_gets_active", prefix);
	pb_result(name, active);
	snprintf(name, sizeof(name), "%s_coalesce_resumes_min", prefix);
	pb_result(name, min_resumes);
	snprintf(name, sizeof(name), "%s_coalesce_resumes_max", prefix);
	pb_result(name, max_resumes);
	if (!has_cb)
		return;
	snprintf(name, sizeof(name), "%s_coalesce_callbacks_min", prefix);
	pb_result(name, min_callbacks);
	snprintf(name, sizeof(name), "%s_coalesce_callbacks_max", prefix);
	pb_result(name, max_callbacks);
}

/* 4: dispatch latency, suspended device to the first line of driver code. */

static void pb_report_latency(const char *name, u64 *v, unsigned int n)
{
	char key[64];

	snprintf(key, sizeof(key), "%s_median_ns", name);
	pb_result(key, pb_median(v, n));
	/* Nearest rank: the smallest value that 99% of the trials reach. */
	snprintf(key, sizeof(key), "%s_p99_ns", name);
	pb_result(key, v[DIV_ROUND_UP(n * 99, 100) - 1]);
}

/* What drivers do today: a work item on pm_wq that resumes the device. */
static void pb_work_fn(struct work_struct *work)
{
	struct pb_dev *pbd = container_of(work, struct pb_dev, work);

	pbd->work_ret = pm_runtime_resume_and_get(pbd->dev);
	WRITE_ONCE(pbd->t_first, ktime_get_ns());
	complete(&pbd->reached);
}

/* One trial of the work item: queue it on a suspended device. */
static int pb_dispatch_work(struct pb_dev *pbd, u64 *latency)
{
	u64 t0;

	if (pb_suspend_now(pbd))
		return -EIO;
	reinit_completion(&pbd->reached);
	t0 = ktime_get_ns();
	queue_work(pm_wq, &pbd->work);
	if (!wait_for_completion_timeout(&pbd->reached, PB_TIMEOUT) || pbd->work_ret) {
		pb_fail("work item: no resume (%d)", pbd->work_ret);
		return -EIO;
	}
	*latency = READ_ONCE(pbd->t_first) - t0;
	flush_work(&pbd->work);
	pm_runtime_put_sync_suspend(pbd->dev);
	return 0;
}

/*
 * One trial of the work item as a driver writes it when it must also know
 * whether the device is active (the serial core's __uart_start(), say):
 * pm_runtime_get(), then the work item, since the device was not active.
 */
static int pb_dispatch_get_work(struct pb_dev *pbd, u64 *latency)
{
	u64 t0;

	if (pb_suspend_now(pbd))
		return -EIO;
	reinit_completion(&pbd->reached);
	t0 = ktime_get_ns();
	if (pm_runtime_get(pbd->dev) == 1) {
		pm_runtime_put_noidle(pbd->dev);
		pb_fail("get and work item: the device was active");
		return -EIO;
	}
	queue_work(pm_wq, &pbd->work);
	if (!wait_for_completion_timeout(&pbd->reached, PB_TIMEOUT) || pbd->work_ret) {
		pb_fail("get and work item: no resume (%d)", pbd->work_ret);
		return -EIO;
	}
	*latency = READ_ONCE(pbd->t_first) - t0;
	flush_work(&pbd->work);
	/* The resume pm_runtime_get() queued would keep the device up. */
	pm_runtime_barrier(pbd->dev);
	pm_runtime_put_noidle(pbd->dev);
	pm_runtime_put_sync_suspend(pbd->dev);
	return 0;
}

#if PB_SERIES
/* One trial of the callback: pm_runtime_get() on a suspended device. */
static int pb_dispatch_callback(struct pb_dev *pbd, u64 *latency)
{
	u64 t0;

	if (pb_suspend_now(pbd))
		return -EIO;
	reinit_completion(&pbd->reached);
	t0 = ktime_get_ns();
	pm_runtime_get(pbd->dev);
	if (!wait_for_completion_timeout(&pbd->reached, PB_TIMEOUT)) {
		pb_fail("callback: not called");
		return -EIO;
	}
	*latency = READ_ONCE(pbd->t_first) - t0;
	pm_runtime_barrier(pbd->dev);
	pm_runtime_put_sync_suspend(pbd->dev);
	return 0;
}
#endif

/*
 * The work item and pm_runtime_get() with the work item on @plain and, with
 * the series, the callback on @cb; which goes first rotates from trial to
 * trial, so that all see the same guest and host.
 */
static void pb_dispatch(struct pb_dev *plain, struct pb_dev *cb)
{
	static const char * const names[] = {
		"dispatch_work", "dispatch_get_work", "dispatch_callback",
	};
	unsigned int i, j, n = cb ? 3 : 2;
	u64 *lat[3] = {};
	int ret = 0;

	for (j = 0; j < n; j++) {
		lat[j] = kcalloc(trials, sizeof(*lat[j]), GFP_KERNEL);
		if (!lat[j]) {
			pb_fail("no memory");
			goto out;
		}
	}
	INIT_WORK(&plain->work, pb_work_fn);
	for (i = 0; i < trials && !ret; i++) {
		for (j = 0; j < n && !ret; j++) {
			unsigned int v = (i + j) % n;

			if (v == 0)
				ret = pb_dispatch_work(plain, &lat[v][i]);
			else if (v == 1)
				ret = pb_dispatch_get_work(plain, &lat[v][i]);
#if PB_SERIES
			else
				ret = pb_dispatch_callback(cb, &lat[v][i]);
#endif
		}
	}
	if (ret)
		goto out;
	for (j = 0; j < n; j++)
		pb_report_latency(names[j], lat[j], trials);
out:
	for (j = 0; j < n; j++)
		kfree(lat[j]);
}

/* 5: genpd. */

struct pb_pd {
	struct generic_pm_domain genpd;
	char name[24];
	int on_error;
	atomic_t *calls;
};

static atomic_t pb_chain_calls = ATOMIC_INIT(0);
static atomic_t pb_chain_ons = ATOMIC_INIT(0);
static atomic_t pb_chain_offs = ATOMIC_INIT(0);
static atomic_t pb_unrelated_calls = ATOMIC_INIT(0);
static atomic_t pb_other_calls = ATOMIC_INIT(0);

static int pb_pd_power_on(struct generic_pm_domain *genpd)
{
	struct pb_pd *pd = container_of(genpd, struct pb_pd, genpd);

	atomic_inc(pd->calls);
	if (pd->calls == &pb_chain_calls)
		atomic_inc(&pb_chain_ons);
	return READ_ONCE(pd->on_error);
}

static int pb_pd_power_off(struct generic_pm_domain *genpd)
{
	struct pb_pd *pd = container_of(genpd, struct pb_pd, genpd);

	atomic_inc(pd->calls);
	if (pd->calls == &pb_chain_calls)
		atomic_inc(&pb_chain_offs);
	return 0;
}

static struct pb_pd *pb_add_pd(const char *tag, int nr, atomic_t *calls, bool is_off)
{
	struct pb_pd *pd = kzalloc(sizeof(*pd), GFP_KERNEL);

	if (!pd)
		return NULL;
	snprintf(pd->name, sizeof(pd->name), "pm_bench-%s%d", tag, nr);
	pd->genpd.name = pd->name;
	pd->genpd.power_on = pb_pd_power_on;
	pd->genpd.power_off = pb_pd_power_off;
#ifdef GENPD_FLAG_NO_STAY_ON
	pd->genpd.flags = GENPD_FLAG_NO_STAY_ON;
#endif
	pd->calls = calls;
	/* Never removed: the domains live until the guest powers off. */
	if (pm_genpd_init(&pd->genpd, NULL, is_off)) {
		kfree(pd);
		return NULL;
	}
	return pd;
}

static struct platform_driver pb_gpd_driver = {
	.probe = pb_probe,
	.driver = {
		.name = "pm_bench_gpd",
		.pm = &pb_pm_ops,
		.probe_type = PROBE_FORCE_SYNCHRONOUS,
	},
};

/*
 * The resume latency of one device of a domain while @n other devices of it
 * are inside a slow ->runtime_suspend().
 */
static void pb_herd(const char *prefix, struct pb_dev *target,
		    struct pb_dev **others, unsigned int n)
{
	u64 *v, *first, t0;
	unsigned int t, i;
	char name[48];

	v = kcalloc(genpd_trials, sizeof(*v), GFP_KERNEL);
	first = kcalloc(genpd_trials, sizeof(*first), GFP_KERNEL);
	if (!v || !first) {
		pb_fail("no memory");
		goto out;
	}
	for (t = 0; t < genpd_trials && !pb_error; t++) {
		if (pm_runtime_get_sync(target->dev) < 0)
			pb_fail("genpd: target does not resume");
		for (i = 0; i < n; i++) {
			reinit_completion(&others[i]->gate);
			WRITE_ONCE(others[i]->gated, true);
			if (pm_runtime_get_sync(others[i]->dev) < 0)
				pb_fail("genpd: device %u does not resume", i);
		}
		/* The target suspends; the domain stays on for the others. */
		pm_runtime_put_sync_suspend(target->dev);
		atomic_set(&pb_in_suspend, 0);
		atomic_set(&pb_out_suspend, 0);
		for (i = 0; i < n; i++) {
			pm_runtime_put_noidle(others[i]->dev);
			pm_schedule_suspend(others[i]->dev, 0);
		}
		if (!wait_event_timeout(pb_wq, atomic_read(&pb_in_suspend) == n,
					PB_TIMEOUT))
			pb_fail("genpd: %d of %u suspends in flight",
				atomic_read(&pb_in_suspend), n);

		/*
		 * The first resume also pays for the caches and TLB entries
		 * that starting @n suspends took (under TCG, mostly the
		 * latter); the second, with the same @n still in flight, is
		 * genpd's own cost.  Neither may wait for the suspends: they
		 * stay blocked until both have returned.
		 */
		t0 = ktime_get_ns();
		if (pm_runtime_get_sync(target->dev) < 0)
			pb_fail("genpd: target does not resume");
		first[t] = ktime_get_ns() - t0;
		pm_runtime_put_sync_suspend(target->dev);
		t0 = ktime_get_ns();
		if (pm_runtime_get_sync(target->dev) < 0)
			pb_fail("genpd: target does not resume");
		v[t] = ktime_get_ns() - t0;
		if (atomic_read(&pb_out_suspend))
			pb_fail("%s: a suspend ended while it was blocked", prefix);

		for (i = 0; i < n; i++) {
			WRITE_ONCE(others[i]->gated, false);
			complete_all(&others[i]->gate);
		}
		for (i = 0; i < n; i++)
			if (pb_suspend_now(others[i]))
				break;
		pm_runtime_put_sync_suspend(target->dev);
	}
	if (!pb_error) {
		snprintf(name, sizeof(name), "%s_resume_inflight_%u_ns", prefix, n);
		pb_result(name, pb_median(v, genpd_trials));
		snprintf(name, sizeof(name), "%s_first_resume_inflight_%u_ns", prefix, n);
		pb_result(name, pb_median(first, genpd_trials));
	}
out:
	kfree(v);
	kfree(first);
}

static void pb_genpd_failed_power_on(struct pb_dev *pbd, struct pb_pd *leaf,
				     unsigned int unrelated)
{
	int ons = INT_MIN, offs = INT_MIN, calls = INT_MIN, ret;
	char name[48];
	unsigned int t;
	u64 *v, t0;

	v = kcalloc(genpd_trials, sizeof(*v), GFP_KERNEL);
	if (!v) {
		pb_fail("no memory");
		return;
	}
	for (t = 0; t < genpd_trials && !pb_error; t++) {
		atomic_set(&pb_chain_ons, 0);
		atomic_set(&pb_chain_offs, 0);
		atomic_set(&pb_unrelated_calls, 0);
		WRITE_ONCE(leaf->on_error, -EIO);
		t0 = ktime_get_ns();
		ret = pm_runtime_get_sync(pbd->dev);
		v[t] = ktime_get_ns() - t0;
		pm_runtime_put_noidle(pbd->dev);
		WRITE_ONCE(leaf->on_error, 0);
		if (ret != -EIO)
			pb_fail("genpd: failed power-on returned %d", ret);
		/* Every trial must count the same, or the figure means nothing. */
		if (t && (ons != atomic_read(&pb_chain_ons) ||
			  offs != atomic_read(&pb_chain_offs) ||
			  calls != atomic_read(&pb_unrelated_calls)))
			pb_fail("genpd: trials of %u differ", unrelated);
		ons = atomic_read(&pb_chain_ons);
		offs = atomic_read(&pb_chain_offs);
		calls = atomic_read(&pb_unrelated_calls);
		/* Clear the runtime error the failure left behind. */
		pm_runtime_disable(pbd->dev);
		pm_runtime_set_suspended(pbd->dev);
		pm_runtime_enable(pbd->dev);
	}
	if (pb_error)
		goto out;
	snprintf(name, sizeof(name), "genpd_failed_on_%u_power_ons", unrelated);
	pb_result(name, ons);
	snprintf(name, sizeof(name), "genpd_failed_on_%u_power_offs", unrelated);
	pb_result(name, offs);
	snprintf(name, sizeof(name), "genpd_failed_on_%u_unrelated_calls", unrelated);
	pb_result(name, calls);
	snprintf(name, sizeof(name), "genpd_failed_on_%u_ns", unrelated);
	pb_result(name, pb_median(v, genpd_trials));
out:
	kfree(v);
}

static void pb_genpd(void)
{
	struct pb_pd *chain[PB_CHAIN_DEPTH], *pd;
	struct pb_dev *target, **others;
	unsigned int i, u, registered = 0;
	struct pb_dev *pbd;

	if (platform_driver_register(&pb_gpd_driver)) {
		pb_fail("genpd: cannot register the driver");
		return;
	}
	others = kcalloc(PB_GENPD_MAX_N, sizeof(*others), GFP_KERNEL);
	pd = pb_add_pd("herd", 0, &pb_other_calls, true);
	if (!others || !pd) {
		pb_fail("genpd: no memory");
		goto out;
	}
	/*
	 * The control: the same devices in no PM domain.  What grows with N
	 * there too is not genpd's.
	 */
	target = pb_add_dev("pm_bench_gpd", NULL);
	if (!target)
		goto out;
	for (i = 0; i < PB_GENPD_MAX_N; i++) {
		others[i] = pb_add_dev("pm_bench_gpd", NULL);
		if (!others[i])
			goto out;
	}
	for (i = 0; i < ARRAY_SIZE(pb_genpd_sizes) && !pb_error; i++)
		pb_herd("nodomain", target, others, pb_genpd_sizes[i]);

	target = pb_add_dev("pm_bench_gpd", &pd->genpd);
	if (!target)
		goto out;
	for (i = 0; i < PB_GENPD_MAX_N; i++) {
		others[i] = pb_add_dev("pm_bench_gpd", &pd->genpd);
		if (!others[i])
			goto out;
	}
	for (i = 0; i < ARRAY_SIZE(pb_genpd_sizes) && !pb_error; i++)
		pb_herd("genpd", target, others, pb_genpd_sizes[i]);

	/* top -> ... -> leaf, all off; the device sits in the leaf. */
	for (i = 0; i < PB_CHAIN_DEPTH; i++) {
		chain[i] = pb_add_pd("chain", i, &pb_chain_calls, true);
		if (!chain[i] ||
		    (i && pm_genpd_add_subdomain(&chain[i - 1]->genpd, &chain[i]->genpd))) {
			pb_fail("genpd: cannot build the chain");
			goto out;
		}
	}
	pbd = pb_add_dev("pm_bench_gpd", &chain[PB_CHAIN_DEPTH - 1]->genpd);
	if (!pbd)
		goto out;
	pb_result("genpd_chain_depth", PB_CHAIN_DEPTH);
	for (u = 0; u < ARRAY_SIZE(pb_unrelated_sizes) && !pb_error; u++) {
		/* Unrelated domains, every other one on. */
		for (; registered < pb_unrelated_sizes[u]; registered++)
			if (!pb_add_pd("unrelated", registered, &pb_unrelated_calls,
				       registered % 2)) {
				pb_fail("genpd: cannot register domain %u", registered);
				goto out;
			}
		pb_genpd_failed_power_on(pbd, chain[PB_CHAIN_DEPTH - 1], registered);
	}
out:
	kfree(others);
}

static int __init pb_init(void)
{
	struct pb_dev *plain, *cb = NULL;
	int ret;

	if (!samples || !ops || !trials || !coalesce_rounds || !genpd_trials)
		return -EINVAL;
	pb_result("series", PB_SERIES);
	pb_result("sizeof_struct_device", sizeof(struct device));
	pb_result("sizeof_struct_dev_pm_info", sizeof(struct dev_pm_info));
	pb_result("sizeof_struct_device_driver", sizeof(struct device_driver));
	pb_fast_case("calibrate_2insn_loop_ps", NULL, pb_calibrate_adapter);

	ret = platform_driver_register(&pb_plain_driver);
	if (ret)
		return ret;
	plain = pb_add_dev("pm_bench_plain", NULL);
	if (plain)
		pb_fast_path("plain", plain);
#if PB_SERIES
	if (!pb_error && platform_driver_register(&pb_cb_driver))
		pb_fail("cannot register the driver with the callback");
	if (!pb_error) {
		cb = pb_add_dev("pm_bench_cb", NULL);
		if (cb) {
			pb_fast_path("cb", cb);
			if (!icount)
				pb_coalesce("cb", cb, true);
		}
	}
#endif
	if (plain && !pb_error && !icount)
		pb_coalesce("plain", plain, false);
	if (plain && !pb_error)
		pb_dispatch(plain, cb);
	if (plain && !pb_error && !icount)
		pb_genpd();
	pr_notice("done=%d\n", pb_error);
	return 0;
}
module_init(pb_init);

MODULE_DESCRIPTION("Runtime PM and genpd benchmark of the pm_async_work series");
MODULE_LICENSE("GPL");
