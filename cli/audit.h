#ifndef STORECTL_AUDIT_H
#define STORECTL_AUDIT_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include <jansson.h>

/*
 * storectl audit: compares every downstream service's copy with the store
 * API, the source of truth, and reports the drift per service and store.
 *
 * The truth is every live store (paged GET /stores) and every tombstone
 * (GET /stores?ids= for the ids between and after them, and for ids a
 * copy holds that the store API did not list). A copy is read from the
 * service's GET /replica/stores (paged); display-svc's rows are its
 * documents.
 *
 * A copy is compared on the columns it keeps, not on versions: a service
 * skips events that touch none of its columns, so its version of a store
 * may rightly lag. Drift is one of:
 *
 *   missing  the store is live, the copy has it not (or as deleted)
 *   stale    the copy has it, but a kept column differs from the store's
 *   deleted  the store is deleted, the copy still has it live
 *   extra    no store ever had this id, the copy has it live
 *
 * A service that does not answer counts as not converged.
 */

#define AUDIT_SERVICES_MAX 8
#define AUDIT_FIELDS_MAX 160

enum audit_kind {
	AUDIT_MISSING = 1,
	AUDIT_STALE,
	AUDIT_DELETED,
	AUDIT_EXTRA,
};

/* "missing", "stale", "deleted", "extra". */
const char *audit_kind_name(enum audit_kind kind);

struct audit_drift {
	int64_t id;
	enum audit_kind kind;
	int64_t held_version;  /* the copy's version, 0 when it has none */
	int64_t version;       /* the store's version, 0 when it never existed */
	char fields[AUDIT_FIELDS_MAX]; /* stale: the columns that differ */
};

/* One service's result. */
struct audit_service {
	char name[16];           /* "search", as in stack.json */
	char url[512];
	int answered;            /* its copy could be read */
	char error[256];         /* when not: why */
	size_t checked;          /* stores compared */
	struct audit_drift *drift;
	size_t ndrift;
};

struct audit_report {
	size_t live, deleted;    /* stores in the store API */
	double took_ms;
	size_t n;
	struct audit_service services[AUDIT_SERVICES_MAX];
};

/* Where to look. */
struct audit_config {
	const char *store_url;
	const char *token;       /* an operator's (reads every store) */
	size_t n;                /* services to audit */
	struct {
		const char *name;    /* "search", ..., "display" */
		const char *url;     /* NULL: not running (reported as such) */
	} services[AUDIT_SERVICES_MAX];
};

/*
 * Runs the audit into out (free it with audit_report_free). Returns 0 when
 * it ran (whatever it found), or -1 with err when the store API could not
 * be read (out is then empty).
 */
int audit_run(const struct audit_config *cfg, struct audit_report *out,
	      char *err, size_t errlen);

/* 1 when every service answered and none drifted. */
int audit_converged(const struct audit_report *r);

void audit_report_free(struct audit_report *r);

/*
 * The report for people: one line per service, then one per drifted store
 * (at most max_lines of them per service, 0 for all).
 */
void audit_report_print(FILE *out, const struct audit_report *r,
			size_t max_lines);

/*
 * The report as JSON (a new reference):
 *   {"converged":false,"stores":{"live":240,"deleted":3},"took_ms":85.1,
 *    "services":{"search":{"url":"...","answered":true,"error":null,
 *      "checked":243,"converged":false,"drift":[{"id":5,"kind":"stale",
 *      "held_version":3,"version":4,"fields":["name"]}]}, ...}}
 */
json_t *audit_report_json(const struct audit_report *r);

/* ---- The comparison itself (cli/audit_compare.c), pure ------------- */

/* What the store API says of one id. */
struct audit_truth {
	int64_t id;
	int64_t version;     /* 0 when no store ever had it */
	int deleted;
	const json_t *store; /* the store's JSON when live, else NULL */
};

/*
 * Compares one service's copy of a store: row is the copy (a
 * /replica/stores row), NULL when the copy has nothing. Fills d (id, versions,
 * kind and fields) and returns 1 on drift, 0 when converged.
 */
int audit_compare(const char *service, const struct audit_truth *t,
		  const json_t *row, struct audit_drift *d);

#endif
