#include "common/httpd.h"

#include <arpa/inet.h>
#include <errno.h>
#include <netdb.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>

#include <microhttpd.h>

#include "common/clock.h"
#include "common/log.h"

#define HEADERS_MAX 8
#define STATUS_MAX 600

/* Upper bounds (seconds) of the latency buckets; +Inf is implied. */
static const double latency_bounds[] = {
	0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5,
	1, 2.5, 5, 10,
};
#define BUCKETS (sizeof(latency_bounds) / sizeof(latency_bounds[0]))

/*
 * Counters of one route, updated lock-free by the server threads. Buckets
 * hold per-bucket counts; the text output makes them cumulative.
 */
struct route_stats {
	atomic_uint_least64_t by_status[STATUS_MAX];
	atomic_uint_least64_t bucket[BUCKETS + 1]; /* the last one is +Inf */
	atomic_uint_least64_t count;
	atomic_uint_least64_t sum_us;
};

struct httpd {
	struct MHD_Daemon *daemon;
	const struct http_route *routes;
	size_t nroutes;
	struct route_stats *stats; /* nroutes + 1: the last is "unmatched" */
	struct httpd_limits limits;
	void *ctx;
	unsigned port;
	/* The slow-client guard (see guard_main). */
	pthread_mutex_t guard_lock;
	pthread_cond_t guard_wake;
	pthread_t guard_thread;
	int guard_running;
	int guard_stop;
	struct guard_conn *guard_list;
};

/*
 * One connection as the slow-client guard sees it: its socket and the time
 * by which its current request must have arrived whole.
 */
