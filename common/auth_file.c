/* The tokens file: read, checked entry by entry, hashed at once. */
#include "common/auth.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <jansson.h>


#define FILE_MAX (4 * 1024 * 1024)

static const char *const entry_members[] = { "token", "role", "owner", NULL };

/* RFC 6750 b64token: 1*( ALPHA / DIGIT / "-" / "." / "_" / "~" / "+" /
 * "/" ) *"=" */
static int token_ok(const char *s, size_t len)
{
	size_t i = 0;

	if (len < AUTH_TOKEN_MIN || len > AUTH_TOKEN_MAX)
		return 0;
	while (i < len && ((s[i] >= 'a' && s[i] <= 'z') ||
			   (s[i] >= 'A' && s[i] <= 'Z') ||
			   (s[i] >= '0' && s[i] <= '9') ||
			   strchr("-._~+/", s[i]) != NULL) && s[i] != '\0')
		i++;
	if (i == 0)
		return 0;
	while (i < len && s[i] == '=')
		i++;
	return i == len;
}

static int known_member(const char *key)
{
	for (size_t i = 0; entry_members[i] != NULL; i++)
		if (strcmp(entry_members[i], key) == 0)
			return 1;
	return 0;
}

/* Checks entry i into *t; 0, or -1 with the reason in err. */
static int parse_entry(const json_t *e, size_t i, const char *path,
		       struct auth_token *t, char *err, size_t errlen)
{
	json_t *token = json_object_get(e, "token");
	json_t *role = json_object_get(e, "role");
	json_t *owner = json_object_get(e, "owner");
	char detail[160];
	const char *key;
	json_t *v;

	memset(t, 0, sizeof(*t));
	if (!json_is_object(e)) {
		snprintf(err, errlen, "%s: tokens[%zu] must be an object", path, i);
		return -1;
	}
	json_object_foreach((json_t *)e, key, v) {
		if (!known_member(key)) {
			snprintf(err, errlen,
				 "%s: tokens[%zu]: unknown member \"%.40s\" (an entry has token, role and owner)",
				 path, i, key);
			return -1;
		}
	}
	if (!json_is_string(token) ||
	    !token_ok(json_string_value(token), json_string_length(token))) {
		snprintf(err, errlen,
			 "%s: tokens[%zu].token must be %d to %d characters of A-Z a-z 0-9 - . _ ~ + / (then any '=')",
			 path, i, AUTH_TOKEN_MIN, AUTH_TOKEN_MAX);
		return -1;
	}
	t->role = auth_role_from_name(json_string_value(role));
	if (t->role == AUTH_ROLE_NONE) {
		snprintf(err, errlen,
			 "%s: tokens[%zu].role must be owner, operator or service",
			 path, i);
		return -1;
	}
	if (t->role == AUTH_ROLE_OWNER) {
		if (!json_is_string(owner) ||
		    auth_valid_owner(json_string_value(owner), detail,
					 sizeof(detail))) {
			snprintf(err, errlen,
				 "%s: tokens[%zu].owner: the owner role needs an owner (%s)",
				 path, i,
				 json_is_string(owner) ? detail : "missing");
			return -1;
		}
		snprintf(t->owner, sizeof(t->owner), "%s",
			 json_string_value(owner));
	} else if (owner != NULL) {
		snprintf(err, errlen,
			 "%s: tokens[%zu].owner is only for the owner role", path,
			 i);
		return -1;
	}
	sha256(json_string_value(token), json_string_length(token), t->hash);
	return 0;
}

int auth_parse_text(const char *text, size_t len, const char *path,
			  struct auth_token **out, size_t *n, char *err,
			  size_t errlen)
{
	json_error_t jerr;
	json_t *doc = json_loadb(text, len, JSON_REJECT_DUPLICATES, &jerr);
	json_t *list, *e;
	struct auth_token *tokens = NULL;
	size_t i, count;

	*out = NULL;
	*n = 0;
	if (doc == NULL) {
		/* jansson quotes no input text in jerr.text for these. */
		snprintf(err, errlen, "%s: not valid JSON at line %d, column %d",
			 path, jerr.line, jerr.column);
		return -1;
	}
	list = json_object_get(doc, "tokens");
	if (!json_is_object(doc) || !json_is_array(list) ||
	    json_object_size(doc) != 1) {
		snprintf(err, errlen,
			 "%s: must be an object with one member, \"tokens\": [...]",
			 path);
		goto fail;
	}
	count = json_array_size(list);
	if (count == 0 || count > AUTH_TOKENS_MAX) {
		snprintf(err, errlen,
			 "%s: \"tokens\" must list 1 to %d tokens, not %zu",
			 path, AUTH_TOKENS_MAX, count);
		goto fail;
	}
	tokens = calloc(count, sizeof(*tokens));
	if (tokens == NULL) {
		snprintf(err, errlen, "out of memory");
		goto fail;
	}
	json_array_foreach(list, i, e) {
		if (parse_entry(e, i, path, &tokens[i], err, errlen))
			goto fail;
		for (size_t k = 0; k < i; k++) {
			if (memcmp(tokens[k].hash, tokens[i].hash,
				   SHA256_SIZE) == 0) {
				snprintf(err, errlen,
					 "%s: tokens[%zu] repeats the token of tokens[%zu]",
					 path, i, k);
				goto fail;
			}
		}
	}
	json_decref(doc);
	*out = tokens;
	*n = count;
	return 0;
fail:
	free(tokens);
	json_decref(doc);
	return -1;
}

int auth_parse_file(const char *path, struct auth_token **out,
			  size_t *n, char *warn, size_t warnlen, char *err,
			  size_t errlen)
{
	FILE *f = fopen(path, "r");
	struct stat st;
	char *text = NULL;
	size_t len;
	int rc = -1;

	warn[0] = '\0';
	if (f == NULL) {
		snprintf(err, errlen, "cannot read tokens file %s: %s", path,
			 strerror(errno));
		return -1;
	}
	if (fstat(fileno(f), &st) != 0 || !S_ISREG(st.st_mode) ||
	    st.st_size > FILE_MAX) {
		snprintf(err, errlen,
			 "tokens file %s is not a regular file of at most %d bytes",
			 path, FILE_MAX);
		goto out;
	}
	if (st.st_mode & 077)
		snprintf(warn, warnlen,
			 "tokens file %s can be read by other users (mode %03o); chmod 600 it",
			 path, (unsigned)(st.st_mode & 0777));
	text = malloc((size_t)st.st_size + 1);
	if (text == NULL) {
		snprintf(err, errlen, "out of memory");
		goto out;
	}
	len = fread(text, 1, (size_t)st.st_size, f);
	if (ferror(f)) {
		snprintf(err, errlen, "cannot read tokens file %s", path);
		goto out;
	}
	rc = auth_parse_text(text, len, path, out, n, err, errlen);
out:
	if (text != NULL) {
		memset(text, 0, (size_t)st.st_size + 1);
		free(text);
	}
	fclose(f);
	return rc;
}
