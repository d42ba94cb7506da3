#include "tui/config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#define CONFIG_MAX_BYTES (64 * 1024)

static const char *const key_names[TUI_CONF_COUNT] = {
	[TUI_CONF_STORE_API] = "store_api",
	[TUI_CONF_SEARCH_API] = "search_api",
	[TUI_CONF_ADS_API] = "ads_api",
	[TUI_CONF_FAVORITES_API] = "favorites_api",
	[TUI_CONF_REVIEWS_API] = "reviews_api",
	[TUI_CONF_DISPLAY_API] = "display_api",
	[TUI_CONF_BROKERS] = "brokers",
	[TUI_CONF_TOKEN] = "token",
};

const char *tui_config_key_name(enum tui_conf_key key)
{
	return key >= 0 && key < TUI_CONF_COUNT ? key_names[key] : "?";
}

void tui_config_free(struct tui_config *cf)
{
	for (int i = 0; i < TUI_CONF_COUNT; i++) {
		if (cf->value[i] != NULL && i == TUI_CONF_TOKEN)
			memset(cf->value[i], 0, strlen(cf->value[i]));
		free(cf->value[i]);
		cf->value[i] = NULL;
	}
	kafka_props_free(&cf->props);
}

static char *trim(char *s)
{
	char *end;

	while (*s == ' ' || *s == '\t')
		s++;
	end = s + strlen(s);
	while (end > s && (end[-1] == ' ' || end[-1] == '\t' ||
			   end[-1] == '\r'))
		*--end = '\0';
	return s;
}

static int is_url_key(int k)
{
	return k != TUI_CONF_BROKERS && k != TUI_CONF_TOKEN;
}

/* One "key = value" line; 0 or -1 with err (without the PATH:LINE). */
static int parse_line(struct tui_config *cf, char *line, int lineno,
		      char *err, size_t errlen)
{
	char *eq = strchr(line, '=');
	char *key, *value;
	size_t vlen;

	if (eq == NULL) {
		snprintf(err, errlen, "expected key = value, got \"%.40s\"",
			 line);
		return -1;
	}
	*eq = '\0';
	key = trim(line);
	value = trim(eq + 1);
	vlen = strlen(value);
	if (vlen >= 2 && value[0] == '"' && value[vlen - 1] == '"') {
		value[vlen - 1] = '\0';
		value++;
	}
	if (*key == '\0') {
		snprintf(err, errlen, "a key is missing before '='");
		return -1;
	}
	if (strncmp(key, "kafka.", 6) == 0 || strncmp(key, "x.", 2) == 0) {
		const char *prop = key + (key[0] == 'k' ? 6 : 2);
		char kv[1024];
		int n;

		if (*prop == '\0' || *value == '\0') {
			snprintf(err, errlen, "%s needs a property name and a value",
				 key);
			return -1;
		}
		n = snprintf(kv, sizeof(kv), "%s=%s", prop, value);
		if (n < 0 || (size_t)n >= sizeof(kv) ||
		    kafka_props_add(&cf->props, kv, err, errlen) != 0) {
			if (n < 0 || (size_t)n >= sizeof(kv))
				snprintf(err, errlen, "%s: too long", key);
			return -1;
		}
		return 0;
	}
	for (int k = 0; k < TUI_CONF_COUNT; k++) {
		if (strcmp(key, key_names[k]) != 0)
			continue;
		if (cf->value[k] != NULL) {
			snprintf(err, errlen, "%s is set twice (first on line %d)",
				 key, cf->line[k]);
			return -1;
		}
		if (*value == '\0') {
			snprintf(err, errlen, "%s has no value", key);
			return -1;
		}
		if (is_url_key(k) && strncmp(value, "http://", 7) != 0 &&
		    strncmp(value, "https://", 8) != 0) {
			snprintf(err, errlen,
				 "%s must be an http:// or https:// URL, not \"%.60s\"",
				 key, value);
			return -1;
		}
		cf->value[k] = strdup(value);
		if (cf->value[k] == NULL) {
			snprintf(err, errlen, "out of memory");
			return -1;
		}
		cf->line[k] = lineno;
		return 0;
	}
	snprintf(err, errlen,
		 "unknown key \"%.40s\" (known: store_api, search_api, ads_api, "
		 "favorites_api, reviews_api, display_api, brokers, token, "
		 "kafka.PROPERTY, x.PROPERTY)",
		 key);
	return -1;
}