struct guard_conn {
	struct guard_conn *next, *prev;
	int fd;
	double deadline_ms; /* monotonic; 0 while a handler runs */
	int cut;
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
	unsigned status;     /* of the answer queued */
	size_t route;        /* index into routes; nroutes when none matched */
	double started_ms;   /* monotonic, when the headers arrived */
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
	conn->status = status;
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

/* HEAD is served by the GET route, as HTTP requires. */
static int method_matches(const char *route_method, const char *method)
{
	return strcmp(route_method, method) == 0 ||
	       (strcmp(method, "HEAD") == 0 && strcmp(route_method, "GET") == 0);
}

static void allow_add(char *allow, size_t len, const char *method)
{
	if (strlen(allow) + strlen(method) + 3 >= len)
		return;
	if (*allow)
		strcat(allow, ", ");
	strcat(allow, method);
}

static void reply_too_large(struct http_conn *conn)
{
	char detail[96];

	snprintf(detail, sizeof(detail),
		 "the request body is larger than %zu bytes",
		 conn->server->limits.max_body);
	http_reply_problem(&conn->req, 413, "Content Too Large", detail, NULL);
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
		if (!method_matches(r->method, req->method)) {
			path_known = 1;
			allow_add(allow, sizeof(allow), r->method);
			if (strcmp(r->method, "GET") == 0)
				allow_add(allow, sizeof(allow), "HEAD");
			free(scratch);
			continue;
		}
		conn->route = (size_t)(r - conn->server->routes);
		memcpy(req->params, params, sizeof(params));
		conn->path_copy = scratch;
		if (conn->too_large) {
			reply_too_large(conn);
			return;
		}
		r->handler(req);
		if (!conn->replied)
			http_reply_problem(req, 500, "Internal Server Error",
					   "the handler gave no answer", NULL);
		return;
	}
	if (conn->too_large) {
		reply_too_large(conn);
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

/*
 * Slow clients. libmicrohttpd's connection timeout is an idle timeout: a
 * client that sends its headers a byte a second never reaches it and holds
 * a connection for as long as it likes. So each request must also arrive
 * whole (line, headers and body) within timeout_s of the connection's start
 * or of the end of its previous request. A guard thread shuts down the
 * socket of a connection past that deadline; libmicrohttpd then sees the
 * connection end and closes it. A request being handled has no deadline.
 *
 * libmicrohttpd reports a connection closed (on_connection) before it
 * closes the socket, and the guard only touches sockets under guard_lock
 * while they are listed, so it never shuts down a reused descriptor.
 */
static void on_connection(void *cls, struct MHD_Connection *mhd,
			  void **socket_context,
			  enum MHD_ConnectionNotificationCode code)
{
	struct httpd *server = cls;
	struct guard_conn *g = *socket_context;

	if (code == MHD_CONNECTION_NOTIFY_STARTED) {
		const union MHD_ConnectionInfo *info = MHD_get_connection_info(
			mhd, MHD_CONNECTION_INFO_CONNECTION_FD);

		*socket_context = NULL;
		if (info == NULL || (g = calloc(1, sizeof(*g))) == NULL)
			return;
		g->fd = info->connect_fd;
		g->deadline_ms = clock_mono_ms() + server->limits.timeout_s * 1000.0;
		pthread_mutex_lock(&server->guard_lock);
		g->next = server->guard_list;
		if (g->next != NULL)
			g->next->prev = g;
		server->guard_list = g;
		pthread_mutex_unlock(&server->guard_lock);
		*socket_context = g;
		return;
	}
	if (g == NULL)
		return;
	pthread_mutex_lock(&server->guard_lock);
	if (g->prev != NULL)
		g->prev->next = g->next;
	else
		server->guard_list = g->next;
	if (g->next != NULL)
		g->next->prev = g->prev;
	pthread_mutex_unlock(&server->guard_lock);
	free(g);
	*socket_context = NULL;
}

/* Sets the deadline of mhd's connection: 0 (none) or timeout_s from now. */
static void guard_set(struct httpd *server, struct MHD_Connection *mhd,
		      int running)
{
	const union MHD_ConnectionInfo *info = MHD_get_connection_info(
		mhd, MHD_CONNECTION_INFO_SOCKET_CONTEXT);
	struct guard_conn *g = info ? info->socket_context : NULL;

	if (g == NULL)
		return;
	pthread_mutex_lock(&server->guard_lock);
	g->deadline_ms = running ? 0 :
		clock_mono_ms() + server->limits.timeout_s * 1000.0;
	pthread_mutex_unlock(&server->guard_lock);
}

static void *guard_main(void *arg)
{
	struct httpd *server = arg;
	struct timespec ts;
	unsigned cut;

	pthread_mutex_lock(&server->guard_lock);
	while (!server->guard_stop) {
		double now = clock_mono_ms();

		cut = 0;
		for (struct guard_conn *g = server->guard_list; g; g = g->next) {
			if (g->cut || g->deadline_ms == 0 || now < g->deadline_ms)
				continue;
			shutdown(g->fd, SHUT_RDWR);
			g->cut = 1;
			cut++;
		}
		if (cut > 0)
			log_info("http: closed %u connection(s) whose request did not arrive within %us",
				 cut, server->limits.timeout_s);
		clock_gettime(CLOCK_REALTIME, &ts);
		ts.tv_nsec += 250 * 1000000L;
		if (ts.tv_nsec >= 1000000000L) {
			ts.tv_sec++;
			ts.tv_nsec -= 1000000000L;
		}
		pthread_cond_timedwait(&server->guard_wake, &server->guard_lock, &ts);
	}
	pthread_mutex_unlock(&server->guard_lock);
	return NULL;
}

/*
 * libmicrohttpd decodes %00 in the path and the query into a NUL, which
 * cuts the C string short: "/stores/1%00x" would act on store 1. A %00
 * becomes 0xC0 instead, a byte no UTF-8 text, number or name holds, so
 * every check after refuses it.
 */
static size_t unescape_no_nul(void *cls, struct MHD_Connection *mhd, char *s)
{
	char *p = s;

	(void)cls;
	(void)mhd;
	while ((p = strstr(p, "%00")) != NULL) {
		*p = (char)0xc0;
		memmove(p + 1, p + 3, strlen(p + 3) + 1);
		p++;
	}
	return MHD_http_unescape(s);
}

/* Adds the bytes of one header ("Name: value\r\n") or one query argument
 * ("key=value&") to *(size_t *)cls. */
static enum MHD_Result add_size(void *cls, enum MHD_ValueKind kind,
				const char *key, const char *value)
{
	size_t *n = cls;

	*n += strlen(key) + (value ? strlen(value) : 0) +
	      (kind == MHD_HEADER_KIND ? 4 : 2);
	return MHD_YES;
}

/*
 * 414 when the URL (path and query) is longer than max_url, 431 when the
 * headers are larger than max_header, else 0. The sizes are measured after
 * percent-decoding, which never makes a URL longer. libmicrohttpd's own
 * limit (the connection's memory, set well above these two) only cuts off
 * what is far larger: up to there the answer is a problem like any other.
 */
static unsigned head_too_large(const struct httpd *server,
			       struct MHD_Connection *mhd, const char *url)
{
	size_t url_len = strlen(url), head_len = 0;

	MHD_get_connection_values(mhd, MHD_GET_ARGUMENT_KIND, add_size,
				  &url_len);
	if (url_len > server->limits.max_url)
		return 414;
	MHD_get_connection_values(mhd, MHD_HEADER_KIND, add_size, &head_len);
	return head_len > server->limits.max_header ? 431 : 0;
}

static void reply_head_too_large(struct http_conn *conn, unsigned status)
{
	char detail[96];

	if (status == 414)
		snprintf(detail, sizeof(detail),
			 "the URL is longer than %zu bytes",
			 conn->server->limits.max_url);
	else
		snprintf(detail, sizeof(detail),
			 "the request headers are larger than %zu bytes",
			 conn->server->limits.max_header);
	http_reply_problem(&conn->req, status,
			   status == 414 ? "URI Too Long"
					 : "Request Header Fields Too Large",
			   detail, NULL);
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
		unsigned too_large;

		conn = calloc(1, sizeof(*conn));
		if (conn == NULL)
			return MHD_NO;
		conn->server = server;
		conn->mhd = mhd;
		conn->req.conn = conn;
		conn->req.ctx = server->ctx;
		conn->req.method = method;
		conn->req.path = url;
		conn->route = server->nroutes;
		conn->started_ms = clock_mono_ms();
		*con_cls = conn;
		too_large = head_too_large(server, mhd, url);
		if (too_large) {
			/* Like a body too large: answered before any is read. */
			conn->too_large = 1;
			reply_head_too_large(conn, too_large);
			return MHD_YES;
		}
		clen = MHD_lookup_connection_value(mhd, MHD_HEADER_KIND,
						   MHD_HTTP_HEADER_CONTENT_LENGTH);
		if (clen != NULL &&
		    strtoull(clen, NULL, 10) > server->limits.max_body) {
			/* Answer at once: no need to read (or wait for) a body
			 * that will be refused anyway. */
			conn->too_large = 1;
			dispatch(conn);
		}
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
	conn->req.body = conn->body;
	conn->req.body_len = conn->body_len;
	guard_set(server, mhd, 1);
	dispatch(conn);
	return MHD_YES;
}

/* Counts a request whose answer went out. */
static void record(struct httpd *server, const struct http_conn *conn)
{
	struct route_stats *st = &server->stats[conn->route];
	double secs = (clock_mono_ms() - conn->started_ms) / 1000.0;
	size_t b = 0;

	if (secs < 0)
		secs = 0;
	while (b < BUCKETS && secs > latency_bounds[b])
		b++;
	atomic_fetch_add(&st->bucket[b], 1);
	atomic_fetch_add(&st->count, 1);
	atomic_fetch_add(&st->sum_us, (uint_least64_t)(secs * 1e6 + 0.5));
	if (conn->status < STATUS_MAX)
		atomic_fetch_add(&st->by_status[conn->status], 1);
}

static void on_completed(void *cls, struct MHD_Connection *mhd, void **con_cls,
			 enum MHD_RequestTerminationCode toe)
{
	struct http_conn *conn = *con_cls;

	/* The next request on this connection has timeout_s to arrive. */
	guard_set(cls, mhd, 0);
	if (conn != NULL && conn->replied &&
	    toe == MHD_REQUEST_TERMINATED_COMPLETED_OK)
		record(cls, conn);
	conn_free(conn);
	*con_cls = NULL;
}

/* libmicrohttpd's own complaints (a header too large, a client gone), in
 * the service's log format instead of bare lines on stderr. */
static void on_mhd_log(void *cls, const char *fmt, va_list ap)
{
	char line[512];
	size_t n;

	(void)cls;
	vsnprintf(line, sizeof(line), fmt, ap);
	n = strlen(line);
	while (n > 0 && (line[n - 1] == '\n' || line[n - 1] == '\r'))
		line[--n] = '\0';
	log_warn("http: %s", line);
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
	struct MHD_OptionItem pool[2] = {
		{ MHD_OPTION_END, 0, NULL },
		{ MHD_OPTION_END, 0, NULL },
	};

	if (parse_listen(listen, &addr, &addrlen, err, errlen))
		return NULL;
	server = calloc(1, sizeof(*server));
	if (server == NULL) {
		snprintf(err, errlen, "out of memory");
		return NULL;
	}
	server->routes = routes;
	while (routes[server->nroutes].pattern != NULL)
		server->nroutes++;
	server->stats = calloc(server->nroutes + 1, sizeof(*server->stats));
	if (server->stats == NULL) {
		free(server);
		snprintf(err, errlen, "out of memory");
		return NULL;
	}
	server->ctx = ctx;
	server->limits = (struct httpd_limits){ .max_body = 64 * 1024,
						.max_header = 16 * 1024,
						.timeout_s = 10,
						.threads = 4,
						.max_url = 16 * 1024 };
	if (limits != NULL) {
		if (limits->max_body)
			server->limits.max_body = limits->max_body;
		if (limits->max_header)
			server->limits.max_header = limits->max_header;
		if (limits->max_url)
			server->limits.max_url = limits->max_url;
		if (limits->timeout_s)
			server->limits.timeout_s = limits->timeout_s;
		if (limits->threads)
			server->limits.threads = limits->threads;
	}
	if (addr.ss_family == AF_INET6)
		flags |= MHD_USE_IPv6;
	(void)addrlen;
	/* A pool of one thread draws a warning: leave the option out. */
	pool[0].option = server->limits.threads > 1
				 ? MHD_OPTION_THREAD_POOL_SIZE : MHD_OPTION_END;
	pool[0].value = (intptr_t)server->limits.threads;
	pthread_mutex_init(&server->guard_lock, NULL);
	pthread_cond_init(&server->guard_wake, NULL);
	server->daemon = MHD_start_daemon(
		flags, 0, NULL, NULL, on_request, server,
		MHD_OPTION_EXTERNAL_LOGGER, on_mhd_log, server,
		MHD_OPTION_SOCK_ADDR, (struct sockaddr *)&addr,
		MHD_OPTION_ARRAY, pool,
		/* Room for a head twice our limits, so that one over them
		 * reaches head_too_large and is answered as a problem. */
		MHD_OPTION_CONNECTION_MEMORY_LIMIT,
		(size_t)2 * (server->limits.max_url + server->limits.max_header),
		MHD_OPTION_CONNECTION_TIMEOUT, server->limits.timeout_s,
		MHD_OPTION_CONNECTION_LIMIT, 1024u,
		MHD_OPTION_NOTIFY_COMPLETED, on_completed, server,
		MHD_OPTION_NOTIFY_CONNECTION, on_connection, server,
		MHD_OPTION_UNESCAPE_CALLBACK, unescape_no_nul, NULL,
		MHD_OPTION_END);
	if (server->daemon == NULL) {
		snprintf(err, errlen, "cannot listen on %s: %s", listen,
			 errno ? strerror(errno) : "libmicrohttpd refused");
		pthread_cond_destroy(&server->guard_wake);
		pthread_mutex_destroy(&server->guard_lock);
		free(server->stats);
		free(server);
		return NULL;
	}
	info = MHD_get_daemon_info(server->daemon, MHD_DAEMON_INFO_BIND_PORT);
	server->port = info ? info->port : 0;
	if (pthread_create(&server->guard_thread, NULL, guard_main, server) == 0)
		server->guard_running = 1;
	else
		log_warn("http: no slow-client guard (cannot start a thread); only the idle timeout applies");
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
	if (httpd->guard_running) {
		pthread_mutex_lock(&httpd->guard_lock);
		httpd->guard_stop = 1;
		pthread_cond_signal(&httpd->guard_wake);
		pthread_mutex_unlock(&httpd->guard_lock);
		pthread_join(httpd->guard_thread, NULL);
	}
	pthread_cond_destroy(&httpd->guard_wake);
	pthread_mutex_destroy(&httpd->guard_lock);
	free(httpd->stats);
	free(httpd);
}

struct httpd *http_req_server(struct http_req *req)
{
	return req->conn->server;
}

/* A growing text buffer for the metrics; on failure text is NULL. */
struct text {
	char *text;
	size_t len, cap;
};

static void text_add(struct text *t, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static void text_add(struct text *t, const char *fmt, ...)
{
	va_list ap;
	int n;

	if (t->text == NULL)
		return;
	for (;;) {
		va_start(ap, fmt);
		n = vsnprintf(t->text + t->len, t->cap - t->len, fmt, ap);
		va_end(ap);
		if (n < 0) {
			free(t->text);
			t->text = NULL;
			return;
		}
		if ((size_t)n < t->cap - t->len) {
			t->len += (size_t)n;
			return;
		}
		char *grown = realloc(t->text, t->cap * 2 + (size_t)n);

		if (grown == NULL) {
			free(t->text);
			t->text = NULL;
			return;
		}
		t->text = grown;
		t->cap = t->cap * 2 + (size_t)n;
	}
}

/* The method and route labels of route i ("unmatched" past the table). */
static void route_labels(const struct httpd *h, size_t i, const char **method,
			 const char **route)
{
	*method = i < h->nroutes ? h->routes[i].method : "any";
	*route = i < h->nroutes ? h->routes[i].pattern : "unmatched";
}

char *httpd_metrics_text(const struct httpd *h)
{
	struct text t = { malloc(4096), 0, 4096 };
	const char *method, *route;

	text_add(&t, "# HELP http_requests_total HTTP requests answered, by route and status.\n"
		     "# TYPE http_requests_total counter\n");
	for (size_t i = 0; i <= h->nroutes; i++) {
		route_labels(h, i, &method, &route);
		for (unsigned code = 0; code < STATUS_MAX; code++) {
			uint_least64_t n = atomic_load(&h->stats[i].by_status[code]);

			if (n > 0)
				text_add(&t, "http_requests_total{method=\"%s\",route=\"%s\",status=\"%u\"} %llu\n",
					 method, route, code,
					 (unsigned long long)n);
		}
	}
	text_add(&t, "# HELP http_request_duration_seconds Time from a request's headers to the end of its answer.\n"
		     "# TYPE http_request_duration_seconds histogram\n");
	for (size_t i = 0; i <= h->nroutes; i++) {
		const struct route_stats *st = &h->stats[i];
		uint_least64_t cum = 0;

		/* A route never asked has no series yet (as Prometheus client
		 * libraries do), which keeps the text short. */
		if (atomic_load(&st->count) == 0)
			continue;
		route_labels(h, i, &method, &route);
		for (size_t b = 0; b <= BUCKETS; b++) {
			cum += atomic_load(&st->bucket[b]);
			if (b < BUCKETS)
				text_add(&t, "http_request_duration_seconds_bucket{method=\"%s\",route=\"%s\",le=\"%g\"} %llu\n",
					 method, route, latency_bounds[b],
					 (unsigned long long)cum);
			else
				text_add(&t, "http_request_duration_seconds_bucket{method=\"%s\",route=\"%s\",le=\"+Inf\"} %llu\n",
					 method, route, (unsigned long long)cum);
		}
		/* _count is the +Inf bucket, so the two always agree. */
		text_add(&t, "http_request_duration_seconds_sum{method=\"%s\",route=\"%s\"} %.6f\n"
			     "http_request_duration_seconds_count{method=\"%s\",route=\"%s\"} %llu\n",
			 method, route,
			 (double)atomic_load(&st->sum_us) / 1e6, method, route,
			 (unsigned long long)cum);
	}
	return t.text;
}
