#include "common/httpd.h"

#include <arpa/inet.h>
#include <errno.h>
#include <netdb.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>

#include <microhttpd.h>

#define HEADERS_MAX 8

struct httpd {
	struct MHD_Daemon *daemon;
	const struct http_route *routes;
	struct httpd_limits limits;
	void *ctx;
	unsigned port;
};

/* Per-request state, from the first callback to the completion one. */
struct http_conn {
	struct http_req req;
	struct httpd *server;
	struct MHD_Connection *mhd;
	char *body;
	size_t body_len;
	int too_large;
	int replied;
	char *path_copy; /* params point into it */
	size_t nheaders;
	char *header_name[HEADERS_MAX];
	char *header_value[HEADERS_MAX];
};

static void conn_free(struct http_conn *conn)
{
	if (conn == NULL)
		return;
	for (size_t i = 0; i < conn->nheaders; i++) {
		free(conn->header_name[i]);
		free(conn->header_value[i]);
	}
	free(conn->body);
	free(conn->path_copy);
	free(conn);
}

static void queue(struct http_conn *conn, unsigned status,
		  const char *content_type, char *body, size_t len)
{
	struct MHD_Response *resp;

	if (conn->replied) {
		free(body);
		return;
	}
	resp = MHD_create_response_from_buffer(len, body, MHD_RESPMEM_MUST_FREE);
	if (resp == NULL) {
		free(body);
		return;
	}
	MHD_add_response_header(resp, MHD_HTTP_HEADER_CONTENT_TYPE, content_type);
	for (size_t i = 0; i < conn->nheaders; i++)
		MHD_add_response_header(resp, conn->header_name[i],
					conn->header_value[i]);
	MHD_queue_response(conn->mhd, status, resp);
	MHD_destroy_response(resp);
	conn->replied = 1;
}

void http_add_header(struct http_req *req, const char *name, const char *value)
{
	struct http_conn *conn = req->conn;

	if (conn->nheaders == HEADERS_MAX)
		return;
	conn->header_name[conn->nheaders] = strdup(name);
	conn->header_value[conn->nheaders] = strdup(value);
	if (conn->header_name[conn->nheaders] == NULL ||
	    conn->header_value[conn->nheaders] == NULL) {
		free(conn->header_name[conn->nheaders]);
		free(conn->header_value[conn->nheaders]);
		return;
	}
	conn->nheaders++;
}

void http_reply_text(struct http_req *req, unsigned status,
		     const char *content_type, const char *text)
{
	char *copy = strdup(text);

	if (copy == NULL)
		return;
	queue(req->conn, status, content_type, copy, strlen(copy));
}

static void reply_json_as(struct http_req *req, unsigned status,
			  const char *content_type, json_t *body)
{
	char *text = json_dumps(body, JSON_COMPACT);

	json_decref(body);
	if (text == NULL)
		return;
	queue(req->conn, status, content_type, text, strlen(text));
}

void http_reply_json(struct http_req *req, unsigned status, json_t *body)
{
	reply_json_as(req, status, "application/json", body);
}

void http_reply_problem(struct http_req *req, unsigned status,
			const char *title, const char *detail, json_t *extra)
{
	json_t *p = json_object();

	json_object_set_new(p, "type", json_string("about:blank"));
	json_object_set_new(p, "title", json_string(title));
	json_object_set_new(p, "status", json_integer(status));
	if (detail != NULL)
		json_object_set_new(p, "detail", json_string(detail));
	if (extra != NULL) {
		json_object_update(p, extra);
		json_decref(extra);
	}
	reply_json_as(req, status, "application/problem+json", p);
}

const char *http_query(struct http_req *req, const char *key)
{
	return MHD_lookup_connection_value(req->conn->mhd,
					   MHD_GET_ARGUMENT_KIND, key);
}

const char *http_header(struct http_req *req, const char *name)
{
	return MHD_lookup_connection_value(req->conn->mhd, MHD_HEADER_KIND,
					   name);
}

static int is_json_type(const char *ctype)
{
	size_t n;
	const char *semi;

	if (ctype == NULL)
		return 0;
	semi = strchr(ctype, ';');
	n = semi ? (size_t)(semi - ctype) : strlen(ctype);
	while (n > 0 && ctype[n - 1] == ' ')
		n--;
	if (n == 16 && strncasecmp(ctype, "application/json", 16) == 0)
		return 1;
	return n > 5 && strncasecmp(ctype + n - 5, "+json", 5) == 0;
}

