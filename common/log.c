#include "common/log.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "common/clock.h"

static const char *log_program = "storectl";

void log_init(const char *program)
{
	log_program = program;
}

static void log_line(const char *level, const char *fmt, va_list ap)
{
	char line[2048];
	char ts[32];
	int n;

	clock_format_iso(clock_wall_ms(), ts, sizeof(ts));
	n = snprintf(line, sizeof(line), "%s %s %s: ", ts, log_program, level);
	if (n < 0 || (size_t)n >= sizeof(line))
		return;
	vsnprintf(line + n, sizeof(line) - (size_t)n - 1, fmt, ap);
	n = (int)strlen(line);
	line[n++] = '\n';
	/* One write per line so lines from threads never interleave. */
	if (write(STDERR_FILENO, line, (size_t)n) < 0)
		return;
}

#define LOG_FN(fn, level)                        \
	void fn(const char *fmt, ...)            \
	{                                        \
		va_list ap;                      \
		va_start(ap, fmt);               \
		log_line(level, fmt, ap);        \
		va_end(ap);                      \
	}

LOG_FN(log_info, "info")
LOG_FN(log_warn, "warn")
LOG_FN(log_error, "error")
