#include "cli/status.h"

#include <errno.h>
#include <fcntl.h>
#include <netdb.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include <jansson.h>

#include "api/client.h"
#include "cli/spawn.h"
#include "cli/stack.h"

#define HEALTH_TIMEOUT_MS 1000

/* Connects to the first HOST:PORT of a bootstrap list within timeout_ms. */
static int broker_answers(const char *bootstraps, int timeout_ms)
{
	char host[256];
	const char *port;
	size_t len = strcspn(bootstraps, ",");
	struct addrinfo hints = { 0 }, *ai = NULL;
	struct pollfd pfd;
	int fd, ok = 0, soerr = 0;
	socklen_t sl = sizeof(soerr);

	if (len == 0 || len >= sizeof(host))
		return 0;
	memcpy(host, bootstraps, len);
	host[len] = '\0';
	port = strrchr(host, ':');
	if (port == NULL)
		return 0;
	host[port - host] = '\0';
	port++;
	hints.ai_socktype = SOCK_STREAM;
	if (getaddrinfo(host, port, &hints, &ai) != 0)
		return 0;
	fd = socket(ai->ai_family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (fd >= 0) {
		if (connect(fd, ai->ai_addr, ai->ai_addrlen) == 0) {
			ok = 1;
		} else if (errno == EINPROGRESS) {
			pfd.fd = fd;
			pfd.events = POLLOUT;
			if (poll(&pfd, 1, timeout_ms) == 1 &&
			    getsockopt(fd, SOL_SOCKET, SO_ERROR, &soerr, &sl) == 0 &&
			    soerr == 0)
				ok = 1;
		}
		close(fd);
	}
	freeaddrinfo(ai);
	return ok;
}

/* GET base/health; describes the outcome in what. Returns 1 when 2xx. */
static int service_answers(const char *base, const char *token, char *what,
			   size_t len)
{
	struct api_client *c = api_client_new(base, token, HEALTH_TIMEOUT_MS);
	struct api_result res = { 0 };
	int ok = 0;

	if (c == NULL) {
		snprintf(what, len, "out of memory");
		return 0;
	}
	if (api_request(c, "GET", "/health", NULL, 0, &res) != 0)
		snprintf(what, len, "no answer");
	else if (res.status / 100 != 2)
		snprintf(what, len, "HTTP %ld", res.status);
	else
		ok = 1;
	if (ok)
		snprintf(what, len, "ok");
	api_result_clear(&res);
	api_client_free(c);
	return ok;
}

static void print_json(const struct stack_info *info)
{
	json_t *root = json_object();
	json_t *services = json_object();
	char *text;

	for (size_t i = 0; i < info->n; i++)
		if (info->procs[i].service)
			json_object_set_new(services, info->procs[i].name,
					    json_string(info->procs[i].addr));
	json_object_set_new(root, "broker", json_string(info->broker));
	json_object_set_new(root, "services", services);
	json_object_set_new(root, "state", json_string(info->state));
	json_object_set_new(root, "tokens_file",
			    info->tokens_file[0] ? json_string(info->tokens_file)
						 : json_null());
	if (info->broker_control[0] != '\0')
		json_object_set_new(root, "broker_control",
				    json_string(info->broker_control));
	text = json_dumps(root, JSON_INDENT(2));
	if (text != NULL)
		printf("%s\n", text);
	free(text);
	json_decref(root);
}

int status_run(const struct cli_opts *o)
{
	struct stack_info info;
	char err[1024];
	char first[256] = "";
	size_t bad = 0;
	int state, name_w = 4;

	state = stack_load(o->state, &info, err, sizeof(err));
	if (state < 0) {
		fprintf(stderr, "storectl: status: %s\n", err);
		return CLI_EXIT_FAIL;
	}
	if (state == STACK_NONE || state == STACK_STALE) {
		fprintf(stderr, "storectl: %s\n",
			stack_state_reason(state, o->state, err, sizeof(err)));
		return CLI_EXIT_NOT_RUNNING;
	}
	if (state == STACK_STARTING || state == STACK_ABANDONED) {
		fprintf(stderr, "storectl: %s\n",
			stack_state_reason(state, o->state, err, sizeof(err)));
		return CLI_EXIT_FAIL;
	}
	if (!o->json) {
		printf("stack in %s, ", info.state);
		if (info.supervisor > 0)
			printf("held by 'storectl up' pid %ld (%s)\n",
			       (long)info.supervisor,
			       spawn_alive(info.supervisor, "storectl") ?
				       "running" : "gone");
		else
			printf("detached\n");
		if (info.tokens_file[0] != '\0')
			printf("bearer tokens in %s\n", info.tokens_file);
		/* As wide as the longest name (favorites is 9). */
		for (size_t i = 0; i < info.n; i++)
			if ((int)strlen(info.procs[i].name) > name_w)
				name_w = (int)strlen(info.procs[i].name);
		printf("%-*s %-28s %-8s %-8s %s\n", name_w, "NAME", "ADDRESS",
		       "PID", "PROCESS", "ANSWERS");
	}
	for (size_t i = 0; i < info.n; i++) {
		const struct stack_proc *p = &info.procs[i];
		int alive = spawn_alive(p->pid, p->program);
		char what[64] = "-";
		int ok = 0;

		if (alive && p->service)
			ok = service_answers(p->addr, o->token, what,
					     sizeof(what));
		else if (alive)
			snprintf(what, sizeof(what), "%s",
				 (ok = broker_answers(p->addr,
						      HEALTH_TIMEOUT_MS)) ?
					 "ok" :
					 "no answer");
		if (!ok) {
			if (bad++ == 0 && !alive && p->stopped)
				snprintf(first, sizeof(first),
					 "%s was stopped ('storectl service start %s' starts it again)",
					 p->program, p->name);
			else if (bad == 1)
				snprintf(first, sizeof(first), "%s (pid %ld) %s",
					 p->program, (long)p->pid,
					 alive ? "does not answer" :
						 "is not running");
		}
		if (!o->json)
			printf("%-*s %-28s %-8ld %-8s %s\n", name_w, p->name,
			       p->addr, (long)p->pid,
			       alive ? "running" : p->stopped ? "stopped" : "dead",
			       what);
	}
	if (o->json)
		print_json(&info);
	fflush(stdout);
	if (bad > 0) {
		if (bad > 1)
			fprintf(stderr, "storectl: the stack in %s is degraded: %s, and %zu more\n",
				o->state, first, bad - 1);
		else
			fprintf(stderr, "storectl: the stack in %s is degraded: %s\n",
				o->state, first);
		return CLI_EXIT_FAIL;
	}
	return CLI_EXIT_OK;
}
