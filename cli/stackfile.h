#ifndef STORECTL_STACKFILE_H
#define STORECTL_STACKFILE_H

#include <stddef.h>
#include <sys/types.h>

#include "cli/strvec.h"

/*
 * stack.json: what a running embedded stack consists of, written by
 * 'storectl up' once every process is ready and read by 'down', 'status'
 * and the console. Its shape:
 *
 *   {"id": "1234-1795515290", "state": "/abs/var",
 *    "broker": "127.0.0.1:40123",
 *    "broker_control": "http://127.0.0.1:40124",
 *    "tokens_file": "/abs/var/tokens.json",
 *    "services": {"store": "http://127.0.0.1:41000", "search": "..."},
 *    "processes": [{"name": "broker", "program": "storectl-broker",
 *                   "pid": 1235, "args": ["/abs/bin/storectl-broker"]},
 *                  {"name": "search", ..., "stopped": true}, ...],
 *    "supervisor": {"pid": 1234, "program": "storectl"}}
 *
 * "args" is the command line a process was started with, so that
 * 'storectl service start' can start it again the same way (it never holds
 * a token: those go by environment). "stopped" marks a service stopped on
 * purpose ('storectl service stop'), as opposed to one that died.
 *
 * "broker_control" is the base URL of the embedded broker's fault-injection
 * API (storectl-broker(8)); "tokens_file" the stack's bearer tokens
 * (cli/stacktokens.h). Both may be absent in a file of an older storectl.
 *
 * "processes" is in start order. "supervisor" is the 'storectl up' that
 * holds the console and stops the stack when it closes; it is absent for a
 * detached stack. While 'up' is still starting processes, the file already
 * lists each one as soon as it is forked (so that 'down' can stop them even
 * if 'up' dies half-way), carries "starting": true, names the 'up' as
 * supervisor, and has "" as the address of what is not ready yet.
 */

#define STACK_PROCS_MAX 8
#define STACK_ADDR_MAX 512
#define STACK_ARGS_MAX 4096

struct stack_proc {
	char name[16];            /* "broker", "store", "search" */
	char program[32];         /* executable's base name: "store-svc" */
	pid_t pid;
	int service;              /* has a base URL in "services" */
	char addr[STACK_ADDR_MAX]; /* base URL, or the broker's bootstrap list */
	int stopped;              /* stopped on purpose, not dead */
	char args[STACK_ARGS_MAX]; /* command line, each argument NUL-ended */
	size_t args_len;          /* bytes used in args; 0: not recorded */
};

struct stack_info {
	char id[64];              /* tells one start of a stack from the next */
	char state[4096];         /* absolute state directory */
	char broker[STACK_ADDR_MAX];
	char broker_control[STACK_ADDR_MAX]; /* "" when unknown */
	char tokens_file[4096];   /* "" when the stack has none */
	pid_t supervisor;         /* 0 when detached */
	int starting;             /* 'up' has not finished starting it */
	size_t n;
	struct stack_proc procs[STACK_PROCS_MAX];
};

/* The base URL of the service called name, or NULL (also when not ready). */
const char *stackfile_service(const struct stack_info *info, const char *name);

/*
 * Records argv (NULL-terminated) as p's command line. Returns 0, or -1
 * when it does not fit (nothing is recorded then).
 */
int stackfile_set_args(struct stack_proc *p, char *const argv[]);

/* Appends p's recorded command line to out (nothing when none was). */
void stackfile_get_args(const struct stack_proc *p, struct strvec *out);

/*
 * Writes info to path atomically (temporary file, fsync, rename). Returns
 * 0, or -1 with the reason in err.
 */
int stackfile_write(const char *path, const struct stack_info *info,
		    char *err, size_t errlen);

/*
 * Reads path into info. Returns 0, 1 when the file does not exist, or -1
 * with the reason in err when it cannot be read or makes no sense.
 */
int stackfile_read(const char *path, struct stack_info *info, char *err,
		   size_t errlen);

/*
 * Removes path if it still describes the stack with this id, so a stack
 * that was stopped late never removes the file of the one started after
 * it. Returns 0 when removed, 1 when it was not there or not this stack's.
 */
int stackfile_remove_if(const char *path, const char *id);

#endif
