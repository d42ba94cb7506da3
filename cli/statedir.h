#ifndef STORECTL_STATEDIR_H
#define STORECTL_STATEDIR_H

#include <stddef.h>

/*
 * The state directory of an embedded stack (default ./var):
 *
 *   stack.json   what runs where (cli/stackfile.h), present while it runs
 *   .lock        serializes 'up' and 'down' on this directory
 *   logs/NAME.log  each process's stdout and stderr, appended
 *   db/NAME.db   each service's SQLite database, kept across restarts
 */

#define STATEDIR_STACK_FILE "stack.json"
#define STATEDIR_LOCK_FILE ".lock"
#define STATEDIR_LOGS "logs"
#define STATEDIR_DB "db"

/*
 * Creates dir (and its parents), logs/ and db/ under it when missing, and
 * puts its absolute path into abs. Returns 0, or -1 with the reason in err.
 */
int statedir_prepare(const char *dir, char *abs, size_t abslen, char *err,
		     size_t errlen);

/*
 * The absolute path of an existing dir into abs, creating nothing.
 * Returns 0, 1 when dir does not exist, or -1 with the reason in err.
 */
int statedir_resolve(const char *dir, char *abs, size_t abslen, char *err,
		     size_t errlen);

/*
 * Joins dir and rel ("logs/store-svc.log") into buf. Returns 0, or -1 when
 * the result does not fit.
 */
int statedir_path(char *buf, size_t len, const char *dir, const char *rel);

/*
 * Takes the exclusive lock of the state directory abs, waiting at most
 * timeout_ms (0: do not wait). Returns the lock's descriptor (close-on-exec,
 * so children never hold it), or -1 with the reason in err.
 */
int statedir_lock(const char *abs, int timeout_ms, char *err, size_t errlen);

/* Releases a lock from statedir_lock; -1 is ignored. */
void statedir_unlock(int fd);

#endif
