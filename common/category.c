/* The store categories, for filters outside store-svc. */
#include "common/category.h"

#include <stdio.h>
#include <string.h>

const char *const category_names[] = {
	"korean", "chinese", "japanese", "western", "chicken", "pizza",
	"burger", "cafe", "dessert", "snack", "other", NULL,
};

int category_known(const char *name)
{
	for (size_t i = 0; name != NULL && category_names[i] != NULL; i++)
		if (strcmp(category_names[i], name) == 0)
			return 1;
	return 0;
}

char *category_list(char *buf, size_t len)
{
	size_t n = 0;

	if (len == 0)
		return buf;
	buf[0] = '\0';
	for (size_t i = 0; category_names[i] != NULL && n < len; i++)
		n += (size_t)snprintf(buf + n, len - n, "%s%s", i ? ", " : "",
				      category_names[i]);
	return buf;
}
