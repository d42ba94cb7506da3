/* The embedded stack's tokens file: made once, read by role. */
#include "cli/stacktokens.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <unistd.h>

#include <jansson.h>

#include "cli/seed.h"
#include "cli/statedir.h"

#define FILE_MAX (1024 * 1024)

void stacktokens_wipe(char *buf, size_t len)
{
	volatile char *p = buf;

	while (len-- > 0)
		*p++ = 0;
}

/* STACKTOKENS_LEN random hex digits and a NUL into buf. */
static int random_token(char *buf, char *err, size_t errlen)
{
	unsigned char raw[STACKTOKENS_LEN / 2];
	size_t got = 0;

	while (got < sizeof(raw)) {
		ssize_t n = getrandom(raw + got, sizeof(raw) - got, 0);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			snprintf(err, errlen, "getrandom: %s", strerror(errno));
			return -1;
		}
		got += (size_t)n;
	}
	for (size_t i = 0; i < sizeof(raw); i++)
		snprintf(buf + 2 * i, 3, "%02x", raw[i]);
	stacktokens_wipe((char *)raw, sizeof(raw));
	return 0;
}

/* Appends {"token": new, "role": role[, "owner": owner]} to list. */
static int add_token(json_t *list, const char *role, const char *owner,
		     char *err, size_t errlen)
{
	char token[STACKTOKENS_LEN + 1];
	json_t *e;
	int rc;

	if (random_token(token, err, errlen))
		return -1;
	e = owner ? json_pack("{s:s, s:s, s:s}", "token", token, "role", role,
			      "owner", owner)
		  : json_pack("{s:s, s:s}", "token", token, "role", role);
	stacktokens_wipe(token, sizeof(token));
	rc = e == NULL ? -1 : json_array_append_new(list, e);
	if (rc)
		snprintf(err, errlen, "out of memory");
	return rc;
}

/* Writes doc to path through a 0600 temporary file and a rename. */
static int write_private(const char *path, json_t *doc, char *err,
			 size_t errlen)
{
	char tmp[PATH_MAX];
	char *text;
	size_t len, off = 0;
	int fd, n;

	n = snprintf(tmp, sizeof(tmp), "%s.tmp.%ld", path, (long)getpid());
	if (n < 0 || (size_t)n >= sizeof(tmp)) {
		snprintf(err, errlen, "%s: path too long", path);
		return -1;
	}
	text = json_dumps(doc, JSON_INDENT(2));
	if (text == NULL) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	len = strlen(text);
	fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
	if (fd < 0) {
		snprintf(err, errlen, "cannot create %s: %s", tmp,
			 strerror(errno));
		goto fail;
	}
	while (off < len) {
		ssize_t w = write(fd, text + off, len - off);

		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0) {
			snprintf(err, errlen, "cannot write %s: %s", tmp,
				 strerror(errno));
			goto fail;
		}
		off += (size_t)w;
	}
	if (write(fd, "\n", 1) != 1 || fsync(fd) != 0) {
		snprintf(err, errlen, "cannot write %s: %s", tmp,
			 strerror(errno));
		goto fail;
	}
	close(fd);
	fd = -1;
	/* link() fails when path exists: a concurrent 'up' made it first. */
	if (link(tmp, path) != 0 && errno != EEXIST) {
		snprintf(err, errlen, "cannot create %s: %s", path,
			 strerror(errno));
		goto fail;
	}
	unlink(tmp);
	stacktokens_wipe(text, len);
	free(text);
	return 0;
fail:
	if (fd >= 0)
		close(fd);
	unlink(tmp);
	stacktokens_wipe(text, len);
	free(text);
	return -1;
}

/* 0 when path is a regular file no one else may read, else -1 with err. */
static int check_private(const char *path, int fd, char *err, size_t errlen)
{
	struct stat st;

	if (fstat(fd, &st) != 0) {
		snprintf(err, errlen, "cannot read %s: %s", path,
			 strerror(errno));
		return -1;
	}
	if (!S_ISREG(st.st_mode) || st.st_size > FILE_MAX) {
		snprintf(err, errlen, "%s is not a tokens file", path);
		return -1;
	}
	if (st.st_mode & (S_IRWXG | S_IRWXO)) {
		snprintf(err, errlen,
			 "%s holds bearer tokens but others may read it (mode %03o); run chmod 600 %s",
			 path, (unsigned)(st.st_mode & 0777), path);
		return -1;
	}
	return 0;
}

