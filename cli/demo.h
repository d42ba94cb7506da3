#ifndef STORECTL_DEMO_H
#define STORECTL_DEMO_H

#include <stddef.h>
#include <stdint.h>

/*
 * Demo scripts (man/storectl-demo.5): a line-based language that edits
 * stores, stops and starts services, waits for propagation and checks
 * expectations. This header is the parsed form; cli/demo_parse.c makes it
 * from text, cli/demo_run.c plays it.
 *
 * Store references in steps are either a number or a variable ($name) set
 * by an earlier 'create'. Text that goes to the stack (values, queries,
 * captions) may hold $name, replaced by the variable's store id when the
 * step runs; "$$" stands for a literal "$".
 */

enum demo_kind {
	DEMO_CAPTION,
	DEMO_PAUSE,
	DEMO_EDIT,
	DEMO_CREATE,
	DEMO_DELETE,
	DEMO_BURST,
	DEMO_WAIT_PROPAGATED,
	DEMO_WAIT_FAILED,
	DEMO_STOP,
	DEMO_START,
	DEMO_KILL,
	DEMO_EXPECT_SEARCH,
	DEMO_EXPECT_STORE,
	DEMO_SHOW_STORE,
	DEMO_SHOW_SEARCH,
	DEMO_FAULT_API,
	DEMO_FAULT_BROKER,
	DEMO_EXPECT_LIST,
	DEMO_EXPECT_BREAKER,
	DEMO_EXPECT_AUDIT,
};

#define DEMO_VAR_MAX 32

/* A store: a literal id (var empty) or the id a variable holds. */
struct demo_ref {
	int64_t id;
	char var[DEMO_VAR_MAX];
};

/* FIELD=VALUE (a JSON string) or FIELD:=VALUE (JSON text). */
struct demo_assign {
	char *field;
	char *value;   /* may hold $name */
	int json;      /* value is JSON text (:=) */
};

/* How 'expect store' compares. */
enum demo_cmp {
	DEMO_CMP_EQ,      /* FIELD = VALUE */
	DEMO_CMP_NE,      /* FIELD != VALUE */
	DEMO_CMP_DELETED, /* the store is deleted */
};

struct demo_step {
	enum demo_kind kind;
	int line;              /* 1-based line in the script */
	char *text;            /* the line as written, without comment */
	struct demo_ref store; /* the store the step is about, when any */
	char *arg;             /* caption text, service name, search query,
			        * the field of 'expect store' / 'burst',
			        * the list query of 'expect list', "down",
			        * "up" or "errors" of 'fault broker', the
			        * scope of 'fault api' (NULL: service) */
	char *value;           /* 'expect store': the value compared with;
			        * 'expect list ... degraded': the services
			        * ("ads,search", "none"); 'expect breaker':
			        * the state; 'fault broker errors': the API */
	char *code;            /* 'fault broker errors': the error code */
	enum demo_cmp cmp;     /* 'expect store' */
	int negate;            /* 'expect search|list ... lacks' */
	int degraded;          /* 'expect list ... degraded' */
	int clear;             /* 'fault api clear' */
	double rate;           /* 'fault api errors RATE' (0..1) */
	double seconds;        /* pause; 'within' of waits and expects
			        * (0: check once for expects); 'fault api
			        * for SECONDS' (0: until cleared) */
	long count;            /* burst; 'fault api latency MS'; 'fault
			        * broker errors ... COUNT' */
	struct demo_assign *assigns; /* edit, create */
	size_t nassigns;
	char var[DEMO_VAR_MAX]; /* create: the variable it sets, or "" */
};

struct demo_script {
	char *name;            /* file name, or "built-in" */
	struct demo_step *steps;
	size_t n;
};

/* Limits of the language, checked when parsing. */
#define DEMO_LINE_MAX 4096
#define DEMO_PAUSE_MAX 600.0
#define DEMO_WITHIN_MAX 600.0
#define DEMO_WITHIN_DEFAULT 10.0
#define DEMO_BURST_MAX 1000

/*
 * Parses text[0..len) (UTF-8) named name into out. On any error, out is
 * empty and err holds every problem found (at most a dozen), one per line,
 * each as "NAME:LINE: problem"; returns -1. Returns 0 when the whole script
 * is valid. Free out with demo_script_free either way.
 */
int demo_parse(const char *name, const char *text, size_t len,
	       struct demo_script *out, char *err, size_t errlen);

/* Frees what a parse made; the script is empty after. */
void demo_script_free(struct demo_script *s);

/* "caption", "edit", "wait propagated", ... for a kind. */
const char *demo_kind_name(enum demo_kind kind);

/*
 * Replaces $name in text with the value lookup gives for name (a store
 * id), and $$ with $. Returns a new string (the caller frees), or NULL
 * with the reason in err (an unset variable, out of memory).
 */
char *demo_expand(const char *text,
		  int (*lookup)(void *ctx, const char *var, int64_t *id),
		  void *ctx, char *err, size_t errlen);

/* The built-in scenario (cli/demo_builtin.c). */
extern const char demo_builtin_script[];

#endif
