/*
 * The baseline for the store API's read figures: a bare libmicrohttpd
 * responder answering every request with the same 200-byte JSON body, on
 * the threading model store-svc uses (internal polling thread pool). It
 * prints "listening on http://127.0.0.1:PORT" once ready and runs until
 * SIGTERM or SIGINT.
 *
 *   bare_mhd [THREADS]   (default 2)
 */
#include <microhttpd.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static char body[201];
static volatile sig_atomic_t stop;

static void on_signal(int sig)
{
	(void)sig;
	stop = 1;
}

static enum MHD_Result answer(void *cls, struct MHD_Connection *conn,
			      const char *url, const char *method,
			      const char *version, const char *upload,
			      size_t *upload_len, void **state)
{
	struct MHD_Response *resp;
	enum MHD_Result ret;

	(void)cls; (void)url; (void)method; (void)version; (void)upload;
	/* Answer on the second call, once the request is read, as store-svc
	 * does: a response queued on the first call makes libmicrohttpd close
	 * the connection instead of keeping it alive. */
	if (*state == NULL) {
		*state = body;
		return MHD_YES;
	}
	if (*upload_len > 0) {
		*upload_len = 0;
		return MHD_YES;
	}
	resp = MHD_create_response_from_buffer(200, body, MHD_RESPMEM_PERSISTENT);
	if (!resp)
		return MHD_NO;
	MHD_add_response_header(resp, "Content-Type", "application/json");
	ret = MHD_queue_response(conn, MHD_HTTP_OK, resp);
	MHD_destroy_response(resp);
	return ret;
}

int main(int argc, char **argv)
{
	unsigned threads = argc > 1 ? (unsigned)atoi(argv[1]) : 2;
	const union MHD_DaemonInfo *info;
	struct MHD_Daemon *d;
	struct sigaction sa;

	memset(body, 'x', 200);
	memcpy(body, "{\"pad\":\"", 8);
	memcpy(body + 198, "\"}", 2);
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	d = MHD_start_daemon(MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_EPOLL,
			     0, NULL, NULL, answer, NULL,
			     MHD_OPTION_THREAD_POOL_SIZE, threads ? threads : 1,
			     MHD_OPTION_CONNECTION_LIMIT, 1000u,
			     MHD_OPTION_LISTENING_ADDRESS_REUSE, 1u,
			     MHD_OPTION_END);
	if (!d) {
		fprintf(stderr, "bare_mhd: cannot start the daemon\n");
		return 1;
	}
	info = MHD_get_daemon_info(d, MHD_DAEMON_INFO_BIND_PORT);
	printf("bare_mhd: listening on http://127.0.0.1:%u\n", info->port);
	fflush(stdout);
	while (!stop)
		pause();
	MHD_stop_daemon(d);
	return 0;
}
