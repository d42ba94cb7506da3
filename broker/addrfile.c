#include "broker/addrfile.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

int addrfile_write(const char *path, const char *addr, char *err,
		   size_t errlen)
{
	char tmp[4096];
	size_t len = strlen(addr);
	int fd;
	int n;

	n = snprintf(tmp, sizeof(tmp), "%s.tmp.%ld", path, (long)getpid());
	if (n < 0 || (size_t)n >= sizeof(tmp)) {
		snprintf(err, errlen, "bootstrap file %s: path too long", path);
		return -1;
	}
	fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (fd < 0) {
		snprintf(err, errlen, "bootstrap file %s: %s", tmp,
			 strerror(errno));
		return -1;
	}
	if (write(fd, addr, len) != (ssize_t)len || write(fd, "\n", 1) != 1 ||
	    fsync(fd) != 0) {
		snprintf(err, errlen, "bootstrap file %s: %s", tmp,
			 strerror(errno));
		close(fd);
		unlink(tmp);
		return -1;
	}
	if (close(fd) != 0 || rename(tmp, path) != 0) {
		snprintf(err, errlen, "bootstrap file %s: %s", path,
			 strerror(errno));
		unlink(tmp);
		return -1;
	}
	return 0;
}

void addrfile_remove(const char *path, const char *addr)
{
	char buf[4096];
	size_t len = strlen(addr);
	ssize_t n;
	int fd;

	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return;
	n = read(fd, buf, sizeof(buf));
	close(fd);
	if (n == (ssize_t)len + 1 && memcmp(buf, addr, len) == 0 &&
	    buf[len] == '\n')
		unlink(path);
}
