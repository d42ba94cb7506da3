/* pipe2() */
#define _GNU_SOURCE
#include "cli/spawn.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "common/clock.h"

#define READY_MARK "listening on "
#define READY_SCAN_MAX (256 * 1024)

static void sleep_ms(int ms)
{
	struct timespec ts = { ms / 1000, (long)(ms % 1000) * 1000000L };

	nanosleep(&ts, NULL);
}

int spawn_find_program(const char *program, char *buf, size_t len, char *err,
		       size_t errlen)
{
	char self[PATH_MAX];
	ssize_t n = readlink("/proc/self/exe", self, sizeof(self) - 1);
	char *slash;
	int w;

	if (n < 0) {
		snprintf(err, errlen, "cannot find my own executable: %s",
			 strerror(errno));
		return -1;
	}
	self[n] = '\0';
	slash = strrchr(self, '/');
	if (slash != NULL)
		*slash = '\0';
	w = snprintf(buf, len, "%s/%s", self, program);
	if (w < 0 || (size_t)w >= len) {
		snprintf(err, errlen, "%s: path too long", program);
		return -1;
	}
	if (access(buf, X_OK) != 0) {
		snprintf(err, errlen, "%s not found next to storectl in %s (%s)",
			 program, self, strerror(errno));
		return -1;
	}
	return 0;
}

/* Records in the log which command started the process (never the env). */
static void log_header(int fd, char *const argv[])
{
	char ts[32];
	char line[4096];
	size_t used;
	int n;

	clock_format_iso(clock_wall_ms(), ts, sizeof(ts));
	n = snprintf(line, sizeof(line), "--- %s storectl started:", ts);
	if (n < 0 || (size_t)n >= sizeof(line))
		return;
	used = (size_t)n;
	for (size_t i = 0; argv[i] != NULL; i++) {
		n = snprintf(line + used, sizeof(line) - used, " %s", argv[i]);
		if (n < 0 || (size_t)n >= sizeof(line) - used)
			break;
		used += (size_t)n;
	}
	if (used < sizeof(line) - 1)
		line[used++] = '\n';
	if (write(fd, line, used) < 0)
		return;
}

/* In the child between fork and exec: only async-signal-safe calls. */
static void child_exec(const char *path, char *const argv[],
		       char *const envp[], int nullfd, int logfd, int errfd,
		       int detach, pid_t parent)
{
	static const int sigs[] = { SIGINT, SIGTERM, SIGHUP, SIGQUIT,
				    SIGPIPE, SIGCHLD };
	struct sigaction dfl;
	sigset_t none;
	int e;

	if (detach)
		setsid();
	else
		setpgid(0, 0);
	if (!detach) {
		prctl(PR_SET_PDEATHSIG, SIGTERM);
		/* The parent may have died before prctl took effect. */
		if (getppid() != parent)
			_exit(127);
	}
	memset(&dfl, 0, sizeof(dfl));
	dfl.sa_handler = SIG_DFL;
	/* Ignored signals stay ignored across exec; services want defaults. */
	for (size_t i = 0; i < sizeof(sigs) / sizeof(sigs[0]); i++)
		sigaction(sigs[i], &dfl, NULL);
	sigemptyset(&none);
	sigprocmask(SIG_SETMASK, &none, NULL);
	if (dup2(nullfd, STDIN_FILENO) < 0 || dup2(logfd, STDOUT_FILENO) < 0 ||
	    dup2(logfd, STDERR_FILENO) < 0)
		goto fail;
	execve(path, argv, envp);
fail:
	e = errno;
	if (write(errfd, &e, sizeof(e)) < 0)
		_exit(127);
	_exit(127);
}

