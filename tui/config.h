#ifndef STORECTL_TUI_CONFIG_H
#define STORECTL_TUI_CONFIG_H

#include <stddef.h>

#include "common/kafka.h"
#include "tui/console.h"

/*
 * The console's configuration file, ~/.config/storectl/config (or
 * $XDG_CONFIG_HOME/storectl/config, or $STORECTL_CONFIG): lines of
 * "key = value", blank lines and lines starting with '#' ignored, a value
 * optionally in double quotes. Keys:
 *
 *   store_api search_api ads_api favorites_api reviews_api display_api
 *   brokers token
 *   kafka.PROPERTY or x.PROPERTY   a librdkafka property (as -X)
 *
 * Precedence is the caller's: flags > environment > this file > the
 * running stack, so tui_config_fill only fills what is still unset.
 * A file that holds a token must not be readable by group or others.
 */

enum tui_conf_key {
	TUI_CONF_STORE_API,
	TUI_CONF_SEARCH_API,
	TUI_CONF_ADS_API,
	TUI_CONF_FAVORITES_API,
	TUI_CONF_REVIEWS_API,
	TUI_CONF_DISPLAY_API,
	TUI_CONF_BROKERS,
	TUI_CONF_TOKEN,
	TUI_CONF_COUNT
};

struct tui_config {
	char path[512];               /* the file read, "" when none */
	char *value[TUI_CONF_COUNT];  /* NULL when the file has no such key */
	int line[TUI_CONF_COUNT];     /* where each was set */
	struct kafka_props props;     /* kafka.* and x.*, in file order */
};

/* "store_api"... */
const char *tui_config_key_name(enum tui_conf_key key);

/*
 * Parses text (the file's contents; path names it in errors) into *cf,
 * which must be zeroed. Returns 0, or -1 with "PATH:LINE: reason" in err
 * (cf is then freed).
 */
int tui_config_parse(struct tui_config *cf, const char *text,
		     const char *path, char *err, size_t errlen);

/*
 * The default path into buf: $STORECTL_CONFIG, else
 * $XDG_CONFIG_HOME/storectl/config, else $HOME/.config/storectl/config.
 * Returns 0, or -1 when there is none (no HOME).
 */
int tui_config_default_path(char *buf, size_t len);

/*
 * Reads path (NULL: the default path, which may be missing) into *cf
 * (zeroed here). Returns 0, or -1 with a reason naming the file (and the
 * line) in err: unreadable, malformed, or a token readable by others.
 */
int tui_config_load(struct tui_config *cf, const char *path, char *err,
		    size_t errlen);

/* Sets each member of cfg that is still NULL from cf (cf keeps owning). */
void tui_config_fill(const struct tui_config *cf, struct console_config *cfg);

void tui_config_free(struct tui_config *cf);

#endif
