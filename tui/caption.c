#include "tui/caption.h"

#include <errno.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "tui/term.h"
#include "tui/text.h"
#include "tui/theme.h"

struct tui_caption {
	pthread_mutex_t lock;
	unsigned gen;
	char part[TUI_CAPTION_PARTS][512];
	enum tui_say level[TUI_CAPTION_PARTS];
};

struct tui_caption *tui_caption_new(void)
{
	struct tui_caption *cap = calloc(1, sizeof(*cap));

	if (cap != NULL)
		pthread_mutex_init(&cap->lock, NULL);
	return cap;
}

void tui_caption_free(struct tui_caption *cap)
{
	if (cap == NULL)
		return;
	pthread_mutex_destroy(&cap->lock);
	free(cap);
}

void tui_caption_set(struct tui_caption *cap, enum tui_caption_part part,
		     enum tui_say level, const char *fmt, ...)
{
	int fd = tui_term_wake_fd();
	va_list ap;

	if (cap == NULL || part >= TUI_CAPTION_PARTS)
		return;
	pthread_mutex_lock(&cap->lock);
	va_start(ap, fmt);
	vsnprintf(cap->part[part], sizeof(cap->part[part]), fmt, ap);
	va_end(ap);
	cap->level[part] = level;
	cap->gen++;
	pthread_mutex_unlock(&cap->lock);
	/* A full pipe already wakes the loop. */
	while (fd >= 0 && write(fd, "c", 1) < 0 && errno == EINTR)
		;
}

int tui_caption_changed(struct tui_caption *cap, unsigned *seen)
{
	unsigned gen;

	if (cap == NULL)
		return 0;
	pthread_mutex_lock(&cap->lock);
	gen = cap->gen;
	pthread_mutex_unlock(&cap->lock);
	if (gen == *seen)
		return 0;
	*seen = gen;
	return 1;
}

static attr_t level_attr(enum tui_say level)
{
	switch (level) {
	case TUI_SAY_GOOD:
		return tui_theme_attr(TUI_C_GOOD);
	case TUI_SAY_WARN:
		return tui_theme_attr(TUI_C_WARN);
	case TUI_SAY_ERROR:
		return tui_theme_attr(TUI_C_ERROR);
	default:
		return A_NORMAL;
	}
}

void tui_caption_draw(struct tui_caption *cap, WINDOW *win,
		      struct tui_rect r)
{
	char part[TUI_CAPTION_PARTS][512];
	enum tui_say level[TUI_CAPTION_PARTS];
	char lines[2][512];
	int n, y = r.y;

	if (cap == NULL || r.h < 1)
		return;
	pthread_mutex_lock(&cap->lock);
	memcpy(part, cap->part, sizeof(part));
	memcpy(level, cap->level, sizeof(level));
	pthread_mutex_unlock(&cap->lock);
	tui_draw_text(win, y++, r.x, r.w, part[TUI_CAPTION_TITLE],
		      tui_theme_attr(TUI_C_PANE_FOCUS));
	n = tui_text_wrap(part[TUI_CAPTION_TEXT], r.w - 2, lines, 2);
	if (n < 1)
		n = 1;
	for (int i = 0; i < n && y < r.y + r.h - (r.h > 2); i++, y++)
		tui_draw_text(win, y, r.x + 1, r.w - 1, lines[i],
			      level_attr(level[TUI_CAPTION_TEXT]) | A_BOLD);
	/* The step gets the rest: a short caption leaves it two lines. */
	n = tui_text_wrap(part[TUI_CAPTION_STEP], r.w - 2, lines,
			  r.y + r.h - y < 2 ? 1 : 2);
	for (int i = 0; i < 2 && y < r.y + r.h; i++, y++)
		tui_draw_text(win, y, r.x + 1, r.w - 1, i < n ? lines[i] : "",
			      level[TUI_CAPTION_STEP] == TUI_SAY_INFO
				      ? tui_theme_attr(TUI_C_DIM)
				      : level_attr(level[TUI_CAPTION_STEP]));
}