int tui_config_parse(struct tui_config *cf, const char *text,
		     const char *path, char *err, size_t errlen)
{
	const char *p = text;
	int lineno = 0;

	snprintf(cf->path, sizeof(cf->path), "%s", path);
	while (*p != '\0') {
		size_t n = strcspn(p, "\n");
		char line[2048], why[512], *s;

		lineno++;
		if (n >= sizeof(line)) {
			snprintf(err, errlen, "%s:%d: line too long", path,
				 lineno);
			tui_config_free(cf);
			return -1;
		}
		memcpy(line, p, n);
		line[n] = '\0';
		p += n;
		if (*p == '\n')
			p++;
		s = trim(line);
		if (*s == '\0' || *s == '#')
			continue;
		if (parse_line(cf, s, lineno, why, sizeof(why)) != 0) {
			snprintf(err, errlen, "%s:%d: %s", path, lineno, why);
			tui_config_free(cf);
			return -1;
		}
	}
	return 0;
}

int tui_config_default_path(char *buf, size_t len)
{
	const char *explicit = getenv("STORECTL_CONFIG");
	const char *xdg = getenv("XDG_CONFIG_HOME");
	const char *home = getenv("HOME");
	int n;

	if (explicit != NULL && *explicit != '\0')
		n = snprintf(buf, len, "%s", explicit);
	else if (xdg != NULL && *xdg == '/')
		n = snprintf(buf, len, "%s/storectl/config", xdg);
	else if (home != NULL && *home != '\0')
		n = snprintf(buf, len, "%s/.config/storectl/config", home);
	else
		return -1;
	return n < 0 || (size_t)n >= len ? -1 : 0;
}

int tui_config_load(struct tui_config *cf, const char *path, char *err,
		    size_t errlen)
{
	char def[512];
	int required = path != NULL || getenv("STORECTL_CONFIG") != NULL;
	struct stat st;
	FILE *f;
	char *text;
	size_t n;
	int rc;

	memset(cf, 0, sizeof(*cf));
	if (path == NULL) {
		if (tui_config_default_path(def, sizeof(def)) != 0)
			return 0;
		path = def;
	}
	f = fopen(path, "r");
	if (f == NULL) {
		if (errno == ENOENT && !required)
			return 0;
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		return -1;
	}
	if (fstat(fileno(f), &st) != 0 || !S_ISREG(st.st_mode)) {
		snprintf(err, errlen, "%s: not a regular file", path);
		fclose(f);
		return -1;
	}
	text = malloc(CONFIG_MAX_BYTES + 1);
	if (text == NULL) {
		fclose(f);
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	n = fread(text, 1, CONFIG_MAX_BYTES + 1, f);
	fclose(f);
	if (n > CONFIG_MAX_BYTES) {
		free(text);
		snprintf(err, errlen, "%s: larger than %d bytes", path,
			 CONFIG_MAX_BYTES);
		return -1;
	}
	text[n] = '\0';
	if (strlen(text) != n) {
		free(text);
		snprintf(err, errlen, "%s: not a text file (a NUL byte)", path);
		return -1;
	}
	rc = tui_config_parse(cf, text, path, err, errlen);
	memset(text, 0, n);
	free(text);
	if (rc != 0)
		return -1;
	/* Like ssh with its keys: a secret others can read is refused. */
	if (cf->value[TUI_CONF_TOKEN] != NULL && (st.st_mode & 077) != 0) {
		snprintf(err, errlen,
			 "%s:%d: holds a token, but others may read the file; "
			 "chmod 600 %s",
			 path, cf->line[TUI_CONF_TOKEN], path);
		tui_config_free(cf);
		return -1;
	}
	return 0;
}

void tui_config_fill(const struct tui_config *cf, struct console_config *cfg)
{
	const char **slot[TUI_CONF_COUNT] = {
		[TUI_CONF_STORE_API] = &cfg->store_api,
		[TUI_CONF_SEARCH_API] = &cfg->search_api,
		[TUI_CONF_ADS_API] = &cfg->ads_api,
		[TUI_CONF_FAVORITES_API] = &cfg->favorites_api,
		[TUI_CONF_REVIEWS_API] = &cfg->reviews_api,
		[TUI_CONF_DISPLAY_API] = &cfg->display_api,
		[TUI_CONF_BROKERS] = &cfg->brokers,
		[TUI_CONF_TOKEN] = &cfg->token,
	};

	for (int k = 0; k < TUI_CONF_COUNT; k++)
		if (*slot[k] == NULL && cf->value[k] != NULL)
			*slot[k] = cf->value[k];
}