pid_t spawn_start(const char *path, char *const argv[], char *const envp[],
		  const char *log_path, int detach, char *err, size_t errlen)
{
	pid_t parent = getpid();
	int pipefd[2] = { -1, -1 };
	int logfd, nullfd = -1;
	pid_t pid = -1;
	ssize_t n;
	int e;

	logfd = open(log_path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0640);
	if (logfd < 0) {
		snprintf(err, errlen, "cannot open %s: %s", log_path,
			 strerror(errno));
		return -1;
	}
	nullfd = open("/dev/null", O_RDONLY | O_CLOEXEC);
	if (nullfd < 0 || pipe2(pipefd, O_CLOEXEC) != 0) {
		snprintf(err, errlen, "cannot start %s: %s", path,
			 strerror(errno));
		goto out;
	}
	log_header(logfd, argv);
	pid = fork();
	if (pid < 0) {
		snprintf(err, errlen, "cannot start %s: fork: %s", path,
			 strerror(errno));
		goto out;
	}
	if (pid == 0) {
		close(pipefd[0]);
		child_exec(path, argv, envp, nullfd, logfd, pipefd[1], detach,
			   parent);
	}
	close(pipefd[1]);
	pipefd[1] = -1;
	/* The pipe closes on exec; bytes on it mean the exec failed. */
	do
		n = read(pipefd[0], &e, sizeof(e));
	while (n < 0 && errno == EINTR);
	if (n == (ssize_t)sizeof(e)) {
		snprintf(err, errlen, "cannot run %s: %s", path, strerror(e));
		while (waitpid(pid, NULL, 0) < 0 && errno == EINTR)
			;
		pid = -1;
	}
out:
	if (pipefd[0] >= 0)
		close(pipefd[0]);
	if (pipefd[1] >= 0)
		close(pipefd[1]);
	if (nullfd >= 0)
		close(nullfd);
	close(logfd);
	return pid;
}

off_t spawn_log_size(const char *path)
{
	struct stat st;

	return stat(path, &st) == 0 ? st.st_size : 0;
}

/*
 * Finds mark in buf, in a complete line; copies what follows it up to the
 * next blank into addr. Returns 0 when found.
 */
static int find_mark(const char *buf, const char *mark, char *addr,
		     size_t addrlen)
{
	const char *p = buf;

	while ((p = strstr(p, mark)) != NULL) {
		const char *a = p + strlen(mark);
		size_t len = strcspn(a, " \t\r\n");

		p = a;
		/* Only a complete line: the writer may be half-way through. */
		if (a[len] == '\0' || len == 0 || len >= addrlen)
			continue;
		memcpy(addr, a, len);
		addr[len] = '\0';
		return 0;
	}
	return -1;
}

static void describe_exit(int status, char *buf, size_t len)
{
	if (WIFEXITED(status))
		snprintf(buf, len, "exited with status %d", WEXITSTATUS(status));
	else if (WIFSIGNALED(status))
		snprintf(buf, len, "was killed by signal %d", WTERMSIG(status));
	else
		snprintf(buf, len, "stopped");
}

int spawn_wait_ready(pid_t pid, const char *program, const char *log_path,
		     off_t start, int timeout_ms, volatile sig_atomic_t *cancel,
		     char *addr, size_t addrlen, char *err, size_t errlen)
{
	double deadline = clock_mono_ms() + timeout_ms;
	char *buf = malloc(READY_SCAN_MAX + 1);
	int rc = -1;

	if (buf == NULL) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	for (;;) {
		int fd = open(log_path, O_RDONLY | O_CLOEXEC);
		int status;
		char how[64];
		ssize_t n = 0;

		if (fd >= 0) {
			n = pread(fd, buf, READY_SCAN_MAX, start);
			close(fd);
		}
		buf[n > 0 ? n : 0] = '\0';
		if (find_mark(buf, READY_MARK, addr, addrlen) == 0) {
			rc = 0;
			break;
		}
		if (waitpid(pid, &status, WNOHANG) == pid) {
			describe_exit(status, how, sizeof(how));
			snprintf(err, errlen, "%s %s before it was ready",
				 program, how);
			break;
		}
		if (cancel != NULL && *cancel) {
			snprintf(err, errlen, "interrupted while starting %s",
				 program);
			break;
		}
		if (clock_mono_ms() >= deadline) {
			snprintf(err, errlen,
				 "%s did not say it was ready within %d s",
				 program, timeout_ms / 1000);
			break;
		}
		sleep_ms(20);
	}
	free(buf);
	return rc;
}

int spawn_log_find(const char *log_path, off_t start, const char *mark,
		   char *value, size_t len)
{
	char *buf = malloc(READY_SCAN_MAX + 1);
	ssize_t n = 0;
	int fd, rc;

	if (buf == NULL)
		return -1;
	fd = open(log_path, O_RDONLY | O_CLOEXEC);
	if (fd >= 0) {
		n = pread(fd, buf, READY_SCAN_MAX, start);
		close(fd);
	}
	buf[n > 0 ? n : 0] = '\0';
	rc = find_mark(buf, mark, value, len);
	free(buf);
	return rc;
}

