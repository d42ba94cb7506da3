#ifndef STORECTL_CATEGORY_H
#define STORECTL_CATEGORY_H

#include <stddef.h>

/*
 * The store categories (docs/api.md, "Store"): the one list store-svc
 * validates stores against and the other services check their category
 * filters against, so a filter a service takes is one a store can have.
 */
extern const char *const category_names[];

/* 1 when name is one of category_names. */
int category_known(const char *name);

/* "korean, chinese, ..." into buf (cut at len); returns buf. */
char *category_list(char *buf, size_t len);

#endif
