#ifndef STORECTL_TEST_TMPDB_H
#define STORECTL_TEST_TMPDB_H

/*
 * A fresh directory for one unit test's database files, under $TMPDIR
 * (/tmp when unset), removed afterwards with everything in it (the
 * database, its -wal and -shm). Header-only: each tests/unit/test_*.c is
 * a program of its own.
 */
#include <dirent.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

struct tmpdb {
	char dir[PATH_MAX];
	char path[PATH_MAX + 64]; /* dir/FILE */
};

/* Makes the directory; path names FILE in it. 0, or -1. */
static inline int tmpdb_make(struct tmpdb *t, const char *file)
{
	const char *base = getenv("TMPDIR");

	if (base == NULL || *base == '\0')
		base = "/tmp";
	if (strlen(base) + 32 > sizeof(t->dir) || strlen(file) > 48)
		return -1;
	snprintf(t->dir, sizeof(t->dir), "%s/storectl-unit.XXXXXX", base);
	if (mkdtemp(t->dir) == NULL)
		return -1;
	snprintf(t->path, sizeof(t->path), "%s/%s", t->dir, file);
	return 0;
}

/* Removes the directory and every file in it. */
static inline void tmpdb_remove(struct tmpdb *t)
{
	char file[sizeof(t->dir) + 256 + 2];
	struct dirent *e;
	DIR *d = opendir(t->dir);

	if (d != NULL) {
		while ((e = readdir(d)) != NULL) {
			if (strcmp(e->d_name, ".") == 0 ||
			    strcmp(e->d_name, "..") == 0)
				continue;
			snprintf(file, sizeof(file), "%s/%s", t->dir, e->d_name);
			unlink(file);
		}
		closedir(d);
	}
	rmdir(t->dir);
}

#endif