json_t *http_body_json(struct http_req *req)
{
	json_error_t jerr;
	json_t *doc;
	char detail[256];

	if (req->body == NULL || req->body_len == 0) {
		http_reply_problem(req, 400, "Bad Request",
				   "the request body is empty; send a JSON object",
				   NULL);
		return NULL;
	}
	if (!is_json_type(http_header(req, "Content-Type"))) {
		http_reply_problem(req, 415, "Unsupported Media Type",
				   "send the body as application/json", NULL);
		return NULL;
	}
	doc = json_loadb(req->body, req->body_len, JSON_REJECT_DUPLICATES, &jerr);
	if (doc == NULL) {
		snprintf(detail, sizeof(detail),
			 "the body is not valid JSON: %s (line %d, column %d)",
			 jerr.text, jerr.line, jerr.column);
		http_reply_problem(req, 400, "Bad Request", detail, NULL);
		return NULL;
	}
	if (!json_is_object(doc)) {
		json_decref(doc);
		http_reply_problem(req, 400, "Bad Request",
				   "the body must be a JSON object", NULL);
		return NULL;
	}
	return doc;
}

int http_parse_id(const char *text, int64_t *id)
{
	int64_t v = 0;

	if (text == NULL || *text == '\0' || strlen(text) > 18)
		return -1;
	for (const char *p = text; *p; p++) {
		if (*p < '0' || *p > '9')
			return -1;
		v = v * 10 + (*p - '0');
	}
	if (v <= 0)
		return -1;
	*id = v;
	return 0;
}

/*
 * Matches path against pattern; "{name}" matches one non-empty segment.
 * On a match, params point into *scratch (a copy of path the caller frees).
 */
static int route_match(const char *pattern, const char *path,
		       const char **params, char **scratch)
{
	char *copy = strdup(path);
	char *p = copy;
	const char *q = pattern;
	size_t np = 0;

	while (copy != NULL) {
		if (*q == '{') {
			size_t seg = strcspn(p, "/");

			q = strchr(q, '}');
			if (seg == 0 || np == HTTP_PARAMS_MAX || q == NULL)
				break;
			q++;
			params[np++] = p;
			p += seg;
			if (*p == '/') {
				if (*q != '/')
					break;
				*p++ = '\0';
				q++;
			}
			continue;
		}
		if (*q != *p)
			break;
		if (*q == '\0') {
			*scratch = copy;
			return 1;
		}
		q++;
		p++;
	}
	free(copy);
	return 0;
}

static void dispatch(struct http_conn *conn)
{
	struct http_req *req = &conn->req;
	const struct http_route *r;
	char allow[128] = "";
	int path_known = 0;

	for (r = conn->server->routes; r->pattern != NULL; r++) {
		const char *params[HTTP_PARAMS_MAX] = { 0 };
		char *scratch = NULL;

		if (!route_match(r->pattern, req->path, params, &scratch))
			continue;
		if (strcmp(r->method, req->method) != 0) {
			path_known = 1;
			if (strlen(allow) + strlen(r->method) + 3 < sizeof(allow)) {
				if (*allow)
					strcat(allow, ", ");
				strcat(allow, r->method);
			}
			free(scratch);
			continue;
		}
		memcpy(req->params, params, sizeof(params));
		conn->path_copy = scratch;
		r->handler(req);
		if (!conn->replied)
			http_reply_problem(req, 500, "Internal Server Error",
					   "the handler gave no answer", NULL);
		return;
	}
	if (path_known) {
		http_add_header(req, "Allow", allow);
		http_reply_problem(req, 405, "Method Not Allowed",
				   "this path does not accept that method", NULL);
		return;
	}
	http_reply_problem(req, 404, "Not Found", "no such path", NULL);
}

static enum MHD_Result on_request(void *cls, struct MHD_Connection *mhd,
				  const char *url, const char *method,
				  const char *version, const char *upload,
				  size_t *upload_size, void **con_cls)
{
	struct httpd *server = cls;
	struct http_conn *conn = *con_cls;

	(void)version;
	if (conn == NULL) {
		const char *clen;

		conn = calloc(1, sizeof(*conn));
		if (conn == NULL)
			return MHD_NO;
		conn->server = server;
		conn->mhd = mhd;
		conn->req.conn = conn;
		conn->req.ctx = server->ctx;
		conn->req.method = method;
		conn->req.path = url;
		*con_cls = conn;
		clen = MHD_lookup_connection_value(mhd, MHD_HEADER_KIND,
						   MHD_HTTP_HEADER_CONTENT_LENGTH);
		if (clen != NULL &&
		    strtoull(clen, NULL, 10) > server->limits.max_body)
			conn->too_large = 1;
		return MHD_YES;
	}
	if (*upload_size > 0) {
		if (!conn->too_large &&
		    conn->body_len + *upload_size <= server->limits.max_body) {
			char *grown = realloc(conn->body,
					      conn->body_len + *upload_size + 1);

			if (grown == NULL)
				return MHD_NO;
			conn->body = grown;
			memcpy(conn->body + conn->body_len, upload, *upload_size);
			conn->body_len += *upload_size;
			conn->body[conn->body_len] = '\0';
		} else {
			conn->too_large = 1;
		}
		*upload_size = 0;
		return MHD_YES;
	}
	if (conn->replied)
		return MHD_YES;
	if (conn->too_large) {
		char detail[96];

		snprintf(detail, sizeof(detail),
			 "the request body is larger than %zu bytes",
			 server->limits.max_body);
		http_reply_problem(&conn->req, 413, "Content Too Large", detail,
				   NULL);
		return MHD_YES;
	}
	conn->req.body = conn->body;
	conn->req.body_len = conn->body_len;
	dispatch(conn);
	return MHD_YES;
}

