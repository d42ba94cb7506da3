#ifndef STORECTL_CATEGORY_H
#define STORECTL_CATEGORY_H

#include <stddef.h>

/*
 * The store categories (docs/api.md, "Store"), for the services that take
 * a category filter without holding store-svc's validation: the list is
 * store-svc's store_validate_categories, which tests/unit/test_category.c
 * keeps it equal to.
 */
extern const char *const category_names[];

/* 1 when name is one of category_names. */
int category_known(const char *name);

/* "korean, chinese, ..." into buf (cut at len); returns buf. */
char *category_list(char *buf, size_t len);

#endif
