#ifndef STORECTL_SPAWN_H
#define STORECTL_SPAWN_H

#include <signal.h>
#include <stddef.h>
#include <stdio.h>
#include <sys/types.h>

/*
 * The processes of the embedded stack: starting them with their output in a
 * log file, waiting for their ready line, telling whether a recorded pid is
 * still the program it was, and stopping them.
 */

/*
 * The path of program in the directory storectl itself runs from (found
 * through /proc/self/exe, so the build tree and an installed prefix both
 * work) into buf. Returns 0 when it exists and is executable, otherwise -1
 * with the reason in err.
 */
int spawn_find_program(const char *program, char *buf, size_t len, char *err,
		       size_t errlen);

/*
 * Starts path with argv and envp, stdin from /dev/null, stdout and stderr
 * appended to log_path. The child gets its own process group so a Ctrl-C
 * in the terminal reaches only storectl, which then stops it in order. When
 * detach is set it gets its own session instead, to outlive the terminal;
 * otherwise it asks the kernel for SIGTERM when storectl dies
 * (PR_SET_PDEATHSIG), so a crashed 'storectl up' leaves nothing behind.
 * Must be called from the thread that stays alive for the children's life
 * (the main thread): the death signal follows the forking thread.
 * Returns the pid, or -1 with the reason in err (including a failed exec).
 */
pid_t spawn_start(const char *path, char *const argv[], char *const envp[],
		  const char *log_path, int detach, char *err, size_t errlen);

/*
 * Waits until the log at log_path, read from offset start, has a line with
 * "listening on ADDR", and copies ADDR (up to the next blank) into addr.
 * Gives up after timeout_ms, when the child pid exits, or when *cancel
 * becomes non-zero. Returns 0, or -1 with the reason in err.
 */
int spawn_wait_ready(pid_t pid, const char *program, const char *log_path,
		     off_t start, int timeout_ms, volatile sig_atomic_t *cancel,
		     char *addr, size_t addrlen, char *err, size_t errlen);

/*
 * Finds a complete line with mark ("control on ") in the log at log_path
 * from offset start, and copies what follows mark up to the next blank
 * into value. Returns 0, or -1 when there is none.
 */
int spawn_log_find(const char *log_path, off_t start, const char *mark,
		   char *value, size_t len);

/* The size of the file at path, 0 when it does not exist. */
off_t spawn_log_size(const char *path);

/* Prints the last lines of log_path after offset start to out, indented. */
void spawn_log_tail(const char *log_path, off_t start, int lines, FILE *out);

/*
 * Whether pid is alive and still runs program (its executable's base name),
 * so a recycled pid is never mistaken for ours. Reaps pid first when it is
 * our own exited child.
 */
int spawn_alive(pid_t pid, const char *program);

/*
 * spawn_alive, or on its way out: its memory is released but it is not a
 * zombie yet, and may still hold its port and files. Waiting for a stop
 * waits for this.
 */
int spawn_running(pid_t pid, const char *program);

/*
 * Stops n processes together: SIGTERM to each that is alive, up to
 * timeout_ms for all of them to exit (spawn_running), then SIGKILL to the
 * rest. Returns how many needed SIGKILL.
 */
int spawn_stop(const pid_t *pids, const char *const *programs, size_t n,
	       int timeout_ms);

#endif