static void on_completed(void *cls, struct MHD_Connection *mhd, void **con_cls,
			 enum MHD_RequestTerminationCode toe)
{
	(void)cls;
	(void)mhd;
	(void)toe;
	conn_free(*con_cls);
	*con_cls = NULL;
}

/* Resolves "HOST:PORT" ("[::1]:8080" for IPv6) into addr. */
static int parse_listen(const char *listen, struct sockaddr_storage *addr,
			socklen_t *addrlen, char *err, size_t errlen)
{
	char host[256];
	const char *colon = strrchr(listen, ':');
	const char *port;
	struct addrinfo hints, *res = NULL;
	size_t hlen;
	int rc;

	if (colon == NULL || colon[1] == '\0') {
		snprintf(err, errlen, "listen address \"%s\" is not HOST:PORT",
			 listen);
		return -1;
	}
	port = colon + 1;
	if (strspn(port, "0123456789") != strlen(port) || strlen(port) > 5 ||
	    atol(port) > 65535) {
		snprintf(err, errlen,
			 "listen address \"%s\": port must be 0 to 65535", listen);
		return -1;
	}
	hlen = (size_t)(colon - listen);
	if (hlen >= 2 && listen[0] == '[' && listen[hlen - 1] == ']') {
		listen++;
		hlen -= 2;
	}
	if (hlen == 0 || hlen >= sizeof(host)) {
		snprintf(err, errlen, "listen address \"%s\" has no host", listen);
		return -1;
	}
	memcpy(host, listen, hlen);
	host[hlen] = '\0';
	memset(&hints, 0, sizeof(hints));
	hints.ai_socktype = SOCK_STREAM;
	hints.ai_flags = AI_NUMERICSERV;
	rc = getaddrinfo(host, port, &hints, &res);
	if (rc != 0) {
		snprintf(err, errlen, "listen address \"%s\": %s", listen,
			 gai_strerror(rc));
		return -1;
	}
	memcpy(addr, res->ai_addr, res->ai_addrlen);
	*addrlen = res->ai_addrlen;
	freeaddrinfo(res);
	return 0;
}

struct httpd *httpd_start(const char *listen, const struct http_route *routes,
			  const struct httpd_limits *limits, void *ctx,
			  char *err, size_t errlen)
{
	struct sockaddr_storage addr;
	socklen_t addrlen;
	struct httpd *server;
	const union MHD_DaemonInfo *info;
	unsigned flags = MHD_USE_AUTO_INTERNAL_THREAD | MHD_USE_ERROR_LOG;

	if (parse_listen(listen, &addr, &addrlen, err, errlen))
		return NULL;
	server = calloc(1, sizeof(*server));
	if (server == NULL) {
		snprintf(err, errlen, "out of memory");
		return NULL;
	}
	server->routes = routes;
	server->ctx = ctx;
	server->limits = (struct httpd_limits){ 64 * 1024, 16 * 1024, 10, 4 };
	if (limits != NULL) {
		if (limits->max_body)
			server->limits.max_body = limits->max_body;
		if (limits->max_header)
			server->limits.max_header = limits->max_header;
		if (limits->timeout_s)
			server->limits.timeout_s = limits->timeout_s;
		if (limits->threads)
			server->limits.threads = limits->threads;
	}
	if (addr.ss_family == AF_INET6)
		flags |= MHD_USE_IPv6;
	(void)addrlen;
	server->daemon = MHD_start_daemon(
		flags, 0, NULL, NULL, on_request, server,
		MHD_OPTION_SOCK_ADDR, (struct sockaddr *)&addr,
		MHD_OPTION_THREAD_POOL_SIZE, server->limits.threads,
		MHD_OPTION_CONNECTION_MEMORY_LIMIT, server->limits.max_header,
		MHD_OPTION_CONNECTION_TIMEOUT, server->limits.timeout_s,
		MHD_OPTION_CONNECTION_LIMIT, 1024u,
		MHD_OPTION_NOTIFY_COMPLETED, on_completed, server,
		MHD_OPTION_END);
	if (server->daemon == NULL) {
		snprintf(err, errlen, "cannot listen on %s: %s", listen,
			 errno ? strerror(errno) : "libmicrohttpd refused");
		free(server);
		return NULL;
	}
	info = MHD_get_daemon_info(server->daemon, MHD_DAEMON_INFO_BIND_PORT);
	server->port = info ? info->port : 0;
	return server;
}

unsigned httpd_port(const struct httpd *httpd)
{
	return httpd->port;
}

void httpd_stop(struct httpd *httpd)
{
	if (httpd == NULL)
		return;
	MHD_stop_daemon(httpd->daemon);
	free(httpd);
}
