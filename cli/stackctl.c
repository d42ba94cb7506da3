#include "cli/stackctl.h"

#include <errno.h>
#include <limits.h>
#include <netdb.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "cli/component.h"
#include "cli/spawn.h"
#include "cli/stack.h"
#include "cli/stacktokens.h"
#include "cli/statedir.h"
#include "cli/strvec.h"
#include "common/clock.h"

/* How long an operation waits for another storectl holding the lock. */
#define STACKCTL_LOCK_MS 20000

static const char *const stackctl_names[] = { "stop", "start", "kill" };

int stackctl_op_parse(const char *verb)
{
	for (int i = 0; i < 3; i++)
		if (strcmp(verb, stackctl_names[i]) == 0)
			return i;
	return -1;
}

const char *stackctl_op_name(enum stackctl_op op)
{
	return (unsigned)op < 3 ? stackctl_names[op] : "?";
}

int stackctl_check_name(const char *name, char *err, size_t errlen)
{
	const struct component *c = component_find(name);

	if (c != NULL && c->db == NULL) {
		snprintf(err, errlen,
			 "the embedded broker cannot be stopped on its own: its topics live in memory only; 'storectl down' stops the whole stack");
		return -1;
	}
	if (c == NULL) {
		size_t n = (size_t)snprintf(err, errlen, "no service called \"%.40s\"; the services are",
					    name);

		for (size_t i = 0; i < component_count && n < errlen; i++)
			if (component_table[i].db != NULL)
				n += (size_t)snprintf(err + n, errlen - n, " %s",
						      component_table[i].name);
		return -1;
	}
	return 0;
}

/*
 * "HOST:PORT" of a base URL "http://HOST:PORT" into buf. Returns 0, or -1
 * when url has no port.
 */
static int url_hostport(const char *url, char *buf, size_t len)
{
	const char *p = strstr(url, "://");
	size_t n;

	p = p != NULL ? p + 3 : url;
	n = strcspn(p, "/");
	if (n == 0 || n >= len || memchr(p, ':', n) == NULL)
		return -1;
	memcpy(buf, p, n);
	buf[n] = '\0';
	return 0;
}

/*
 * Whether HOST:PORT can be bound now, with SO_REUSEADDR as libmicrohttpd
 * binds (so a socket in TIME_WAIT does not count as taken).
 */
static int port_free(const char *hostport)
{
	struct addrinfo hints = { 0 }, *ai = NULL;
	char host[256];
	const char *colon = strrchr(hostport, ':');
	size_t hlen;
	int fd, one = 1, ok = 0;

	if (colon == NULL || (hlen = (size_t)(colon - hostport)) >= sizeof(host))
		return 0;
	memcpy(host, hostport, hlen);
	host[hlen] = '\0';
	/* "[::1]:80" */
	if (hlen >= 2 && host[0] == '[' && host[hlen - 1] == ']') {
		memmove(host, host + 1, hlen - 2);
		host[hlen - 2] = '\0';
	}
	hints.ai_socktype = SOCK_STREAM;
	hints.ai_flags = AI_NUMERICSERV | AI_PASSIVE;
	if (getaddrinfo(host, colon + 1, &hints, &ai) != 0)
		return 0;
	fd = socket(ai->ai_family, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd >= 0) {
		setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
		ok = bind(fd, ai->ai_addr, ai->ai_addrlen) == 0;
		close(fd);
	}
	freeaddrinfo(ai);
	return ok;
}

/* The index of the value of --listen in args, or 0 when there is none. */
static size_t listen_arg(const struct strvec *args)
{
	for (size_t i = 1; i + 1 < args->n; i++)
		if (strcmp(args->v[i], "--listen") == 0)
			return i + 1;
	return 0;
}

static int replace_arg(struct strvec *args, size_t i, const char *value)
{
	char *copy = strdup(value);

	if (copy == NULL)
		return -1;
	free(args->v[i]);
	args->v[i] = copy;
	return 0;
}

/*
 * Starts p from its recorded command line with listen (NULL: as recorded)
 * as its --listen, records the new pid in stack_path at once, and waits
 * for its ready line. Returns 0 with p->addr updated, or -1 with err.
 */