int stacktokens_ensure(const char *path, char *err, size_t errlen)
{
	json_t *doc, *list;
	char owner[24];
	int fd, rc;

	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd >= 0) {
		rc = check_private(path, fd, err, errlen);
		close(fd);
		return rc ? -1 : 1;
	}
	if (errno != ENOENT) {
		snprintf(err, errlen, "cannot read %s: %s", path,
			 strerror(errno));
		return -1;
	}
	list = json_array();
	doc = json_pack("{s:o}", "tokens", list);
	if (doc == NULL) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	rc = add_token(list, "operator", NULL, err, errlen) ||
	     add_token(list, "service", NULL, err, errlen);
	for (int i = 1; rc == 0 && i <= SEED_OWNERS; i++) {
		snprintf(owner, sizeof(owner), "owner-%d", i);
		rc = add_token(list, "owner", owner, err, errlen);
	}
	if (rc == 0)
		rc = write_private(path, doc, err, errlen);
	/* jansson keeps the strings; wipe them before freeing. */
	for (size_t i = 0; i < json_array_size(list); i++) {
		json_t *t = json_object_get(json_array_get(list, i), "token");

		if (json_is_string(t))
			stacktokens_wipe((char *)json_string_value(t),
					 json_string_length(t));
	}
	json_decref(doc);
	return rc ? -1 : 0;
}

/* Reads the whole file at path (checked private) into a new string. */
static char *read_private(const char *path, char *err, size_t errlen)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	struct stat st;
	char *text = NULL;
	size_t off = 0;

	if (fd < 0) {
		snprintf(err, errlen, "cannot read %s: %s", path,
			 strerror(errno));
		return NULL;
	}
	if (check_private(path, fd, err, errlen) || fstat(fd, &st) != 0)
		goto out;
	text = malloc((size_t)st.st_size + 1);
	if (text == NULL) {
		snprintf(err, errlen, "out of memory");
		goto out;
	}
	while (off < (size_t)st.st_size) {
		ssize_t n = read(fd, text + off, (size_t)st.st_size - off);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		off += (size_t)n;
	}
	text[off] = '\0';
out:
	close(fd);
	return text;
}

int stacktokens_read(const char *path, const char *role, const char *owner,
		     char *buf, size_t len, char *err, size_t errlen)
{
	json_error_t jerr;
	char *text = read_private(path, err, errlen);
	json_t *doc, *list, *e;
	size_t i;
	int rc = 1;

	if (len > 0)
		buf[0] = '\0';
	if (text == NULL)
		return -1;
	doc = json_loads(text, 0, &jerr);
	stacktokens_wipe(text, strlen(text));
	free(text);
	list = json_object_get(doc, "tokens");
	if (!json_is_array(list)) {
		snprintf(err, errlen, "%s is not a tokens file (an object with \"tokens\": [...])",
			 path);
		json_decref(doc);
		return -1;
	}
	json_array_foreach(list, i, e) {
		const char *r = json_string_value(json_object_get(e, "role"));
		const char *o = json_string_value(json_object_get(e, "owner"));
		json_t *t = json_object_get(e, "token");

		if (r == NULL || strcmp(r, role) != 0 || !json_is_string(t) ||
		    (owner != NULL && (o == NULL || strcmp(o, owner) != 0)))
			continue;
		if (json_string_length(t) >= len) {
			snprintf(err, errlen, "%s: the %s token is too long",
				 path, role);
			rc = -1;
		} else {
			memcpy(buf, json_string_value(t),
			       json_string_length(t) + 1);
			rc = 0;
		}
		break;
	}
	json_array_foreach(list, i, e) {
		json_t *t = json_object_get(e, "token");

		if (json_is_string(t))
			stacktokens_wipe((char *)json_string_value(t),
					 json_string_length(t));
	}
	json_decref(doc);
	return rc;
}

int stacktokens_for(const char *abs, const char *owner, char *buf, size_t len,
		    char *err, size_t errlen)
{
	char path[PATH_MAX];

	if (statedir_path(path, sizeof(path), abs, STACKTOKENS_FILE)) {
		snprintf(err, errlen, "state directory %s: path too long", abs);
		return -1;
	}
	return owner != NULL ?
		       stacktokens_read(path, "owner", owner, buf, len, err,
					errlen) :
		       stacktokens_read(path, "operator", NULL, buf, len, err,
					errlen);
}
