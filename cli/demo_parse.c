/*
 * The demo script parser: text in, steps out, every problem reported with
 * its line before anything runs. Pure: no I/O.
 */
#include "cli/demo.h"

#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "broker/control_names.h"
#include "cli/component.h"
#include "cli/stackctl.h"

#define DEMO_ERRORS_MAX 12
#define DEMO_TOKENS_MAX 128

/* One word of a line, after quotes were removed. */
struct demo_tok {
	char *s;
	int quoted;
};

struct demo_parser {
	const char *name;
	struct demo_script *out;
	size_t cap;
	int line;
	/* Variables set by the 'create' steps so far. */
	char (*vars)[DEMO_VAR_MAX];
	size_t nvars, varcap;
	/* The store of the latest step that named one (defaults). */
	struct demo_ref last;
	int have_last;
	/* Problems found. */
	char *err;
	size_t errlen, errused;
	int errors;
	int oom;
	/* Words of the current line; buf holds their text. */
	struct demo_tok tok[DEMO_TOKENS_MAX];
	size_t ntok;
	char buf[2 * DEMO_LINE_MAX + 2];
};

static const char *const demo_kind_names[] = {
	[DEMO_CAPTION] = "caption",
	[DEMO_PAUSE] = "pause",
	[DEMO_EDIT] = "edit",
	[DEMO_CREATE] = "create",
	[DEMO_DELETE] = "delete",
	[DEMO_BURST] = "burst",
	[DEMO_WAIT_PROPAGATED] = "wait propagated",
	[DEMO_WAIT_FAILED] = "wait failed",
	[DEMO_STOP] = "stop",
	[DEMO_START] = "start",
	[DEMO_KILL] = "kill",
	[DEMO_EXPECT_SEARCH] = "expect search",
	[DEMO_EXPECT_STORE] = "expect store",
	[DEMO_SHOW_STORE] = "show store",
	[DEMO_SHOW_SEARCH] = "show search",
	[DEMO_FAULT_API] = "fault api",
	[DEMO_FAULT_BROKER] = "fault broker",
	[DEMO_EXPECT_LIST] = "expect list",
	[DEMO_EXPECT_BREAKER] = "expect breaker",
	[DEMO_EXPECT_AUDIT] = "expect audit",
};

const char *demo_kind_name(enum demo_kind kind)
{
	return (size_t)kind < sizeof(demo_kind_names) / sizeof(demo_kind_names[0]) ?
		       demo_kind_names[kind] : "?";
}

