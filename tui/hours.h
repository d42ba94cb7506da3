#ifndef STORECTL_TUI_HOURS_H
#define STORECTL_TUI_HOURS_H

#include <stddef.h>

#include <jansson.h>

/*
 * One day of opening hours as the editor shows it, "09:00-15:00,
 * 17:00-22:00", and as the store API takes it, [{"open":"09:00",
 * "close":"15:00"}, ...]. "closed" or nothing is a day without periods.
 * Only the shape is checked here; the store API judges the rest (order,
 * overlap) and its errors come back to the day's field.
 */

/* The day's periods as text into buf ("closed" for none). */
void tui_hours_format(const json_t *periods, char *buf, size_t len);

/*
 * Parses text into a new JSON array of periods (*out). Returns 0, or -1
 * with a reason in err ("write periods like 09:00-21:00").
 */
int tui_hours_parse(const char *text, json_t **out, char *err, size_t errlen);

#endif