void spawn_log_tail(const char *log_path, off_t start, int lines, FILE *out)
{
	char buf[8192];
	off_t size = spawn_log_size(log_path);
	off_t from = size - (off_t)(sizeof(buf) - 1);
	const char *first;
	const char *p;
	ssize_t n;
	int fd;

	if (from < start)
		from = start;
	fd = open(log_path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return;
	n = pread(fd, buf, sizeof(buf) - 1, from);
	close(fd);
	if (n <= 0)
		return;
	buf[n] = '\0';
	p = buf;
	/* Cut mid-file: drop the partial first line. */
	if (from > start && strchr(buf, '\n') != NULL)
		p = strchr(buf, '\n') + 1;
	/* Walk back over the last `lines` newlines (ignoring a final one). */
	first = p;
	p = buf + n;
	if (p > first && p[-1] == '\n')
		p--;
	while (p > first) {
		if (p[-1] == '\n' && --lines == 0)
			break;
		p--;
	}
	fprintf(out, "last lines of %s:\n", log_path);
	while (*p != '\0') {
		size_t len = strcspn(p, "\n");

		fprintf(out, "  | %.*s\n", (int)len, p);
		p += len;
		if (*p == '\n')
			p++;
	}
}

int spawn_alive(pid_t pid, const char *program)
{
	static const char deleted[] = " (deleted)";
	char link[64];
	char exe[PATH_MAX];
	const char *base;
	size_t len;
	ssize_t n;

	if (pid <= 1)
		return 0;
	/* Our own exited child would otherwise linger as a zombie. */
	if (waitpid(pid, NULL, WNOHANG) == pid)
		return 0;
	snprintf(link, sizeof(link), "/proc/%ld/exe", (long)pid);
	n = readlink(link, exe, sizeof(exe) - 1);
	if (n < 0)
		return 0; /* gone, a zombie, or not ours to look at */
	exe[n] = '\0';
	/* A binary rebuilt while it runs shows up as "path (deleted)". */
	len = (size_t)n;
	if (len > sizeof(deleted) - 1 &&
	    strcmp(exe + len - (sizeof(deleted) - 1), deleted) == 0)
		exe[len - (sizeof(deleted) - 1)] = '\0';
	base = strrchr(exe, '/');
	base = base != NULL ? base + 1 : exe;
	return strcmp(base, program) == 0;
}

/*
 * Whether pid is on its way out: its memory (and so /proc/PID/exe) is
 * already released, but it is not a zombie yet. It may still hold its
 * listening socket and files then, so a stop waits for this too.
 */
static int spawn_exiting(pid_t pid)
{
	char path[64], exe[PATH_MAX], buf[512];
	const char *paren;
	ssize_t n;
	int fd;

	snprintf(path, sizeof(path), "/proc/%ld/exe", (long)pid);
	if (readlink(path, exe, sizeof(exe)) >= 0 || errno != ENOENT)
		return 0;
	snprintf(path, sizeof(path), "/proc/%ld/stat", (long)pid);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return 0;
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n <= 0)
		return 0;
	buf[n] = '\0';
	/* "PID (comm) S ...": the state follows the last parenthesis. */
	paren = strrchr(buf, ')');
	return paren != NULL && paren[1] == ' ' && paren[2] != 'Z' &&
	       paren[2] != 'X' && paren[2] != 'x';
}

int spawn_running(pid_t pid, const char *program)
{
	return spawn_alive(pid, program) || spawn_exiting(pid);
}

int spawn_stop(const pid_t *pids, const char *const *programs, size_t n,
	       int timeout_ms)
{
	double deadline = clock_mono_ms() + timeout_ms;
	int killed = 0;
	int left;

	for (size_t i = 0; i < n; i++)
		if (spawn_alive(pids[i], programs[i]))
			kill(pids[i], SIGTERM);
	for (;;) {
		left = 0;
		for (size_t i = 0; i < n; i++)
			left += spawn_running(pids[i], programs[i]);
		if (left == 0 || clock_mono_ms() >= deadline)
			break;
		sleep_ms(20);
	}
	if (left == 0)
		return 0;
	for (size_t i = 0; i < n; i++)
		if (spawn_alive(pids[i], programs[i])) {
			kill(pids[i], SIGKILL);
			killed++;
		}
	/* SIGKILL cannot be refused, but the exit takes a moment. */
	deadline = clock_mono_ms() + 2000;
	do {
		left = 0;
		for (size_t i = 0; i < n; i++)
			left += spawn_running(pids[i], programs[i]);
		if (left > 0)
			sleep_ms(20);
	} while (left > 0 && clock_mono_ms() < deadline);
	return killed;
}
