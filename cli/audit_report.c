/* The audit's report: for people and as JSON. */
#include "cli/audit.h"

#include <inttypes.h>
#include <string.h>

/* Counts of s's drift by kind into by[kind]. */
static void count_kinds(const struct audit_service *s, size_t by[5])
{
	memset(by, 0, 5 * sizeof(by[0]));
	for (size_t i = 0; i < s->ndrift; i++)
		if (s->drift[i].kind >= AUDIT_MISSING &&
		    s->drift[i].kind <= AUDIT_EXTRA)
			by[s->drift[i].kind]++;
}

static void print_drift(FILE *out, const struct audit_drift *d)
{
	fprintf(out, "  store %-6" PRId64 " %-8s ", d->id, audit_kind_name(d->kind));
	switch (d->kind) {
	case AUDIT_MISSING:
		if (d->held_version > 0)
			fprintf(out, "v%" PRId64 " in the store; deleted in the copy (v%" PRId64 ")\n",
				d->version, d->held_version);
		else
			fprintf(out, "v%" PRId64 " in the store; not in the copy\n",
				d->version);
		break;
	case AUDIT_STALE:
		fprintf(out, "v%" PRId64 " in the store, v%" PRId64 " in the copy; differs in %s\n",
			d->version, d->held_version, d->fields);
		break;
	case AUDIT_DELETED:
		fprintf(out, "deleted in the store (v%" PRId64 "); live in the copy (v%" PRId64 ")\n",
			d->version, d->held_version);
		break;
	case AUDIT_EXTRA:
		fprintf(out, "no store ever had it; live in the copy (v%" PRId64 ")\n",
			d->held_version);
		break;
	}
}

void audit_report_print(FILE *out, const struct audit_report *r,
			size_t max_lines)
{
	static const char *const kinds[] = { NULL, "missing", "stale",
					     "deleted", "extra" };

	fprintf(out, "store API: %zu live stores, %zu deleted\n", r->live,
		r->deleted);
	for (size_t k = 0; k < r->n; k++) {
		const struct audit_service *s = &r->services[k];
		size_t by[5], shown = 0;

		if (!s->answered) {
			fprintf(out, "%-10s NOT CHECKED: %s\n", s->name, s->error);
			continue;
		}
		if (s->ndrift == 0) {
			fprintf(out, "%-10s converged (%zu stores)\n", s->name,
				s->checked);
			continue;
		}
		count_kinds(s, by);
		fprintf(out, "%-10s DRIFT in %zu of %zu stores:", s->name,
			s->ndrift, s->checked);
		for (int kind = AUDIT_MISSING; kind <= AUDIT_EXTRA; kind++)
			if (by[kind] > 0)
				fprintf(out, "%s %zu %s", shown++ ? "," : "",
					by[kind], kinds[kind]);
		fputc('\n', out);
		for (size_t i = 0; i < s->ndrift; i++) {
			if (max_lines > 0 && i == max_lines) {
				fprintf(out, "  ... and %zu more (--json lists them all)\n",
					s->ndrift - i);
				break;
			}
			print_drift(out, &s->drift[i]);
		}
	}
}

/* "name, menu" into ["name","menu"]. */
static json_t *fields_json(const char *fields)
{
	json_t *list = json_array();

	for (const char *p = fields; *p != '\0';) {
		size_t n = strcspn(p, ",");

		json_array_append_new(list, json_stringn(p, n));
		p += n;
		while (*p == ',' || *p == ' ')
			p++;
	}
	return list;
}

json_t *audit_report_json(const struct audit_report *r)
{
	json_t *services = json_object();

	for (size_t k = 0; k < r->n; k++) {
		const struct audit_service *s = &r->services[k];
		json_t *drift = json_array();

		for (size_t i = 0; i < s->ndrift; i++) {
			const struct audit_drift *d = &s->drift[i];
			json_t *item = json_pack("{s:I, s:s, s:I, s:I}", "id",
						 (json_int_t)d->id, "kind",
						 audit_kind_name(d->kind),
						 "held_version",
						 (json_int_t)d->held_version,
						 "version", (json_int_t)d->version);

			if (d->kind == AUDIT_STALE)
				json_object_set_new(item, "fields",
						    fields_json(d->fields));
			json_array_append_new(drift, item);
		}
		json_object_set_new(
			services, s->name,
			json_pack("{s:s, s:b, s:o, s:I, s:b, s:o}", "url", s->url,
				  "answered", s->answered, "error",
				  s->answered ? json_null() : json_string(s->error),
				  "checked", (json_int_t)s->checked, "converged",
				  s->answered && s->ndrift == 0, "drift", drift));
	}
	return json_pack("{s:b, s:{s:I, s:I}, s:f, s:o}", "converged",
			 audit_converged(r), "stores", "live",
			 (json_int_t)r->live, "deleted", (json_int_t)r->deleted,
			 "took_ms", r->took_ms, "services", services);
}
