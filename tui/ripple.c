#include "tui/ripple.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

void tui_ripple_start(struct tui_ripple *rp, int64_t store_id,
		      int64_t version, const char *verb, double now_ms)
{
	memset(rp, 0, sizeof(*rp));
	rp->active = 1;
	rp->store_id = store_id;
	rp->version = version;
	rp->started_ms = now_ms;
	snprintf(rp->verb, sizeof(rp->verb), "%s", verb ? verb : "saved");
}

/* Appends printf text to buf (always terminated, cut when full). */
static void add(char *buf, size_t len, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static void add(char *buf, size_t len, const char *fmt, ...)
{
	size_t used = strlen(buf);
	va_list ap;

	if (used + 1 >= len)
		return;
	va_start(ap, fmt);
	vsnprintf(buf + used, len - used, fmt, ap);
	va_end(ap);
}

static void add_ms(char *buf, size_t len, double ms)
{
	if (ms < 1.0)
		add(buf, len, "%.1f ms", ms);
	else if (ms < 10000.0)
		add(buf, len, "%.0f ms", ms);
	else
		add(buf, len, "%.1f s", ms / 1000.0);
}

enum tui_say tui_ripple_describe(struct tui_ripple *rp,
				 const struct stream_model *m,
				 const struct stream_row *row,
				 const char *const *expected, size_t n,
				 double now_ms, char *buf, size_t len)
{
	const char *pending[STREAM_SERVICES_MAX], *failed[STREAM_SERVICES_MAX];
	const char *failed_why[STREAM_SERVICES_MAX];
	size_t npending = 0, nfailed = 0, ndone = 0;
	double slowest = 0;
	int late = now_ms - rp->started_ms >= TUI_RIPPLE_WAIT_MS;

	buf[0] = '\0';
	add(buf, len, "%s v%lld", rp->verb, (long long)rp->version);
	if (n == 0) {
		add(buf, len, " (no downstream services known)");
		rp->done = 1;
		return TUI_SAY_GOOD;
	}
	if (n > STREAM_SERVICES_MAX)
		n = STREAM_SERVICES_MAX;
	for (size_t i = 0; i < n; i++) {
		int s = stream_model_service(m, expected[i]);
		const struct stream_cell *cell =
			row != NULL && s >= 0 ? &row->cell[s] : NULL;

		if (cell == NULL || cell->state == STREAM_CELL_NONE) {
			pending[npending++] = expected[i];
			continue;
		}
		if (cell->state == STREAM_CELL_FAILED) {
			failed_why[nfailed] = cell->error;
			failed[nfailed++] = expected[i];
			continue;
		}
		ndone++;
		if (cell->lag_ms > slowest)
			slowest = cell->lag_ms;
	}
	rp->done = npending == 0;
	if (npending == 0 && nfailed == 0) {
		add(buf, len, ": propagated to %zu/%zu services in ", ndone, n);
		add_ms(buf, len, slowest);
		return TUI_SAY_GOOD;
	}
	add(buf, len, ": propagated to %zu/%zu services", ndone, n);
	if (ndone > 0) {
		add(buf, len, " in ");
		add_ms(buf, len, slowest);
	}
	for (size_t i = 0; i < nfailed; i++)
		add(buf, len, "; %s FAILED%s%s", failed[i],
		    failed_why[i][0] ? ": " : "", failed_why[i]);
	if (npending > 0) {
		if (late)
			add(buf, len, "; no reaction after %.0f s from ",
			    (now_ms - rp->started_ms) / 1000.0);
		else
			add(buf, len, "; pending: ");
		for (size_t i = 0; i < npending; i++)
			add(buf, len, "%s%s", i ? ", " : "", pending[i]);
	}
	if (nfailed > 0 || late)
		return TUI_SAY_WARN;
	return TUI_SAY_INFO;
}
