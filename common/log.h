#ifndef STORECTL_LOG_H
#define STORECTL_LOG_H

/*
 * One-line logs on stderr: "2026-11-24T10:00:00.123Z search-svc info: text".
 * Thread-safe (one write(2) per line). Never pass a token to these.
 */

void log_init(const char *program);
void log_info(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void log_warn(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void log_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

#endif
