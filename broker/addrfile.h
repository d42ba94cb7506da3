#ifndef STORECTL_BROKER_ADDRFILE_H
#define STORECTL_BROKER_ADDRFILE_H

#include <stddef.h>

/*
 * The bootstrap-address file of storectl-broker: one line, the bootstrap
 * list, so that other processes can find a broker whose port was random.
 */

/*
 * Writes "addr\n" to path atomically: a temporary file next to it, synced,
 * then renamed over path, so a reader sees the old file or the whole new
 * one, never a partial line. Returns 0, or -1 with the reason in err.
 */
int addrfile_write(const char *path, const char *addr, char *err,
		   size_t errlen);

/*
 * Removes path if it still holds addr (a newer broker may have replaced
 * it). Errors are ignored: the file is only a hint.
 */
void addrfile_remove(const char *path, const char *addr);

#endif
