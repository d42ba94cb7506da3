/*
 * A stack that already exists: how much of it runs, stopping it, and
 * 'storectl down'. Starting one is cli/stack.c.
 */
#include "cli/stack.h"

#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "cli/spawn.h"
#include "cli/statedir.h"

int stack_load(const char *dir, struct stack_info *info, char *err,
	       size_t errlen)
{
	char abs[PATH_MAX];
	char path[PATH_MAX];
	size_t alive = 0;
	int rc;

	rc = statedir_resolve(dir, abs, sizeof(abs), err, errlen);
	if (rc != 0)
		return rc > 0 ? STACK_NONE : -1;
	if (statedir_path(path, sizeof(path), abs, STATEDIR_STACK_FILE)) {
		snprintf(err, errlen, "state directory %s: path too long", dir);
		return -1;
	}
	rc = stackfile_read(path, info, err, errlen);
	if (rc != 0)
		return rc > 0 ? STACK_NONE : -1;
	for (size_t i = 0; i < info->n; i++)
		alive += (size_t)spawn_alive(info->procs[i].pid,
					     info->procs[i].program);
	if (info->starting && spawn_alive(info->supervisor, "storectl"))
		return STACK_STARTING;
	if (alive == 0)
		return STACK_STALE;
	if (info->starting)
		return STACK_ABANDONED;
	return alive == info->n ? STACK_RUNNING : STACK_PARTIAL;
}

const char *stack_state_reason(int state, const char *dir, char *buf,
			       size_t len)
{
	switch (state) {
	case STACK_NONE:
		snprintf(buf, len, "no stack running in %s", dir);
		break;
	case STACK_RUNNING:
		snprintf(buf, len, "the stack in %s is running", dir);
		break;
	case STACK_PARTIAL:
		snprintf(buf, len, "the stack in %s is partly running", dir);
		break;
	case STACK_STALE:
		snprintf(buf, len,
			 "no stack running in %s (its stack.json is left over from one that died)",
			 dir);
		break;
	case STACK_STARTING:
		snprintf(buf, len, "the stack in %s is still starting", dir);
		break;
	default:
		snprintf(buf, len,
			 "the stack in %s was left half-started by a 'storectl up' that died; stop it with 'storectl down'",
			 dir);
		break;
	}
	return buf;
}

int stack_stop(const struct stack_info *info, int with_supervisor)
{
	pid_t pids[STACK_PROCS_MAX + 1];
	const char *programs[STACK_PROCS_MAX + 1];
	size_t n = 0;
	int killed = 0;

	if (with_supervisor && info->supervisor > 0 &&
	    info->supervisor != getpid()) {
		pids[n] = info->supervisor;
		programs[n++] = "storectl";
	}
	for (size_t i = 0; i < info->n; i++)
		if (strcmp(info->procs[i].name, "broker") != 0) {
			pids[n] = info->procs[i].pid;
			programs[n++] = info->procs[i].program;
		}
	killed += spawn_stop(pids, programs, n, STACK_STOP_TIMEOUT_MS);
	n = 0;
	for (size_t i = 0; i < info->n; i++)
		if (strcmp(info->procs[i].name, "broker") == 0) {
			pids[n] = info->procs[i].pid;
			programs[n++] = info->procs[i].program;
		}
	killed += spawn_stop(pids, programs, n, STACK_STOP_TIMEOUT_MS);
	return killed;
}

int stack_down(const struct cli_opts *o)
{
	struct stack_info info;
	char abs[PATH_MAX];
	char stack_path[PATH_MAX];
	char err[PATH_MAX + 512];
	int lock = -1;
	int killed;
	int state;

	state = statedir_resolve(o->state, abs, sizeof(abs), err, sizeof(err));
	if (state > 0) {
		printf("no stack running in %s\n", o->state);
		return CLI_EXIT_OK;
	}
	/* Wait for an 'up' that is still starting, then stop what it made. */
	if (state < 0 ||
	    (lock = statedir_lock(abs, STACK_READY_TIMEOUT_MS * 3, err,
				  sizeof(err))) < 0 ||
	    (state = stack_load(abs, &info, err, sizeof(err))) < 0 ||
	    statedir_path(stack_path, sizeof(stack_path), abs,
			  STATEDIR_STACK_FILE)) {
		statedir_unlock(lock);
		fprintf(stderr, "storectl: down: %s\n", err);
		return CLI_EXIT_FAIL;
	}
	if (state == STACK_NONE) {
		statedir_unlock(lock);
		printf("no stack running in %s\n", o->state);
		return CLI_EXIT_OK;
	}
	if (state == STACK_STALE) {
		/* Still stop a supervisor that outlived its children. */
		stack_stop(&info, 1);
		stackfile_remove_if(stack_path, info.id);
		statedir_unlock(lock);
		printf("no stack running in %s (removed its stale stack.json)\n",
		       o->state);
		return CLI_EXIT_OK;
	}
	killed = stack_stop(&info, 1);
	stackfile_remove_if(stack_path, info.id);
	statedir_unlock(lock);
	for (size_t i = 0; i < info.n; i++)
		if (spawn_alive(info.procs[i].pid, info.procs[i].program)) {
			fprintf(stderr, "storectl: down: %s (pid %ld) is still running\n",
				info.procs[i].program, (long)info.procs[i].pid);
			return CLI_EXIT_FAIL;
		}
	if (killed > 0)
		printf("stopped the stack in %s (%d process(es) ignored SIGTERM for %d s and were killed)\n",
		       o->state, killed, STACK_STOP_TIMEOUT_MS / 1000);
	else
		printf("stopped the stack in %s\n", o->state);
	return CLI_EXIT_OK;
}
