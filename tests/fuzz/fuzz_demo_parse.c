/*
 * libFuzzer target: the demo-script parser (cli/demo_parse.c). Any text
 * either parses into steps or is refused with at least one problem in err;
 * then everything is freed (LeakSanitizer checks), and the expansion of
 * $name in each step's text is exercised against a fixed lookup.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "cli/demo.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Every variable holds store 7 except $unset. */
static int lookup(void *ctx, const char *var, int64_t *id)
{
	(void)ctx;
	if (strcmp(var, "unset") == 0)
		return -1;
	*id = 7;
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct demo_script s;
	char err[2048];
	char *x;
	int rc;

	memset(&s, 0, sizeof(s));
	err[0] = '\0';
	rc = demo_parse("fuzz", (const char *)data, size, &s, err, sizeof(err));
	if (rc != 0 && (err[0] == '\0' || s.n != 0))
		abort(); /* refused without a reason, or left steps behind */
	if (memchr(err, '\0', sizeof(err)) == NULL)
		abort();
	for (size_t i = 0; rc == 0 && i < s.n; i++) {
		if (s.steps[i].line < 1 || s.steps[i].text == NULL)
			abort();
		(void)demo_kind_name(s.steps[i].kind);
		x = demo_expand(s.steps[i].text, lookup, NULL, err, sizeof(err));
		free(x);
	}
	demo_script_free(&s);
	/* The expansion also takes any text, parsed or not. */
	if (size < 8192) {
		char *text = malloc(size + 1);

		if (text == NULL)
			return 0;
		memcpy(text, data, size);
		text[size] = '\0';
		x = demo_expand(text, lookup, NULL, err, sizeof(err));
		free(x);
		free(text);
	}
	return 0;
}
