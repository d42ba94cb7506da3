#ifndef STORECTL_RECONCILE_H
#define STORECTL_RECONCILE_H

#include <signal.h>
#include <stddef.h>
#include <stdio.h>

#include "cli/audit.h"
#include "cli/stackfile.h"

/*
 * Bringing the copies of an embedded stack back in line with the store
 * API: audit, resync what drifted, audit again until converged. 'storectl
 * up' runs it on a state directory that has data, because the embedded
 * broker forgot every event (KAFKA-NOTES.md), so a change a service never
 * consumed would otherwise stay missing for good.
 */

/*
 * How long 'up' waits for the copies to converge after a resync, and how
 * long it waits for drift that does not shrink (a copy the consumers do
 * not repair); the first includes joining the consumer groups.
 */
#define RECONCILE_TIMEOUT_MS 30000
#define RECONCILE_STALL_MS 10000

/*
 * The audit of info's stack as token (an operator's): its store-svc and
 * every downstream service it records, those not running with no URL (so
 * the audit reports them). The strings point into info.
 */
void reconcile_config(const struct stack_info *info, const char *token,
		      struct audit_config *cfg);

/*
 * Audits cfg until it converged or timeout_ms passed (0: once), every
 * half second, stopping early when *cancel (may be NULL) becomes non-zero,
 * or, when stall_ms > 0, when the drift has not shrunk for that long.
 * *out holds the last report (free it with audit_report_free). Returns 1
 * when converged, 0 when not, -1 with err when the store API could not be
 * read.
 */
int reconcile_wait(const struct audit_config *cfg, double timeout_ms,
		   double stall_ms, volatile sig_atomic_t *cancel,
		   struct audit_report *out, char *err, size_t errlen);

/*
 * Audit, resync what drifted, wait up to timeout_ms for convergence;
 * tells what it does on log, one line per step. Returns 1 when converged,
 * 0 when drift remains (listed on log), -1 with err when it could not
 * run.
 */
int reconcile_stack(const struct audit_config *cfg, double timeout_ms,
		    volatile sig_atomic_t *cancel, FILE *log, char *err,
		    size_t errlen);

#endif
