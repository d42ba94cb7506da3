/* Audit, resync, audit again (cli/reconcile.h). */
#include "cli/reconcile.h"

#include <string.h>
#include <time.h>

#include "cli/component.h"
#include "cli/resync.h"
#include "cli/spawn.h"
#include "common/clock.h"

#define RECONCILE_STEP_MS 500
/* Drifted stores listed per service in the log. */
#define RECONCILE_LINES 5

void reconcile_config(const struct stack_info *info, const char *token,
		      struct audit_config *cfg)
{
	memset(cfg, 0, sizeof(*cfg));
	cfg->store_url = stackfile_service(info, "store");
	cfg->token = token;
	for (size_t i = 0; i < info->n && cfg->n < AUDIT_SERVICES_MAX; i++) {
		const struct stack_proc *p = &info->procs[i];
		const struct component *c = component_find(p->name);

		if (c == NULL || !c->downstream)
			continue;
		cfg->services[cfg->n].name = p->name;
		cfg->services[cfg->n++].url =
			spawn_alive(p->pid, p->program) && p->addr[0] ?
				p->addr : NULL;
	}
}

static void sleep_ms(int ms)
{
	struct timespec ts = { ms / 1000, (long)(ms % 1000) * 1000000L };

	nanosleep(&ts, NULL);
}

/* Drifted stores and services not checked in r. */
static size_t drift_size(const struct audit_report *r)
{
	size_t n = 0;

	for (size_t k = 0; k < r->n; k++)
		n += r->services[k].answered ? r->services[k].ndrift : 1;
	return n;
}

int reconcile_wait(const struct audit_config *cfg, double timeout_ms,
		   double stall_ms, volatile sig_atomic_t *cancel,
		   struct audit_report *out, char *err, size_t errlen)
{
	double now = clock_mono_ms(), deadline = now + timeout_ms;
	double progress_at = now;
	size_t least = (size_t)-1;

	for (;;) {
		if (audit_run(cfg, out, err, errlen))
			return -1;
		if (audit_converged(out))
			return 1;
		now = clock_mono_ms();
		if (drift_size(out) < least) {
			least = drift_size(out);
			progress_at = now;
		}
		if (now + RECONCILE_STEP_MS > deadline ||
		    (stall_ms > 0 && now - progress_at >= stall_ms) ||
		    (cancel != NULL && *cancel))
			return 0;
		audit_report_free(out);
		sleep_ms(RECONCILE_STEP_MS);
	}
}

/* "search 3, display 2" of the drift in r, into buf. */
static void summary(const struct audit_report *r, char *buf, size_t len)
{
	size_t used = 0;

	buf[0] = '\0';
	for (size_t k = 0; k < r->n && used + 1 < len; k++) {
		const struct audit_service *s = &r->services[k];
		int n;

		if (s->answered && s->ndrift == 0)
			continue;
		n = s->answered ?
			    snprintf(buf + used, len - used, "%s%s %zu",
				     used ? ", " : "", s->name, s->ndrift) :
			    snprintf(buf + used, len - used, "%s%s not checked",
				     used ? ", " : "", s->name);
		used = n < 0 || (size_t)n >= len - used ? len - 1 : used + (size_t)n;
	}
}

int reconcile_stack(const struct audit_config *cfg, double timeout_ms,
		    volatile sig_atomic_t *cancel, FILE *log, char *err,
		    size_t errlen)
{
	struct audit_report r;
	long long events = 0;
	size_t extra = 0;
	char what[512];
	double t0;
	int rc;

	if (audit_run(cfg, &r, err, errlen))
		return -1;
	if (audit_converged(&r)) {
		fprintf(log, "storectl: reconcile: every copy matches the store API (%zu stores, %.0f ms)\n",
			r.live + r.deleted, r.took_ms);
		audit_report_free(&r);
		return 1;
	}
	summary(&r, what, sizeof(what));
	fprintf(log, "storectl: reconcile: drift found (stores per service: %s)\n",
		what);
	rc = resync_drifted(cfg->store_url, cfg->token, &r, &events, &extra,
			    err, errlen);
	audit_report_free(&r);
	if (rc)
		return -1;
	fprintf(log, "storectl: reconcile: resync published %lld event(s)%s\n",
		events, extra ? "; ids no store ever had cannot be resynced" : "");
	t0 = clock_mono_ms();
	rc = reconcile_wait(cfg, timeout_ms, RECONCILE_STALL_MS, cancel, &r,
			    err, errlen);
	if (rc < 0)
		return -1;
	if (rc == 1) {
		fprintf(log, "storectl: reconcile: converged (%zu stores)\n",
			r.live + r.deleted);
	} else {
		summary(&r, what, sizeof(what));
		fprintf(log, "storectl: reconcile: still drifting after %.0f s (%s):\n",
			(clock_mono_ms() - t0) / 1000, what);
		audit_report_print(log, &r, RECONCILE_LINES);
	}
	audit_report_free(&r);
	return rc;
}