static void problem(struct demo_parser *p, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static void problem(struct demo_parser *p, const char *fmt, ...)
{
	va_list ap;
	int n;

	p->errors++;
	if (p->errors > DEMO_ERRORS_MAX || p->errused + 1 >= p->errlen)
		return;
	n = snprintf(p->err + p->errused, p->errlen - p->errused, "%s%s:%d: ",
		     p->errused ? "\n" : "", p->name, p->line);
	if (n < 0 || (size_t)n >= p->errlen - p->errused) {
		p->errused = p->errlen - 1;
		return;
	}
	p->errused += (size_t)n;
	va_start(ap, fmt);
	n = vsnprintf(p->err + p->errused, p->errlen - p->errused, fmt, ap);
	va_end(ap);
	if (n < 0 || (size_t)n >= p->errlen - p->errused)
		p->errused = p->errlen - 1;
	else
		p->errused += (size_t)n;
}

/* Whether s[0..len) is UTF-8 without control characters other than tab. */
static int text_ok(const unsigned char *s, size_t len)
{
	size_t i = 0;

	while (i < len) {
		unsigned c = s[i];
		size_t k;
		unsigned cp;

		if (c < 0x80) {
			if ((c < 0x20 && c != '\t') || c == 0x7f)
				return 0;
			i++;
			continue;
		}
		if (c >= 0xC2 && c <= 0xDF) {
			k = 1;
			cp = c & 0x1F;
		} else if (c >= 0xE0 && c <= 0xEF) {
			k = 2;
			cp = c & 0x0F;
		} else if (c >= 0xF0 && c <= 0xF4) {
			k = 3;
			cp = c & 0x07;
		} else {
			return 0;
		}
		if (len - i < k + 1)
			return 0;
		for (size_t j = 1; j <= k; j++) {
			if ((s[i + j] & 0xC0) != 0x80)
				return 0;
			cp = (cp << 6) | (s[i + j] & 0x3F);
		}
		if ((k == 2 && (cp < 0x800 || (cp >= 0xD800 && cp <= 0xDFFF))) ||
		    (k == 3 && (cp < 0x10000 || cp > 0x10FFFF)) ||
		    (cp >= 0x80 && cp <= 0x9F))
			return 0;
		i += k + 1;
	}
	return 1;
}

/* Whether s is one JSON value (any type). */
static int json_text_ok(const char *s)
{
	json_error_t jerr;
	json_t *v = json_loads(s, JSON_DECODE_ANY, &jerr);

	json_decref(v);
	return v != NULL;
}

static int is_name_start(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
}

static int is_name_char(char c)
{
	return is_name_start(c) || (c >= '0' && c <= '9');
}

/* Length of the variable name at s (after the '$'), 0 when none. */
static size_t var_len(const char *s)
{
	size_t n = 0;

	if (!is_name_start(s[0]))
		return 0;
	while (is_name_char(s[n]))
		n++;
	return n;
}

static int var_known(const struct demo_parser *p, const char *name,
		     size_t len)
{
	for (size_t i = 0; i < p->nvars; i++)
		if (strlen(p->vars[i]) == len && memcmp(p->vars[i], name, len) == 0)
			return 1;
	return 0;
}

/* Checks the $name uses of text; reports each problem. */
static void check_text_vars(struct demo_parser *p, const char *what,
			    const char *text)
{
	for (const char *s = text; (s = strchr(s, '$')) != NULL;) {
		size_t n;

		if (s[1] == '$') {
			s += 2;
			continue;
		}
		n = var_len(s + 1);
		if (n == 0) {
			problem(p, "%s: a '$' must start a variable ($name); write $$ for a dollar sign",
				what);
			return;
		}
		if (n >= DEMO_VAR_MAX || !var_known(p, s + 1, n)) {
			problem(p, "%s: $%.*s is not set by an earlier 'create $%.*s ...'",
				what, (int)n, s + 1, (int)n, s + 1);
			return;
		}
		s += 1 + n;
	}
}

/*
 * Splits line into words: blanks separate them, "..." and '...' quote
 * (with \" and \\ inside double quotes), an unquoted '#' at the start of a
 * word starts a comment. A '$' inside single quotes is kept literal by
 * doubling it. Returns 0, or -1 after reporting.
 */
static int tokenize(struct demo_parser *p, const char *s)
{
	char *o = p->buf;

	p->ntok = 0;
	for (;;) {
		struct demo_tok *t;

		while (*s == ' ' || *s == '\t')
			s++;
		if (*s == '\0' || *s == '#')
			return 0;
		if (p->ntok == DEMO_TOKENS_MAX) {
			problem(p, "more than %d words on one line",
				DEMO_TOKENS_MAX);
			return -1;
		}
		t = &p->tok[p->ntok++];
		t->s = o;
		t->quoted = 0;
		while (*s != '\0' && *s != ' ' && *s != '\t') {
			if (*s == '"') {
				t->quoted = 1;
				for (s++; *s != '\0' && *s != '"'; s++) {
					if (*s == '\\' && (s[1] == '"' || s[1] == '\\'))
						s++;
					*o++ = *s;
				}
				if (*s == '\0') {
					problem(p, "a double quote is not closed");
					return -1;
				}
				s++;
			} else if (*s == '\'') {
				t->quoted = 1;
				for (s++; *s != '\0' && *s != '\''; s++) {
					if (*s == '$')
						*o++ = '$';
					*o++ = *s;
				}
				if (*s == '\0') {
					problem(p, "a single quote is not closed");
					return -1;
				}
				s++;
			} else {
				*o++ = *s++;
			}
		}
		*o++ = '\0';
	}
}

static char *dup_or_oom(struct demo_parser *p, const char *s)
{
	char *d = strdup(s);

	if (d == NULL)
		p->oom = 1;
	return d;
}

/* Parses a store reference; 0, or -1 after reporting. */
static int parse_ref(struct demo_parser *p, const struct demo_tok *t,
		     struct demo_ref *ref)
{
	memset(ref, 0, sizeof(*ref));
	if (t->s[0] == '$') {
		size_t n = var_len(t->s + 1);

		if (n == 0 || t->s[1 + n] != '\0' || n >= DEMO_VAR_MAX) {
			problem(p, "\"%s\" is not a store: give an id or a $variable",
				t->s);
			return -1;
		}
		if (!var_known(p, t->s + 1, n)) {
			problem(p, "%s is not set by an earlier 'create %s ...'",
				t->s, t->s);
			return -1;
		}
		memcpy(ref->var, t->s + 1, n + 1);
	} else {
		char *end;
		long long v;

		errno = 0;
		v = strtoll(t->s, &end, 10);
		if (!isdigit((unsigned char)t->s[0]) || *end != '\0' ||
		    errno != 0 || v < 1) {
			problem(p, "\"%s\" is not a store: give an id (1, 2, ...) or a $variable",
				t->s);
			return -1;
		}
		ref->id = v;
	}
	p->last = *ref;
	p->have_last = 1;
	return 0;
}

static int looks_like_ref(const char *s)
{
	return s[0] == '$' || isdigit((unsigned char)s[0]);
}

/* Seconds: a positive number, optionally followed by 's'. */
static int parse_seconds(struct demo_parser *p, const char *what,
			 const char *s, double max, double *out)
{
	char *end;
	double v;

	errno = 0;
	v = strtod(s, &end);
	if (end != s && *end == 's')
		end++;
	if (end == s || *end != '\0' || errno != 0 || !isfinite(v) ||
	    v <= 0 || v > max || !isdigit((unsigned char)s[0])) {
		problem(p, "%s: \"%s\" is not a number of seconds from 0 to %g",
			what, s, max);
		return -1;
	}
	*out = v;
	return 0;
}

/*
 * Parses an optional trailing "within SECONDS" at word i; sets *seconds
 * (to dflt when absent). Returns the index after it, or -1 after
 * reporting.
 */
static int parse_within(struct demo_parser *p, const char *what, size_t i,
			double dflt, double *seconds)
{
	*seconds = dflt;
	if (i >= p->ntok)
		return (int)i;
	if (strcmp(p->tok[i].s, "within") != 0 || p->tok[i].quoted)
		return (int)i;
	if (i + 1 >= p->ntok) {
		problem(p, "%s: 'within' needs a number of seconds", what);
		return -1;
	}
	if (parse_seconds(p, what, p->tok[i + 1].s, DEMO_WITHIN_MAX, seconds))
		return -1;
	return (int)i + 2;
}

static int no_more(struct demo_parser *p, const char *what, size_t i,
		   const char *expected)
{
	if (i < p->ntok) {
		problem(p, "%s: unexpected \"%s\"%s%s", what, p->tok[i].s,
			expected ? "; expected " : "", expected ? expected : "");
		return -1;
	}
	return 0;
}

static int field_name_ok(const char *s, size_t n)
{
	if (n == 0 || n > 40 || !(s[0] >= 'a' && s[0] <= 'z'))
		return 0;
	for (size_t i = 0; i < n; i++)
		if (!((s[i] >= 'a' && s[i] <= 'z') || (s[i] >= '0' && s[i] <= '9') ||
		      s[i] == '_'))
			return 0;
	return 1;
}

/* FIELD=VALUE / FIELD:=JSON words from i on, into st. */
static int parse_assigns(struct demo_parser *p, struct demo_step *st,
			 size_t i, const char *what)
{
	size_t n = p->ntok - i;

	if (n == 0) {
		problem(p, "%s: give at least one FIELD=VALUE", what);
		return -1;
	}
	st->assigns = calloc(n, sizeof(*st->assigns));
	if (st->assigns == NULL) {
		p->oom = 1;
		return -1;
	}
	for (; i < p->ntok; i++) {
		const char *w = p->tok[i].s;
		const char *eq = strchr(w, '=');
		struct demo_assign *a = &st->assigns[st->nassigns];
		size_t flen;
		int json;

		if (eq == NULL) {
			problem(p, "%s: expected FIELD=VALUE, got \"%s\" (quote values with spaces: name=\"a b\")",
				what, w);
			return -1;
		}
		json = eq > w && eq[-1] == ':';
		flen = (size_t)(eq - w) - (size_t)json;
		if (!field_name_ok(w, flen)) {
			problem(p, "%s: \"%.*s\" is not a field name (a-z, 0-9, _)",
				what, (int)flen, w);
			return -1;
		}
		for (size_t k = 0; k < st->nassigns; k++)
			if (strlen(st->assigns[k].field) == flen &&
			    memcmp(st->assigns[k].field, w, flen) == 0) {
				problem(p, "%s: %.*s is given twice", what,
					(int)flen, w);
				return -1;
			}
		a->field = strndup(w, flen);
		a->value = dup_or_oom(p, eq + 1);
		a->json = json;
		st->nassigns++;
		if (a->field == NULL || a->value == NULL) {
			p->oom = 1;
			return -1;
		}
		if (json) {
			/* $name inside JSON is expanded first; check it
			 * parses as JSON only when it holds no variable. */
			if (strchr(a->value, '$') == NULL &&
			    !json_text_ok(a->value)) {
				problem(p, "%s: %s:= needs a JSON value, not \"%s\"",
					what, a->field, a->value);
				return -1;
			}
		}
		check_text_vars(p, what, a->value);
	}
	return 0;
}

static int parse_service(struct demo_parser *p, struct demo_step *st,
			 const char *what, size_t i, int downstream)
{
	char why[256];
	const struct component *c;

	if (i >= p->ntok) {
		problem(p, "%s: name a service", what);
		return -1;
	}
	if (downstream) {
		c = component_find(p->tok[i].s);
		if (c == NULL || !c->downstream) {
			problem(p, "%s: \"%s\" is not a downstream service (one that reacts to store events, like search)",
				what, p->tok[i].s);
			return -1;
		}
	} else if (stackctl_check_name(p->tok[i].s, why, sizeof(why))) {
		problem(p, "%s: %s", what, why);
		return -1;
	}
	st->arg = dup_or_oom(p, p->tok[i].s);
	return 0;
}

/* The default store of a step that names none. */
static int default_ref(struct demo_parser *p, struct demo_step *st,
		       const char *what)
{
	if (!p->have_last) {
		problem(p, "%s: no store named yet; give one", what);
		return -1;
	}
	st->store = p->last;
	return 0;
}

static int parse_wait(struct demo_parser *p, struct demo_step *st)
{
	size_t i = 2;
	int next;

	if (p->ntok < 2 || (strcmp(p->tok[1].s, "propagated") != 0 &&
			    strcmp(p->tok[1].s, "failed") != 0)) {
		problem(p, "wait: expected 'wait propagated [STORE] [within SECONDS]' or 'wait failed SERVICE [STORE] [within SECONDS]'");
		return -1;
	}
	if (strcmp(p->tok[1].s, "failed") == 0) {
		st->kind = DEMO_WAIT_FAILED;
		if (parse_service(p, st, "wait failed", i++, 1))
			return -1;
	} else {
		st->kind = DEMO_WAIT_PROPAGATED;
	}
	if (i < p->ntok && looks_like_ref(p->tok[i].s)) {
		if (parse_ref(p, &p->tok[i], &st->store))
			return -1;
		i++;
	} else if (i < p->ntok && strcmp(p->tok[i].s, "within") != 0) {
		/* Not "no store named yet": this word was meant as one. */
		problem(p, "%s: \"%s\" is not a store: give an id or a $variable",
			demo_kind_name(st->kind), p->tok[i].s);
		return -1;
	} else if (default_ref(p, st, demo_kind_name(st->kind))) {
		return -1;
	}
	next = parse_within(p, demo_kind_name(st->kind), i,
			    DEMO_WITHIN_DEFAULT, &st->seconds);
	if (next < 0)
		return -1;
	return no_more(p, demo_kind_name(st->kind), (size_t)next,
		       "within SECONDS");
}

static int parse_expect_search(struct demo_parser *p, struct demo_step *st)
{
	const char *what = "expect search";
	int next;

	st->kind = DEMO_EXPECT_SEARCH;
	if (p->ntok < 5) {
		problem(p, "%s: expected 'expect search QUERY contains|lacks STORE [within SECONDS]'",
			what);
		return -1;
	}
	if (p->tok[2].s[0] == '\0') {
		problem(p, "%s: the query is empty", what);
		return -1;
	}
	st->arg = dup_or_oom(p, p->tok[2].s);
	check_text_vars(p, what, p->tok[2].s);
	if (strcmp(p->tok[3].s, "contains") == 0) {
		st->negate = 0;
	} else if (strcmp(p->tok[3].s, "lacks") == 0) {
		st->negate = 1;
	} else {
		problem(p, "%s: expected 'contains' or 'lacks' after the query, got \"%s\" (quote a query with spaces)",
			what, p->tok[3].s);
		return -1;
	}
	if (parse_ref(p, &p->tok[4], &st->store))
		return -1;
	next = parse_within(p, what, 5, 0, &st->seconds);
	if (next < 0)
		return -1;
	return no_more(p, what, (size_t)next, "within SECONDS");
}

static int parse_expect_store(struct demo_parser *p, struct demo_step *st)
{
	const char *what = "expect store";
	const char *field, *op = NULL, *value = NULL;
	char *split = NULL;
	size_t i;
	int next;

	st->kind = DEMO_EXPECT_STORE;
	if (p->ntok < 4) {
		problem(p, "%s: expected 'expect store STORE FIELD = VALUE' or 'expect store STORE deleted'",
			what);
		return -1;
	}
	if (parse_ref(p, &p->tok[2], &st->store))
		return -1;
	field = p->tok[3].s;
	i = 4;
	if (strcmp(field, "deleted") == 0 && !p->tok[3].quoted) {
		st->cmp = DEMO_CMP_DELETED;
	} else {
		/* FIELD = VALUE, or the same without blanks: FIELD=VALUE. */
		split = strchr(field, '=');
		if (split != NULL && split > field && split[-1] == '!')
			split--;
		if (split != NULL) {
			op = *split == '!' ? "!=" : "=";
			value = split + strlen(op);
			*split = '\0';
		} else if (i + 1 < p->ntok) {
			op = p->tok[i].s;
			value = p->tok[i + 1].s;
			i += 2;
		}
		if (op == NULL || (strcmp(op, "=") != 0 && strcmp(op, "!=") != 0)) {
			problem(p, "%s: expected FIELD = VALUE or FIELD != VALUE after the store",
				what);
			return -1;
		}
		if (!field_name_ok(field, strlen(field))) {
			problem(p, "%s: \"%s\" is not a field name (a-z, 0-9, _)",
				what, field);
			return -1;
		}
		st->cmp = strcmp(op, "=") == 0 ? DEMO_CMP_EQ : DEMO_CMP_NE;
		st->arg = dup_or_oom(p, field);
		st->value = dup_or_oom(p, value);
		check_text_vars(p, what, value);
	}
	next = parse_within(p, what, i, 0, &st->seconds);
	if (next < 0)
		return -1;
	return no_more(p, what, (size_t)next, "within SECONDS");
}

static int parse_burst(struct demo_parser *p, struct demo_step *st)
{
	char *end;
	long v;

	st->kind = DEMO_BURST;
	if (p->ntok < 3) {
		problem(p, "burst: expected 'burst STORE COUNT [name|phone|status]'");
		return -1;
	}
	if (parse_ref(p, &p->tok[1], &st->store))
		return -1;
	errno = 0;
	v = strtol(p->tok[2].s, &end, 10);
	if (!isdigit((unsigned char)p->tok[2].s[0]) || *end != '\0' ||
	    errno != 0 || v < 1 || v > DEMO_BURST_MAX) {
		problem(p, "burst: COUNT must be a whole number from 1 to %d, not \"%s\"",
			DEMO_BURST_MAX, p->tok[2].s);
		return -1;
	}
	st->count = v;
	if (p->ntok > 3) {
		const char *f = p->tok[3].s;

		if (strcmp(f, "name") != 0 && strcmp(f, "phone") != 0 &&
		    strcmp(f, "status") != 0) {
			problem(p, "burst: the field must be name, phone or status, not \"%s\"",
				f);
			return -1;
		}
		st->arg = dup_or_oom(p, f);
		return no_more(p, "burst", 4, NULL);
	}
	st->arg = dup_or_oom(p, "name");
	return 0;
}

static int parse_create(struct demo_parser *p, struct demo_step *st)
{
	size_t i = 1;

	st->kind = DEMO_CREATE;
	if (p->ntok > 1 && p->tok[1].s[0] == '$' && !p->tok[1].quoted) {
		size_t n = var_len(p->tok[1].s + 1);

		if (n == 0 || p->tok[1].s[1 + n] != '\0' || n >= DEMO_VAR_MAX) {
			problem(p, "create: \"%s\" is not a variable name ($ then letters, digits, _)",
				p->tok[1].s);
			return -1;
		}
		memcpy(st->var, p->tok[1].s + 1, n + 1);
		i = 2;
	}
	if (parse_assigns(p, st, i, "create"))
		return -1;
	/* The variable exists from the next step on. */
	if (st->var[0] != '\0' && !var_known(p, st->var, strlen(st->var))) {
		if (p->nvars == p->varcap) {
			size_t cap = p->varcap ? p->varcap * 2 : 8;
			void *v = realloc(p->vars, cap * sizeof(*p->vars));

			if (v == NULL) {
				p->oom = 1;
				return -1;
			}
			p->vars = v;
			p->varcap = cap;
		}
		memcpy(p->vars[p->nvars++], st->var, sizeof(st->var));
	}
	if (st->var[0] != '\0') {
		memset(&p->last, 0, sizeof(p->last));
		memcpy(p->last.var, st->var, sizeof(st->var));
		p->have_last = 1;
	}
	return 0;
}

/* The rest of a caption line, unquoted when it is one quoted string. */
static int parse_caption(struct demo_parser *p, struct demo_step *st,
			 const char *rest)
{
	size_t n;
	char *text;

	st->kind = DEMO_CAPTION;
	while (*rest == ' ' || *rest == '\t')
		rest++;
	n = strlen(rest);
	while (n > 0 && (rest[n - 1] == ' ' || rest[n - 1] == '\t'))
		n--;
	if (n >= 2 && rest[0] == '"' && rest[n - 1] == '"') {
		char *o;

		text = malloc(n);
		if (text == NULL) {
			p->oom = 1;
			return -1;
		}
		o = text;
		for (size_t i = 1; i + 1 < n; i++) {
			if (rest[i] == '\\' && i + 2 < n &&
			    (rest[i + 1] == '"' || rest[i + 1] == '\\'))
				i++;
			*o++ = rest[i];
		}
		*o = '\0';
	} else {
		text = strndup(rest, n);
		if (text == NULL) {
			p->oom = 1;
			return -1;
		}
	}
	st->arg = text;
	if (text[0] == '\0') {
		problem(p, "caption: give the text to show");
		return -1;
	}
	check_text_vars(p, "caption", text);
	return 0;
}

/* A number from text in [min, max]; 0, or -1 (not reported). */
static int number_in(const char *text, double min, double max, double *out)
{
	char *end;
	double v;

	errno = 0;
	v = strtod(text, &end);
	if (end == text || *end != '\0' || errno != 0 || !isfinite(v) ||
	    v < min || v > max || !isdigit((unsigned char)text[0]))
		return -1;
	*out = v;
	return 0;
}

/*
 * fault api clear | fault api [latency MS] [errors RATE] [for SECONDS]
 * [scope service|all] | fault broker down|up | fault broker errors API
 * CODE [COUNT]
 */
static int parse_fault(struct demo_parser *p, struct demo_step *st)
{
	const char *what;
	double v;
	size_t i;

	if (p->ntok >= 2 && strcmp(p->tok[1].s, "broker") == 0) {
		st->kind = DEMO_FAULT_BROKER;
		what = "fault broker";
		if (p->ntok == 3 && (strcmp(p->tok[2].s, "down") == 0 ||
				     strcmp(p->tok[2].s, "up") == 0)) {
			st->arg = dup_or_oom(p, p->tok[2].s);
			return 0;
		}
		if (p->ntok < 5 || p->ntok > 6 ||
		    strcmp(p->tok[2].s, "errors") != 0) {
			problem(p, "%s: expected 'fault broker down', 'fault broker up' or 'fault broker errors API CODE [COUNT]'",
				what);
			return -1;
		}
		if (!broker_control_name_in(broker_control_api_names,
					    p->tok[3].s)) {
			problem(p, "%s errors: \"%s\" is not a Kafka API the broker can fail (Produce, Fetch, Metadata, OffsetCommit, JoinGroup, ...)",
				what, p->tok[3].s);
			return -1;
		}
		if (!broker_control_name_in(broker_control_error_names,
					    p->tok[4].s)) {
			problem(p, "%s errors: \"%s\" is not an error the broker can answer (NOT_LEADER_FOR_PARTITION, REQUEST_TIMED_OUT, TRANSPORT, ...)",
				what, p->tok[4].s);
			return -1;
		}
		st->count = 1;
		if (p->ntok == 6) {
			if (number_in(p->tok[5].s, 1, 10000, &v) || v != floor(v)) {
				problem(p, "%s errors: COUNT must be a whole number from 1 to 10000, not \"%s\"",
					what, p->tok[5].s);
				return -1;
			}
			st->count = (long)v;
		}
		st->arg = dup_or_oom(p, "errors");
		st->value = dup_or_oom(p, p->tok[3].s);
		st->code = dup_or_oom(p, p->tok[4].s);
		return 0;
	}
	if (p->ntok < 2 || strcmp(p->tok[1].s, "api") != 0) {
		problem(p, "fault: expected 'fault api ...' or 'fault broker ...'");
		return -1;
	}
	st->kind = DEMO_FAULT_API;
	what = "fault api";
	if (p->ntok == 3 && strcmp(p->tok[2].s, "clear") == 0) {
		st->clear = 1;
		return 0;
	}
	if (p->ntok < 4) {
		problem(p, "%s: expected 'fault api clear' or 'fault api [latency MS] [errors RATE] [for SECONDS] [scope service|all]'",
			what);
		return -1;
	}
	for (i = 2; i < p->ntok; i += 2) {
		const char *key = p->tok[i].s;
		const char *val = i + 1 < p->ntok ? p->tok[i + 1].s : NULL;

		if (val == NULL) {
			problem(p, "%s: %s needs a value", what, key);
			return -1;
		}
		if (strcmp(key, "latency") == 0) {
			if (number_in(val, 0, 30000, &v) || v != floor(v)) {
				problem(p, "%s: latency must be whole milliseconds from 0 to 30000, not \"%s\"",
					what, val);
				return -1;
			}
			st->count = (long)v;
		} else if (strcmp(key, "errors") == 0) {
			size_t n = strlen(val);
			char buf[32];
			int pct = n > 0 && n < sizeof(buf) && val[n - 1] == '%';

			snprintf(buf, sizeof(buf), "%.*s", (int)(pct ? n - 1 : n), val);
			if (number_in(buf, 0, pct ? 100 : 1, &v)) {
				problem(p, "%s: errors must be a share from 0 to 1 (or 0%% to 100%%), not \"%s\"",
					what, val);
				return -1;
			}
			st->rate = pct ? v / 100 : v;
		} else if (strcmp(key, "for") == 0) {
			if (parse_seconds(p, what, val, 604800, &st->seconds))
				return -1;
		} else if (strcmp(key, "scope") == 0) {
			if (strcmp(val, "service") != 0 && strcmp(val, "all") != 0) {
				problem(p, "%s: scope must be service or all, not \"%s\"",
					what, val);
				return -1;
			}
			free(st->arg);
			st->arg = dup_or_oom(p, val);
		} else {
			problem(p, "%s: unexpected \"%s\"; expected latency, errors, for or scope",
				what, key);
			return -1;
		}
	}
	return 0;
}

/* A list query: key=value pairs joined by '&', keys display-svc takes. */
static int list_query_ok(struct demo_parser *p, const char *q)
{
	static const char *const keys[] = { "area", "q", "category", "user",
					    "limit", NULL };
	const char *s = q;

	if (*q == '\0') {
		problem(p, "expect list: the query is empty (like area=gangnam&q=치킨)");
		return -1;
	}
	while (*s != '\0') {
		size_t n = strcspn(s, "&");
		const char *eq = memchr(s, '=', n);
		size_t k;

		for (k = 0; eq != NULL && keys[k] != NULL; k++)
			if (strlen(keys[k]) == (size_t)(eq - s) &&
			    memcmp(keys[k], s, (size_t)(eq - s)) == 0)
				break;
		if (eq == NULL || keys[k] == NULL || eq + 1 == s + n) {
			problem(p, "expect list: \"%.*s\" is not KEY=VALUE with KEY one of area, q, category, user, limit",
				(int)n, s);
			return -1;
		}
		s += n;
		if (*s == '&')
			s++;
	}
	check_text_vars(p, "expect list", q);
	return 0;
}

/* "ads,search" or "none": services display-svc asks for a list. */
static int services_ok(const char *list)
{
	static const char *const deps[] = { "ads", "search", "favorites",
					    NULL };
	const char *s = list;

	if (strcmp(list, "none") == 0)
		return 1;
	while (*s != '\0') {
		size_t n = strcspn(s, ","), k;

		for (k = 0; deps[k] != NULL; k++)
			if (strlen(deps[k]) == n && memcmp(deps[k], s, n) == 0)
				break;
		if (deps[k] == NULL)
			return 0;
		s += n;
		if (*s == ',' && s[1] == '\0')
			return 0;
		if (*s == ',')
			s++;
	}
	return 1;
}

/*
 * expect list QUERY degraded SERVICES|none [within S]
 * expect list QUERY contains|lacks STORE [within S]
 */
static int parse_expect_list(struct demo_parser *p, struct demo_step *st)
{
	const char *what = "expect list";
	int next;

	st->kind = DEMO_EXPECT_LIST;
	if (p->ntok < 5) {
		problem(p, "%s: expected 'expect list QUERY degraded SERVICES|none' or 'expect list QUERY contains|lacks STORE'",
			what);
		return -1;
	}
	if (list_query_ok(p, p->tok[2].s))
		return -1;
	st->arg = dup_or_oom(p, p->tok[2].s);
	if (strcmp(p->tok[3].s, "degraded") == 0) {
		if (!services_ok(p->tok[4].s)) {
			problem(p, "%s: after 'degraded' name ads, search or favorites (comma-separated), or none; not \"%s\"",
				what, p->tok[4].s);
			return -1;
		}
		st->degraded = 1;
		st->value = dup_or_oom(p, p->tok[4].s);
	} else if (strcmp(p->tok[3].s, "contains") == 0 ||
		   strcmp(p->tok[3].s, "lacks") == 0) {
		st->negate = p->tok[3].s[0] == 'l';
		if (parse_ref(p, &p->tok[4], &st->store))
			return -1;
	} else {
		problem(p, "%s: expected 'degraded', 'contains' or 'lacks' after the query, not \"%s\"",
			what, p->tok[3].s);
		return -1;
	}
	next = parse_within(p, what, 5, 0, &st->seconds);
	if (next < 0)
		return -1;
	return no_more(p, what, (size_t)next, "within SECONDS");
}

/* expect breaker SERVICE closed|open|half_open [within S] */
static int parse_expect_breaker(struct demo_parser *p, struct demo_step *st)
{
	const char *what = "expect breaker";
	int next;

	st->kind = DEMO_EXPECT_BREAKER;
	if (p->ntok < 4) {
		problem(p, "%s: expected 'expect breaker SERVICE open|closed|half_open [within SECONDS]'",
			what);
		return -1;
	}
	if (parse_service(p, st, what, 2, 1))
		return -1;
	if (strcmp(p->tok[3].s, "open") != 0 &&
	    strcmp(p->tok[3].s, "closed") != 0 &&
	    strcmp(p->tok[3].s, "half_open") != 0) {
		problem(p, "%s: the state must be open, closed or half_open, not \"%s\"",
			what, p->tok[3].s);
		return -1;
	}
	st->value = dup_or_oom(p, p->tok[3].s);
	next = parse_within(p, what, 4, 0, &st->seconds);
	if (next < 0)
		return -1;
	return no_more(p, what, (size_t)next, "within SECONDS");
}

/* expect audit clean [within S] */
static int parse_expect_audit(struct demo_parser *p, struct demo_step *st)
{
	const char *what = "expect audit";
	int next;

	st->kind = DEMO_EXPECT_AUDIT;
	if (p->ntok < 3 || strcmp(p->tok[2].s, "clean") != 0) {
		problem(p, "%s: expected 'expect audit clean [within SECONDS]'",
			what);
		return -1;
	}
	next = parse_within(p, what, 3, 0, &st->seconds);
	if (next < 0)
		return -1;
	return no_more(p, what, (size_t)next, "within SECONDS");
}

/* Parses one line that is not blank or a comment into st. */
static int parse_step(struct demo_parser *p, struct demo_step *st,
		      const char *line)
{
	const char *kw = line;
	size_t kwlen;
	const char *w;

	while (*kw == ' ' || *kw == '\t')
		kw++;
	kwlen = strcspn(kw, " \t");
	if (kwlen == 7 && strncmp(kw, "caption", 7) == 0)
		return parse_caption(p, st, kw + 7);
	if (tokenize(p, line) || p->ntok == 0)
		return -1;
	w = p->tok[0].s;
	if (strcmp(w, "pause") == 0) {
		st->kind = DEMO_PAUSE;
		if (p->ntok != 2) {
			problem(p, "pause: expected 'pause SECONDS'");
			return -1;
		}
		return parse_seconds(p, "pause", p->tok[1].s, DEMO_PAUSE_MAX,
				     &st->seconds);
	}
	if (strcmp(w, "edit") == 0) {
		st->kind = DEMO_EDIT;
		if (p->ntok < 2) {
			problem(p, "edit: expected 'edit STORE FIELD=VALUE ...'");
			return -1;
		}
		if (parse_ref(p, &p->tok[1], &st->store))
			return -1;
		return parse_assigns(p, st, 2, "edit");
	}
	if (strcmp(w, "create") == 0)
		return parse_create(p, st);
	if (strcmp(w, "delete") == 0) {
		st->kind = DEMO_DELETE;
		if (p->ntok != 2) {
			problem(p, "delete: expected 'delete STORE'");
			return -1;
		}
		return parse_ref(p, &p->tok[1], &st->store);
	}
	if (strcmp(w, "burst") == 0)
		return parse_burst(p, st);
	if (strcmp(w, "wait") == 0)
		return parse_wait(p, st);
	if (strcmp(w, "stop") == 0 || strcmp(w, "start") == 0 ||
	    strcmp(w, "kill") == 0) {
		st->kind = w[0] == 'k' ? DEMO_KILL :
			   w[2] == 'o' ? DEMO_STOP : DEMO_START;
		if (parse_service(p, st, w, 1, 0))
			return -1;
		return no_more(p, w, 2, NULL);
	}
	if (strcmp(w, "expect") == 0 || strcmp(w, "show") == 0) {
		int show = w[0] == 's';

		if (p->ntok >= 2 && strcmp(p->tok[1].s, "search") == 0) {
			if (!show)
				return parse_expect_search(p, st);
			st->kind = DEMO_SHOW_SEARCH;
			if (p->ntok != 3 || p->tok[2].s[0] == '\0') {
				problem(p, "show search: expected 'show search QUERY' (quote a query with spaces)");
				return -1;
			}
			st->arg = dup_or_oom(p, p->tok[2].s);
			check_text_vars(p, "show search", p->tok[2].s);
			return 0;
		}
		if (p->ntok >= 2 && strcmp(p->tok[1].s, "store") == 0) {
			if (!show)
				return parse_expect_store(p, st);
			st->kind = DEMO_SHOW_STORE;
			if (p->ntok != 3) {
				problem(p, "show store: expected 'show store STORE'");
				return -1;
			}
			return parse_ref(p, &p->tok[2], &st->store);
		}
		if (!show && p->ntok >= 2 && strcmp(p->tok[1].s, "list") == 0)
			return parse_expect_list(p, st);
		if (!show && p->ntok >= 2 && strcmp(p->tok[1].s, "breaker") == 0)
			return parse_expect_breaker(p, st);
		if (!show && p->ntok >= 2 && strcmp(p->tok[1].s, "audit") == 0)
			return parse_expect_audit(p, st);
		if (show)
			problem(p, "show: expected 'show search ...' or 'show store ...'");
		else
			problem(p, "expect: expected 'expect search', 'expect store', 'expect list', 'expect breaker' or 'expect audit'");
		return -1;
	}
	if (strcmp(w, "fault") == 0)
		return parse_fault(p, st);
	problem(p, "unknown command \"%s\" (caption, pause, create, edit, delete, burst, wait, stop, start, kill, fault, expect, show)",
		w);
	return -1;
}

static void step_free(struct demo_step *st)
{
	free(st->text);
	free(st->arg);
	free(st->value);
	free(st->code);
	for (size_t i = 0; i < st->nassigns; i++) {
		free(st->assigns[i].field);
		free(st->assigns[i].value);
	}
	free(st->assigns);
	memset(st, 0, sizeof(*st));
}

void demo_script_free(struct demo_script *s)
{
	for (size_t i = 0; i < s->n; i++)
		step_free(&s->steps[i]);
	free(s->steps);
	free(s->name);
	memset(s, 0, sizeof(*s));
}

/* The line without its trailing comment and blanks, for transcripts. */
static char *line_text(const char *line)
{
	const char *s = line;
	const char *end;
	int in_dq = 0, in_sq = 0;
	size_t n;

	while (*s == ' ' || *s == '\t')
		s++;
	end = s + strlen(s);
	if (strncmp(s, "caption", 7) != 0 || (s[7] != ' ' && s[7] != '\t'))
		for (const char *c = s; *c != '\0'; c++) {
			if (in_dq) {
				if (*c == '\\' && c[1] != '\0')
					c++;
				else if (*c == '"')
					in_dq = 0;
			} else if (in_sq) {
				if (*c == '\'')
					in_sq = 0;
			} else if (*c == '"') {
				in_dq = 1;
			} else if (*c == '\'') {
				in_sq = 1;
			} else if (*c == '#' && (c == s || c[-1] == ' ' || c[-1] == '\t')) {
				end = c;
				break;
			}
		}
	n = (size_t)(end - s);
	while (n > 0 && (s[n - 1] == ' ' || s[n - 1] == '\t'))
		n--;
	return strndup(s, n);
}

static int blank_or_comment(const char *line)
{
	while (*line == ' ' || *line == '\t')
		line++;
	return *line == '\0' || *line == '#';
}

int demo_parse(const char *name, const char *text, size_t len,
	       struct demo_script *out, char *err, size_t errlen)
{
	struct demo_parser *p = calloc(1, sizeof(*p));
	char *line = malloc(DEMO_LINE_MAX + 1);
	size_t at = 0;
	int rc = -1;

	memset(out, 0, sizeof(*out));
	if (errlen > 0)
		err[0] = '\0';
	if (p == NULL || line == NULL) {
		snprintf(err, errlen, "%s: out of memory", name);
		goto done;
	}
	p->name = name;
	p->out = out;
	p->err = err;
	p->errlen = errlen;
	out->name = strdup(name);
	while (at < len && !p->oom) {
		const char *nl = memchr(text + at, '\n', len - at);
		size_t n = nl != NULL ? (size_t)(nl - (text + at)) : len - at;
		struct demo_step st;

		p->line++;
		if (n > 0 && text[at + n - 1] == '\r')
			n--;
		if (n > DEMO_LINE_MAX) {
			problem(p, "the line is longer than %d bytes",
				DEMO_LINE_MAX);
			at += (nl != NULL ? (size_t)(nl - (text + at)) + 1 : len - at);
			continue;
		}
		memcpy(line, text + at, n);
		line[n] = '\0';
		at += (nl != NULL ? (size_t)(nl - (text + at)) + 1 : len - at);
		if (memchr(line, '\0', n) != NULL ||
		    !text_ok((const unsigned char *)line, n)) {
			problem(p, "the line is not valid UTF-8 text (or holds control characters)");
			continue;
		}
		if (blank_or_comment(line))
			continue;
		memset(&st, 0, sizeof(st));
		st.line = p->line;
		st.text = line_text(line);
		if (st.text == NULL)
			p->oom = 1;
		if (parse_step(p, &st, line) || p->oom) {
			/* parse_step reported it (or memory ran out). */
			step_free(&st);
			continue;
		}
		if (out->n == p->cap) {
			size_t cap = p->cap ? p->cap * 2 : 32;
			struct demo_step *v = realloc(out->steps, cap * sizeof(*v));

			if (v == NULL) {
				p->oom = 1;
				step_free(&st);
				break;
			}
			out->steps = v;
			p->cap = cap;
		}
		out->steps[out->n++] = st;
	}
	if (p->oom || out->name == NULL) {
		snprintf(err, errlen, "%s: out of memory", name);
	} else if (p->errors > 0) {
		if (p->errors > DEMO_ERRORS_MAX && p->errused + 1 < errlen)
			snprintf(err + p->errused, errlen - p->errused,
				 "\n%s: %d more problems", name,
				 p->errors - DEMO_ERRORS_MAX);
	} else if (out->n == 0) {
		snprintf(err, errlen, "%s: the script has no steps", name);
	} else {
		rc = 0;
	}
done:
	if (rc != 0)
		demo_script_free(out);
	if (p != NULL)
		free(p->vars);
	free(p);
	free(line);
	return rc;
}

char *demo_expand(const char *text,
		  int (*lookup)(void *ctx, const char *var, int64_t *id),
		  void *ctx, char *err, size_t errlen)
{
	size_t cap = strlen(text) + 1, used = 0;
	char *out = malloc(cap);

	if (out == NULL) {
		snprintf(err, errlen, "out of memory");
		return NULL;
	}
	for (const char *s = text; *s != '\0';) {
		char piece[32];
		const char *add = s;
		size_t addlen = 1;

		if (s[0] == '$' && s[1] == '$') {
			addlen = 1;
			s += 2;
		} else if (s[0] == '$' && var_len(s + 1) > 0 &&
			   var_len(s + 1) < DEMO_VAR_MAX) {
			char name[DEMO_VAR_MAX];
			size_t n = var_len(s + 1);
			int64_t id;

			memcpy(name, s + 1, n);
			name[n] = '\0';
			if (lookup(ctx, name, &id) != 0) {
				snprintf(err, errlen, "$%s has no value (its 'create' did not run)",
					 name);
				free(out);
				return NULL;
			}
			snprintf(piece, sizeof(piece), "%lld", (long long)id);
			add = piece;
			addlen = strlen(piece);
			s += 1 + n;
		} else {
			s++;
		}
		if (used + addlen + 1 > cap) {
			char *grown;

			cap = (used + addlen + 1) * 2;
			grown = realloc(out, cap);
			if (grown == NULL) {
				snprintf(err, errlen, "out of memory");
				free(out);
				return NULL;
			}
			out = grown;
		}
		memcpy(out + used, add, addlen);
		used += addlen;
	}
	out[used] = '\0';
	return out;
}
