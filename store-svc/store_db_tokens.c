/* The token half of the SQLite adapter: digests replaced as a set at start,
 * loaded into the in-memory table. */
#include "store-svc/store_db_priv.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/log.h"

int store_db_tokens_replace(struct store_db *db,
			    const struct auth_token *tokens, size_t n)
{
	sqlite3_stmt *st = db->st[ST_TOKENS_ADD];
	int rc = STORE_DB_ERROR;
	char hex[65];

	pthread_mutex_lock(&db->lock);
	if (store_db_run(db, ST_BEGIN) || store_db_run(db, ST_TOKENS_CLEAR))
		goto out;
	for (size_t i = 0; i < n; i++) {
		sha256_hex(tokens[i].hash, hex);
		sqlite3_bind_text(st, 1, hex, -1, SQLITE_TRANSIENT);
		sqlite3_bind_text(st, 2, auth_role_name(tokens[i].role), -1,
				  SQLITE_STATIC);
		if (tokens[i].owner[0] != '\0')
			sqlite3_bind_text(st, 3, tokens[i].owner, -1,
					  SQLITE_TRANSIENT);
		else
			sqlite3_bind_null(st, 3);
		if (store_db_run(db, ST_TOKENS_ADD))
			goto out;
	}
	if (store_db_commit(db) == 0)
		rc = STORE_DB_OK;
out:
	store_db_rollback(db);
	pthread_mutex_unlock(&db->lock);
	return rc;
}

static int unhex(const char *hex, unsigned char *out)
{
	for (int i = 0; i < SHA256_SIZE; i++) {
		unsigned v = 0;

		for (int k = 0; k < 2; k++) {
			char c = hex[2 * i + k];

			v <<= 4;
			if (c >= '0' && c <= '9')
				v |= (unsigned)(c - '0');
			else if (c >= 'a' && c <= 'f')
				v |= (unsigned)(c - 'a' + 10);
			else
				return -1;
		}
		out[i] = (unsigned char)v;
	}
	return hex[2 * SHA256_SIZE] == '\0' ? 0 : -1;
}

int store_db_tokens_load(struct store_db *db, struct auth_token **out,
			 size_t *n)
{
	sqlite3_stmt *st = db->st[ST_TOKENS_ALL];
	struct auth_token *list = NULL;
	size_t count = 0, cap = 0;
	int rc;

	*out = NULL;
	*n = 0;
	pthread_mutex_lock(&db->lock);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		const char *hash = (const char *)sqlite3_column_text(st, 0);
		const char *role = (const char *)sqlite3_column_text(st, 1);
		struct auth_token t = { 0 };

		t.role = auth_role_from_name(role);
		if (hash == NULL || unhex(hash, t.hash) ||
		    t.role == AUTH_ROLE_NONE) {
			log_warn("database: skipping a malformed token row");
			continue;
		}
		store_db_copy_col(st, 2, t.owner, sizeof(t.owner));
		if (count == cap) {
			size_t ncap = cap ? cap * 2 : 16;
			struct auth_token *grown =
				realloc(list, ncap * sizeof(*grown));

			if (grown == NULL) {
				rc = SQLITE_NOMEM;
				break;
			}
			list = grown;
			cap = ncap;
		}
		list[count++] = t;
	}
	store_db_reset(st);
	pthread_mutex_unlock(&db->lock);
	if (rc != SQLITE_DONE) {
		if (rc != SQLITE_NOMEM)
			store_db_fail(db, store_db_sql[ST_TOKENS_ALL]);
		else
			log_error("database: out of memory loading tokens");
		free(list);
		return STORE_DB_ERROR;
	}
	*out = list;
	*n = count;
	return STORE_DB_OK;
}