static int start_proc(struct stack_info *info, struct stack_proc *p,
		      const struct component *c, const char *listen,
		      const char *token, const char *stack_path,
		      const char *logpath, volatile sig_atomic_t *cancel,
		      FILE *diag, char *err, size_t errlen)
{
	struct strvec args = { 0 }, env = { 0 };
	char addr[STACK_ADDR_MAX];
	size_t li;
	off_t start;
	pid_t pid;
	int rc = -1;

	stackfile_get_args(p, &args);
	component_env(&env, c, token);
	li = listen_arg(&args);
	if (args.failed || env.failed ||
	    (listen != NULL && li > 0 && replace_arg(&args, li, listen))) {
		snprintf(err, errlen, "out of memory");
		goto out;
	}
	start = spawn_log_size(logpath);
	pid = spawn_start(args.v[0], args.v, env.v, logpath, 1, err, errlen);
	if (pid < 0)
		goto out;
	p->pid = pid;
	p->stopped = 0;
	if (stackfile_write(stack_path, info, err, errlen) ||
	    spawn_wait_ready(pid, p->program, logpath, start,
			     STACK_READY_TIMEOUT_MS, cancel, addr, sizeof(addr),
			     err, errlen)) {
		const char *prog = p->program;

		spawn_stop(&pid, &prog, 1, STACK_STOP_TIMEOUT_MS);
		if (diag != NULL && (cancel == NULL || !*cancel))
			spawn_log_tail(logpath, start, 10, diag);
		goto out;
	}
	snprintf(p->addr, sizeof(p->addr), "%s", addr);
	rc = 0;
out:
	strvec_free(&args);
	strvec_free(&env);
	return rc;
}

static int do_start(struct stack_info *info, struct stack_proc *p,
		    const struct component *c, const char *token,
		    const char *abs, const char *stack_path,
		    volatile sig_atomic_t *cancel, FILE *diag, char *msg,
		    size_t msglen, char *err, size_t errlen)
{
	char logpath[PATH_MAX], rel[64], before[STACK_ADDR_MAX];
	char prefer[STACK_ADDR_MAX] = "";
	char service_token[STACKTOKENS_LEN + 1] = "";
	int rc;

	if (spawn_alive(p->pid, p->program)) {
		snprintf(msg, msglen, "%s is already running (pid %ld)",
			 p->program, (long)p->pid);
		return 1;
	}
	if (p->args_len == 0) {
		snprintf(err, errlen,
			 "stack.json does not say how %s was started; restart the stack",
			 p->program);
		return -1;
	}
	snprintf(rel, sizeof(rel), STATEDIR_LOGS "/%s.log", p->program);
	if (statedir_path(logpath, sizeof(logpath), abs, rel)) {
		snprintf(err, errlen, "state directory %s: path too long", abs);
		return -1;
	}
	/* A downstream service reads with the stack's service token. */
	if (token == NULL && c->downstream) {
		char tokens[PATH_MAX];

		if (statedir_path(tokens, sizeof(tokens), abs,
				  STACKTOKENS_FILE) == 0 &&
		    stacktokens_read(tokens, "service", NULL, service_token,
				     sizeof(service_token), err, errlen) < 0)
			return -1;
		if (service_token[0] != '\0')
			token = service_token;
	}
	snprintf(before, sizeof(before), "%s", p->addr);
	/* The address it had, so that its callers need not learn a new one. */
	if (before[0] != '\0' &&
	    url_hostport(before, prefer, sizeof(prefer)) == 0 &&
	    !port_free(prefer))
		prefer[0] = '\0';
	rc = start_proc(info, p, c, prefer[0] ? prefer : NULL, token,
			stack_path, logpath, cancel, diag, err, errlen);
	/* Taken between the probe and the bind: any free port then. */
	if (rc != 0 && prefer[0] != '\0' && (cancel == NULL || !*cancel))
		rc = start_proc(info, p, c, NULL, token, stack_path, logpath,
				cancel, diag, err, errlen);
	stacktokens_wipe(service_token, sizeof(service_token));
	if (rc != 0) {
		char ignored[256];

		/* Nothing runs: keep it recorded as stopped, not dead. */
		p->stopped = 1;
		stackfile_write(stack_path, info, ignored, sizeof(ignored));
		return -1;
	}
	if (stackfile_write(stack_path, info, err, errlen))
		return -1;
	if (before[0] != '\0' && strcmp(before, p->addr) != 0 &&
	    strcmp(p->name, "store") == 0)
		snprintf(msg, msglen,
			 "%s started at %s (pid %ld); it was at %s, which services started before still call",
			 p->program, p->addr, (long)p->pid, before);
	else
		snprintf(msg, msglen, "%s started at %s (pid %ld)", p->program,
			 p->addr, (long)p->pid);
	return 0;
}

static int do_stop(struct stack_info *info, struct stack_proc *p,
		   const char *stack_path, char *msg, size_t msglen, char *err,
		   size_t errlen)
{
	const char *prog = p->program;
	int killed;

	if (!spawn_alive(p->pid, p->program)) {
		snprintf(msg, msglen, p->stopped ? "%s is already stopped" :
			 "%s was not running (it had died)", p->program);
		if (!p->stopped) {
			p->stopped = 1;
			if (stackfile_write(stack_path, info, err, errlen))
				return -1;
		}
		return 1;
	}
	killed = spawn_stop(&p->pid, &prog, 1, STACK_STOP_TIMEOUT_MS);
	if (spawn_alive(p->pid, p->program)) {
		snprintf(err, errlen, "%s (pid %ld) is still running after SIGKILL",
			 p->program, (long)p->pid);
		return -1;
	}
	p->stopped = 1;
	if (stackfile_write(stack_path, info, err, errlen))
		return -1;
	snprintf(msg, msglen, "%s stopped (pid %ld)%s", p->program,
		 (long)p->pid,
		 killed ? ", with SIGKILL after it ignored SIGTERM" : "");
	return 0;
}

