#include "cli/stackfile.h"

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <jansson.h>

const char *stackfile_service(const struct stack_info *info, const char *name)
{
	for (size_t i = 0; i < info->n; i++)
		if (info->procs[i].service &&
		    strcmp(info->procs[i].name, name) == 0)
			return info->procs[i].addr[0] ? info->procs[i].addr :
							 NULL;
	return NULL;
}

int stackfile_set_args(struct stack_proc *p, char *const argv[])
{
	size_t used = 0;

	for (size_t i = 0; argv[i] != NULL; i++) {
		size_t len = strlen(argv[i]) + 1;

		if (used + len > sizeof(p->args)) {
			p->args_len = 0;
			return -1;
		}
		memcpy(p->args + used, argv[i], len);
		used += len;
	}
	p->args_len = used;
	return 0;
}

void stackfile_get_args(const struct stack_proc *p, struct strvec *out)
{
	for (size_t at = 0; at < p->args_len; at += strlen(p->args + at) + 1)
		strvec_push(out, p->args + at);
}

static json_t *args_to_json(const struct stack_proc *p)
{
	json_t *a = json_array();

	for (size_t at = 0; a != NULL && at < p->args_len;
	     at += strlen(p->args + at) + 1)
		json_array_append_new(a, json_string(p->args + at));
	return a;
}

static int args_from_json(json_t *a, struct stack_proc *p)
{
	json_t *item;
	size_t i;

	p->args_len = 0;
	if (a == NULL)
		return 0; /* written by an older storectl */
	if (!json_is_array(a))
		return -1;
	json_array_foreach(a, i, item) {
		const char *s = json_string_value(item);
		size_t len;

		if (s == NULL)
			return -1;
		len = strlen(s) + 1;
		if (p->args_len + len > sizeof(p->args))
			return -1;
		memcpy(p->args + p->args_len, s, len);
		p->args_len += len;
	}
	return 0;
}

static json_t *stack_to_json(const struct stack_info *info)
{
	json_t *root = json_object();
	json_t *services = json_object();
	json_t *procs = json_array();

	if (root == NULL || services == NULL || procs == NULL) {
		json_decref(root);
		json_decref(services);
		json_decref(procs);
		return NULL;
	}
	json_object_set_new(root, "id", json_string(info->id));
	json_object_set_new(root, "state", json_string(info->state));
	json_object_set_new(root, "broker", json_string(info->broker));
	if (info->broker_control[0] != '\0')
		json_object_set_new(root, "broker_control",
				    json_string(info->broker_control));
	if (info->tokens_file[0] != '\0')
		json_object_set_new(root, "tokens_file",
				    json_string(info->tokens_file));
	for (size_t i = 0; i < info->n; i++) {
		const struct stack_proc *p = &info->procs[i];

		if (p->service)
			json_object_set_new(services, p->name,
					    json_string(p->addr));
		json_t *item = json_pack("{s:s, s:s, s:I, s:o}", "name",
					 p->name, "program", p->program, "pid",
					 (json_int_t)p->pid, "args",
					 args_to_json(p));

		if (item != NULL && p->stopped)
			json_object_set_new(item, "stopped", json_true());
		if (item == NULL || json_array_append_new(procs, item) != 0) {
			json_decref(root);
			json_decref(services);
			json_decref(procs);
			return NULL;
		}
	}
	json_object_set_new(root, "services", services);
	json_object_set_new(root, "processes", procs);
	if (info->starting)
		json_object_set_new(root, "starting", json_true());
	if (info->supervisor > 0)
		json_object_set_new(root, "supervisor",
				    json_pack("{s:I, s:s}", "pid",
					      (json_int_t)info->supervisor,
					      "program", "storectl"));
	return root;
}

int stackfile_write(const char *path, const struct stack_info *info,
		    char *err, size_t errlen)
{
	char tmp[PATH_MAX];
	json_t *root;
	FILE *f;
	int n;
	int rc;

	n = snprintf(tmp, sizeof(tmp), "%s.tmp.%ld", path, (long)getpid());
	if (n < 0 || (size_t)n >= sizeof(tmp)) {
		snprintf(err, errlen, "%s: path too long", path);
		return -1;
	}
	root = stack_to_json(info);
	if (root == NULL) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	f = fopen(tmp, "we");
	if (f == NULL) {
		snprintf(err, errlen, "cannot write %s: %s", tmp,
			 strerror(errno));
		json_decref(root);
		return -1;
	}
	rc = json_dumpf(root, f, JSON_INDENT(2));
	json_decref(root);
	if (rc != 0 || fputc('\n', f) == EOF || fflush(f) != 0 ||
	    fsync(fileno(f)) != 0) {
		snprintf(err, errlen, "cannot write %s: %s", tmp,
			 strerror(errno));
		fclose(f);
		unlink(tmp);
		return -1;
	}
	if (fclose(f) != 0 || rename(tmp, path) != 0) {
		snprintf(err, errlen, "cannot write %s: %s", path,
			 strerror(errno));
		unlink(tmp);
		return -1;
	}
	return 0;
}

