#ifndef STORECTL_TUI_FMT_H
#define STORECTL_TUI_FMT_H

#include <stddef.h>
#include <stdint.h>

#include <jansson.h>

/* Small formatting helpers shared by the screens. */

/* Won with thousands separators: 19500 -> "19,500". */
void tui_fmt_money(int64_t won, char *buf, size_t len);

/* A duration in at most 5 columns: "<1ms", "4ms", "120ms", "1.2s", "12s". */
void tui_fmt_ms(double ms, char *buf, size_t len);

/* The string member key of o copied into buf ("" when absent). */
void tui_json_str(const json_t *o, const char *key, char *buf, size_t len);

/* The integer member key of o, or fallback. */
int64_t tui_json_int(const json_t *o, const char *key, int64_t fallback);

/* Wall-clock ms as local "HH:MM:SS" (ms 0) or "HH:MM:SS.mmm" (ms 1). */
void tui_fmt_clock(double wall_ms, int ms, char *buf, size_t len);

#endif