static int do_kill(struct stack_proc *p, char *msg, size_t msglen, char *err,
		   size_t errlen)
{
	struct timespec step = { 0, 10 * 1000 * 1000 };
	double deadline;

	if (!spawn_alive(p->pid, p->program)) {
		snprintf(err, errlen, "%s is not running", p->program);
		return -1;
	}
	if (kill(p->pid, SIGKILL) != 0) {
		snprintf(err, errlen, "cannot kill %s (pid %ld): %s", p->program,
			 (long)p->pid, strerror(errno));
		return -1;
	}
	deadline = clock_mono_ms() + 2000;
	while (spawn_running(p->pid, p->program) && clock_mono_ms() < deadline)
		nanosleep(&step, NULL);
	if (spawn_running(p->pid, p->program)) {
		snprintf(err, errlen, "%s (pid %ld) survived SIGKILL for 2 s",
			 p->program, (long)p->pid);
		return -1;
	}
	/* Not marked stopped: to the stack it died, as in a crash. */
	snprintf(msg, msglen, "%s killed with SIGKILL (pid %ld)", p->program,
		 (long)p->pid);
	return 0;
}

int stackctl_apply(const char *state, enum stackctl_op op, const char *name,
		   const char *token, volatile sig_atomic_t *cancel,
		   FILE *diag, char *msg, size_t msglen, char *err,
		   size_t errlen)
{
	struct stack_info *info = NULL;
	const struct component *c;
	struct stack_proc *p = NULL;
	char abs[PATH_MAX], stack_path[PATH_MAX], why[PATH_MAX + 256];
	int lock = -1, rc = -1, st;

	msg[0] = '\0';
	if (stackctl_check_name(name, err, errlen))
		return -1;
	c = component_find(name);
	st = statedir_resolve(state, abs, sizeof(abs), why, sizeof(why));
	if (st != 0) {
		snprintf(err, errlen, "%s", st > 0 ?
			 stack_state_reason(STACK_NONE, state, why, sizeof(why)) :
			 why);
		return -1;
	}
	info = malloc(sizeof(*info));
	if (info == NULL) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	if (statedir_path(stack_path, sizeof(stack_path), abs,
			  STATEDIR_STACK_FILE)) {
		snprintf(err, errlen, "state directory %s: path too long", state);
		goto out;
	}
	if ((lock = statedir_lock(abs, STACKCTL_LOCK_MS, err, errlen)) < 0)
		goto out;
	st = stack_load(abs, info, why, sizeof(why));
	if (st < 0) {
		snprintf(err, errlen, "%s", why);
		goto out;
	}
	if (st != STACK_RUNNING && st != STACK_PARTIAL) {
		snprintf(err, errlen, "%s",
			 stack_state_reason(st, state, why, sizeof(why)));
		goto out;
	}
	for (size_t i = 0; i < info->n; i++)
		if (strcmp(info->procs[i].name, name) == 0)
			p = &info->procs[i];
	if (p == NULL) {
		snprintf(err, errlen, "the stack in %s has no %s service (%s was not built?)",
			 state, name, c->program);
		goto out;
	}
	switch (op) {
	case STACKCTL_START:
		rc = do_start(info, p, c, token, abs, stack_path, cancel, diag,
			      msg, msglen, err, errlen);
		break;
	case STACKCTL_STOP:
		rc = do_stop(info, p, stack_path, msg, msglen, err, errlen);
		break;
	case STACKCTL_KILL:
		rc = do_kill(p, msg, msglen, err, errlen);
		break;
	default:
		snprintf(err, errlen, "unknown operation");
		break;
	}
out:
	statedir_unlock(lock);
	free(info);
	return rc;
}

int stackctl_command(const struct cli_opts *o, const char *verb,
		     const char *name)
{
	static volatile sig_atomic_t never;
	char msg[1024], err[PATH_MAX + 512];
	int op = stackctl_op_parse(verb);
	int rc;

	if (op < 0) {
		fprintf(stderr, "storectl: service: unknown action \"%s\" (stop, start or kill)\n"
				"Try 'storectl --help' for more information.\n",
			verb);
		return CLI_EXIT_USAGE;
	}
	rc = stackctl_apply(o->state, (enum stackctl_op)op, name, NULL, &never,
			    stderr, msg, sizeof(msg), err, sizeof(err));
	if (rc < 0) {
		fprintf(stderr, "storectl: service %s %s: %s\n", verb, name, err);
		return CLI_EXIT_FAIL;
	}
	printf("%s\n", msg);
	return CLI_EXIT_OK;
}