/* Copies a string member into dst; returns 0, or -1 when absent or too long. */
static int copy_str(json_t *obj, const char *key, char *dst, size_t len)
{
	const char *v = json_string_value(json_object_get(obj, key));

	if (v == NULL || strlen(v) >= len)
		return -1;
	strcpy(dst, v);
	return 0;
}

static int read_pid(json_t *v, pid_t *pid)
{
	json_int_t n;

	if (!json_is_integer(v))
		return -1;
	n = json_integer_value(v);
	if (n <= 1 || n > INT_MAX)
		return -1;
	*pid = (pid_t)n;
	return 0;
}

static int stack_from_json(json_t *root, struct stack_info *info)
{
	json_t *procs = json_object_get(root, "processes");
	json_t *services = json_object_get(root, "services");
	json_t *sup = json_object_get(root, "supervisor");
	json_t *item;
	size_t i;

	memset(info, 0, sizeof(*info));
	if (!json_is_object(root) || !json_is_array(procs) ||
	    json_array_size(procs) > STACK_PROCS_MAX ||
	    (services != NULL && !json_is_object(services)) ||
	    copy_str(root, "id", info->id, sizeof(info->id)) ||
	    copy_str(root, "state", info->state, sizeof(info->state)) ||
	    copy_str(root, "broker", info->broker, sizeof(info->broker)))
		return -1;
	if (sup != NULL && read_pid(json_object_get(sup, "pid"),
				    &info->supervisor))
		return -1;
	/* Written by a newer storectl than an older one reads: optional. */
	if ((json_object_get(root, "broker_control") != NULL &&
	     copy_str(root, "broker_control", info->broker_control,
		      sizeof(info->broker_control))) ||
	    (json_object_get(root, "tokens_file") != NULL &&
	     copy_str(root, "tokens_file", info->tokens_file,
		      sizeof(info->tokens_file))))
		return -1;
	info->starting = json_is_true(json_object_get(root, "starting"));
	json_array_foreach(procs, i, item) {
		struct stack_proc *p = &info->procs[i];
		const char *url;

		if (copy_str(item, "name", p->name, sizeof(p->name)) ||
		    copy_str(item, "program", p->program, sizeof(p->program)) ||
		    strchr(p->program, '/') != NULL ||
		    read_pid(json_object_get(item, "pid"), &p->pid) ||
		    args_from_json(json_object_get(item, "args"), p))
			return -1;
		p->stopped = json_is_true(json_object_get(item, "stopped"));
		url = json_string_value(json_object_get(services, p->name));
		if (url != NULL) {
			if (strlen(url) >= sizeof(p->addr))
				return -1;
			strcpy(p->addr, url);
			p->service = 1;
		} else if (strcmp(p->name, "broker") == 0) {
			strcpy(p->addr, info->broker);
		}
		info->n++;
	}
	return 0;
}

int stackfile_read(const char *path, struct stack_info *info, char *err,
		   size_t errlen)
{
	json_error_t jerr;
	json_t *root;
	int rc;

	if (access(path, F_OK) != 0 && errno == ENOENT)
		return 1;
	root = json_load_file(path, 0, &jerr);
	if (root == NULL) {
		if (access(path, F_OK) != 0 && errno == ENOENT)
			return 1;
		snprintf(err, errlen, "cannot read %s: %s", path, jerr.text);
		return -1;
	}
	rc = stack_from_json(root, info);
	json_decref(root);
	if (rc != 0) {
		snprintf(err, errlen, "%s is not a stack file storectl understands",
			 path);
		return -1;
	}
	return 0;
}

int stackfile_remove_if(const char *path, const char *id)
{
	struct stack_info info;
	char err[256];

	if (stackfile_read(path, &info, err, sizeof(err)) != 0 ||
	    strcmp(info.id, id) != 0)
		return 1;
	return unlink(path) == 0 ? 0 : 1;
}
