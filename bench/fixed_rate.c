/*
 * An open-loop HTTP load generator: GET requests at a fixed rate, whatever
 * the server does, with each latency measured from the time the request
 * was due (not from when a connection was free to send it), so a server
 * that stalls is charged for the requests that queued behind the stall.
 * wrk has no fixed rate and wrk2 is not in Debian.
 *
 *   fixed_rate URL RATE SECONDS [CONNECTIONS]   (default 32 connections)
 *
 * URL is http://HOST:PORT/PATH (IPv4). $BENCH_TOKEN, when set, is sent as
 * a bearer token. Prints one JSON line: requests due and answered, non-200
 * answers, errors, the rate reached, and latency p50/p90/p99/max in ms.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#define CONN_MAX 256
#define BUF_MAX 65536

struct conn {
	int fd;
	int busy;
	double due;        /* when the request in flight was due */
	char buf[BUF_MAX];
	size_t len;
};

static struct conn conns[CONN_MAX];
static int nconns, ep;
static struct sockaddr_in addr;
static char request[4096];
static size_t request_len;
static double *lat;
static long nlat, non200, errors;

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static int conn_open(struct conn *c)
{
	int one = 1;
	struct epoll_event ev = { .events = EPOLLIN };

	c->fd = socket(AF_INET, SOCK_STREAM, 0);
	if (c->fd < 0 || connect(c->fd, (struct sockaddr *)&addr,
				 sizeof(addr)) != 0) {
		perror("fixed_rate: connect");
		return -1;
	}
	setsockopt(c->fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
	fcntl(c->fd, F_SETFL, O_NONBLOCK);
	ev.data.ptr = c;
	epoll_ctl(ep, EPOLL_CTL_ADD, c->fd, &ev);
	c->busy = 0;
	c->len = 0;
	return 0;
}

static void conn_reset(struct conn *c)
{
	epoll_ctl(ep, EPOLL_CTL_DEL, c->fd, NULL);
	close(c->fd);
	errors++;
	if (conn_open(c) != 0)
		exit(1);
}

static void conn_send(struct conn *c, double due)
{
	c->busy = 1;
	c->due = due;
	c->len = 0;
	/* A small request on loopback goes out whole, or the connection
	 * is broken. */
	if (write(c->fd, request, request_len) != (ssize_t)request_len)
		conn_reset(c);
}

/* Has the buffer a whole response? Its length, or 0. */
static size_t response_len(const struct conn *c)
{
	const char *end = memmem(c->buf, c->len, "\r\n\r\n", 4);
	const char *cl;
	size_t head;

	if (end == NULL)
		return 0;
	head = (size_t)(end - c->buf) + 4;
	cl = memmem(c->buf, head, "Content-Length:", 15);
	if (cl == NULL)
		cl = memmem(c->buf, head, "content-length:", 15);
	if (cl == NULL)
		return head;
	head += strtoul(cl + 15, NULL, 10);
	return c->len >= head ? head : 0;
}

static void conn_read(struct conn *c)
{
	ssize_t n = read(c->fd, c->buf + c->len, BUF_MAX - 1 - c->len);
	size_t whole;

	if (n <= 0) {
		if (n < 0 && errno == EAGAIN)
			return;
		conn_reset(c);
		return;
	}
	c->len += (size_t)n;
	if (c->len >= BUF_MAX - 1) {
		conn_reset(c);
		return;
	}
	whole = response_len(c);
	if (whole == 0 || !c->busy)
		return;
	if (strncmp(c->buf + 9, "200", 3) != 0)
		non200++;
	lat[nlat++] = (now_s() - c->due) * 1000.0;
	c->busy = 0;
	c->len = 0;
}

static int cmp(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

static double pct(double p)
{
	long k;

	if (nlat == 0)
		return 0;
	k = (long)(p / 100.0 * nlat + 0.5) - 1;
	if (k < 0)
		k = 0;
	if (k >= nlat)
		k = nlat - 1;
	return lat[k];
}

int main(int argc, char **argv)
{
	const char *token = getenv("BENCH_TOKEN");
	char host[64], path[2048] = "/";
	unsigned port = 80;
	double rate, secs, t0, t_end, *queue;
	long due_total, sent = 0, qhead = 0, qtail = 0;

	if (argc < 4 || sscanf(argv[1], "http://%63[^:/]:%u%2047s", host, &port,
			       path) < 2) {
		fprintf(stderr, "usage: fixed_rate http://HOST:PORT/PATH RATE SECONDS [CONNECTIONS]\n");
		return 2;
	}
	rate = atof(argv[2]);
	secs = atof(argv[3]);
	nconns = argc > 4 ? atoi(argv[4]) : 32;
	if (rate <= 0 || secs <= 0 || nconns < 1 || nconns > CONN_MAX) {
		fprintf(stderr, "fixed_rate: bad RATE, SECONDS or CONNECTIONS\n");
		return 2;
	}
	addr.sin_family = AF_INET;
	addr.sin_port = htons((uint16_t)port);
	if (inet_pton(AF_INET, host, &addr.sin_addr) != 1) {
		fprintf(stderr, "fixed_rate: %s: not an IPv4 address\n", host);
		return 2;
	}
	request_len = (size_t)snprintf(request, sizeof(request),
				       "GET %s HTTP/1.1\r\nHost: %s:%u\r\n%s%s%s"
				       "\r\n", path, host, port,
				       token && *token ? "Authorization: Bearer " : "",
				       token && *token ? token : "",
				       token && *token ? "\r\n" : "");
	due_total = (long)(rate * secs);
	lat = calloc((size_t)due_total + 1, sizeof(*lat));
	queue = calloc((size_t)due_total + 1, sizeof(*queue));
	ep = epoll_create1(0);
	if (lat == NULL || queue == NULL || ep < 0)
		return 1;
	for (int i = 0; i < nconns; i++)
		if (conn_open(&conns[i]) != 0)
			return 1;

	t0 = now_s() + 0.05;
	t_end = t0 + secs + 5; /* answers still due get 5 s */
	while (now_s() < t_end) {
		struct epoll_event evs[64];
		double now = now_s(), wait_ms;
		int n, busy = 0;

		/* Every request now due joins the queue at its due time. */
		while (sent < due_total && t0 + sent / rate <= now)
			queue[qtail++] = t0 + (sent++) / rate;
		for (int i = 0; i < nconns && qhead < qtail; i++)
			if (!conns[i].busy)
				conn_send(&conns[i], queue[qhead++]);
		for (int i = 0; i < nconns; i++)
			busy += conns[i].busy;
		if (sent == due_total && qhead == qtail && busy == 0)
			break;
		wait_ms = sent < due_total ? (t0 + sent / rate - now_s()) * 1000 : 10;
		n = epoll_wait(ep, evs, 64, wait_ms > 0 ? (int)wait_ms : 0);
		for (int i = 0; i < n; i++)
			conn_read(evs[i].data.ptr);
	}
	qsort(lat, (size_t)nlat, sizeof(*lat), cmp);
	printf("{\"rate\":%.0f,\"seconds\":%.1f,\"due\":%ld,\"answered\":%ld,"
	       "\"non200\":%ld,\"errors\":%ld,\"rps\":%.1f,\"p50_ms\":%.3f,"
	       "\"p90_ms\":%.3f,\"p99_ms\":%.3f,\"max_ms\":%.3f}\n",
	       rate, secs, due_total, nlat, non200, errors, nlat / secs,
	       pct(50), pct(90), pct(99), nlat ? lat[nlat - 1] : 0.0);
	return 0;
}
