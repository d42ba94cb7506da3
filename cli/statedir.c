#include "cli/statedir.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

int statedir_path(char *buf, size_t len, const char *dir, const char *rel)
{
	int n = snprintf(buf, len, "%s/%s", dir, rel);

	return n < 0 || (size_t)n >= len ? -1 : 0;
}

/* mkdir -p: creates each missing component of path. */
static int mkdir_parents(const char *path, char *err, size_t errlen)
{
	char buf[PATH_MAX];
	size_t len = strlen(path);

	if (len == 0 || len >= sizeof(buf)) {
		snprintf(err, errlen, "state directory \"%s\": bad path", path);
		return -1;
	}
	memcpy(buf, path, len + 1);
	for (size_t i = 1; i <= len; i++) {
		if (buf[i] != '/' && buf[i] != '\0')
			continue;
		buf[i] = '\0';
		if (mkdir(buf, 0755) != 0 && errno != EEXIST) {
			snprintf(err, errlen, "cannot create %s: %s", buf,
				 strerror(errno));
			return -1;
		}
		buf[i] = path[i];
	}
	return 0;
}

int statedir_resolve(const char *dir, char *abs, size_t abslen, char *err,
		     size_t errlen)
{
	char real[PATH_MAX];
	struct stat st;

	if (realpath(dir, real) == NULL) {
		if (errno == ENOENT)
			return 1;
		snprintf(err, errlen, "state directory %s: %s", dir,
			 strerror(errno));
		return -1;
	}
	if (stat(real, &st) != 0 || !S_ISDIR(st.st_mode)) {
		snprintf(err, errlen, "state directory %s is not a directory",
			 dir);
		return -1;
	}
	if (strlen(real) >= abslen) {
		snprintf(err, errlen, "state directory %s: path too long", dir);
		return -1;
	}
	strcpy(abs, real);
	return 0;
}

int statedir_prepare(const char *dir, char *abs, size_t abslen, char *err,
		     size_t errlen)
{
	static const char *const subdirs[] = { STATEDIR_LOGS, STATEDIR_DB };
	char sub[PATH_MAX];
	int rc;

	if (mkdir_parents(dir, err, errlen))
		return -1;
	rc = statedir_resolve(dir, abs, abslen, err, errlen);
	if (rc != 0) {
		if (rc > 0)
			snprintf(err, errlen, "state directory %s vanished", dir);
		return -1;
	}
	for (size_t i = 0; i < sizeof(subdirs) / sizeof(subdirs[0]); i++) {
		if (statedir_path(sub, sizeof(sub), abs, subdirs[i])) {
			snprintf(err, errlen, "state directory %s: path too long",
				 dir);
			return -1;
		}
		if (mkdir(sub, 0755) != 0 && errno != EEXIST) {
			snprintf(err, errlen, "cannot create %s: %s", sub,
				 strerror(errno));
			return -1;
		}
	}
	return 0;
}

int statedir_lock(const char *abs, int timeout_ms, char *err, size_t errlen)
{
	const struct timespec step = { 0, 50 * 1000 * 1000 };
	char path[PATH_MAX];
	int waited = 0;
	int fd;

	if (statedir_path(path, sizeof(path), abs, STATEDIR_LOCK_FILE)) {
		snprintf(err, errlen, "state directory %s: path too long", abs);
		return -1;
	}
	fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0644);
	if (fd < 0) {
		snprintf(err, errlen, "cannot open %s: %s", path,
			 strerror(errno));
		return -1;
	}
	while (flock(fd, LOCK_EX | LOCK_NB) != 0) {
		if (errno != EWOULDBLOCK && errno != EINTR) {
			snprintf(err, errlen, "cannot lock %s: %s", path,
				 strerror(errno));
			close(fd);
			return -1;
		}
		if (waited >= timeout_ms) {
			snprintf(err, errlen,
				 "another storectl is starting or stopping the stack in %s",
				 abs);
			close(fd);
			return -1;
		}
		nanosleep(&step, NULL);
		waited += 50;
	}
	return fd;
}

void statedir_unlock(int fd)
{
	if (fd >= 0)
		close(fd);
}
