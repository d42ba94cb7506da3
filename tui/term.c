#include "tui/term.h"

#include <errno.h>
#include <fcntl.h>
#include <langinfo.h>
#include <locale.h>
#include <ncurses.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <term.h>
#include <termios.h>
#include <unistd.h>

#include "tui/theme.h"

static SCREEN *term_screen;
static volatile sig_atomic_t term_active;
static volatile sig_atomic_t term_quit;
static int wake_pipe[2] = { -1, -1 };
static int saved_stderr = -1;
static int atexit_done;

static const int quit_signals[] = { SIGINT, SIGTERM, SIGHUP };
static const int fatal_signals[] = { SIGSEGV, SIGABRT, SIGBUS, SIGFPE,
				     SIGILL };
#define NQUIT (sizeof(quit_signals) / sizeof(quit_signals[0]))
#define NFATAL (sizeof(fatal_signals) / sizeof(fatal_signals[0]))
static struct sigaction old_quit[NQUIT], old_fatal[NFATAL], old_pipe;

static void restore_stderr(void)
{
	if (saved_stderr >= 0) {
		dup2(saved_stderr, STDERR_FILENO);
		close(saved_stderr);
		saved_stderr = -1;
	}
}

static void on_quit_signal(int sig)
{
	int saved = errno;

	(void)sig;
	term_quit = 1;
	if (wake_pipe[1] >= 0 && write(wake_pipe[1], "s", 1) < 0)
		(void)0;
	errno = saved;
}

/*
 * A crash must not leave the terminal in raw mode: endwin() is not
 * async-signal-safe, but the process is dying anyway and a usable shell is
 * worth the risk. Then die of the same signal (the default action, with a
 * core dump where enabled).
 */
static void on_fatal_signal(int sig)
{
	if (term_active) {
		term_active = 0;
		endwin();
	}
	if (saved_stderr >= 0)
		dup2(saved_stderr, STDERR_FILENO);
	signal(sig, SIG_DFL);
	raise(sig);
}

static void at_exit(void)
{
	tui_term_stop();
}

static void install_signals(void)
{
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sigemptyset(&sa.sa_mask);
	sa.sa_handler = on_quit_signal;
	for (size_t i = 0; i < NQUIT; i++)
		sigaction(quit_signals[i], &sa, &old_quit[i]);
	sa.sa_handler = on_fatal_signal;
	sa.sa_flags = SA_RESETHAND;
	for (size_t i = 0; i < NFATAL; i++)
		sigaction(fatal_signals[i], &sa, &old_fatal[i]);
	/* A closed socket must be an error return, not death. */
	sa.sa_handler = SIG_IGN;
	sa.sa_flags = 0;
	sigaction(SIGPIPE, &sa, &old_pipe);
}

static void restore_signals(void)
{
	for (size_t i = 0; i < NQUIT; i++)
		sigaction(quit_signals[i], &old_quit[i], NULL);
	for (size_t i = 0; i < NFATAL; i++)
		sigaction(fatal_signals[i], &old_fatal[i], NULL);
	sigaction(SIGPIPE, &old_pipe, NULL);
}

/* Our data is UTF-8 whatever the environment says; wide characters need a
 * UTF-8 LC_CTYPE for ncursesw to draw them. */
static void set_locale(void)
{
	const char *cs;

	setlocale(LC_ALL, "");
	cs = nl_langinfo(CODESET);
	if (cs == NULL || (strcmp(cs, "UTF-8") != 0 && strcmp(cs, "utf8") != 0))
		if (setlocale(LC_CTYPE, "C.UTF-8") == NULL)
			setlocale(LC_CTYPE, "en_US.UTF-8");
}

static int open_wake_pipe(char *err, size_t errlen)
{
	if (wake_pipe[0] >= 0)
		return 0;
	if (pipe(wake_pipe) != 0) {
		snprintf(err, errlen, "pipe: %s", strerror(errno));
		return -1;
	}
	for (int i = 0; i < 2; i++) {
		fcntl(wake_pipe[i], F_SETFL, O_NONBLOCK);
		fcntl(wake_pipe[i], F_SETFD, FD_CLOEXEC);
	}
	return 0;
}

static void redirect_stderr(void)
{
	const char *path = getenv("STORECTL_CONSOLE_LOG");
	int fd;

	if (path == NULL || *path == '\0')
		path = "/dev/null";
	fd = open(path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0600);
	if (fd < 0)
		return;
	saved_stderr = fcntl(STDERR_FILENO, F_DUPFD_CLOEXEC, 3);
	if (saved_stderr >= 0)
		dup2(fd, STDERR_FILENO);
	close(fd);
}

int tui_term_start(char *err, size_t errlen)
{
	struct termios tio;

	if (term_active) {
		snprintf(err, errlen, "the console is already running");
		return -1;
	}
	if (!isatty(STDIN_FILENO) || !isatty(STDOUT_FILENO)) {
		snprintf(err, errlen,
			 "the console needs a terminal on stdin and stdout");
		return -1;
	}
	set_locale();
	if (open_wake_pipe(err, errlen) != 0)
		return -1;
	term_quit = 0;
	/* Before newterm, so ncurses leaves SIGINT/SIGTERM to us. */
	install_signals();
	term_screen = newterm(NULL, stdout, stdin);
	if (term_screen == NULL) {
		const char *t = getenv("TERM");

		restore_signals();
		snprintf(err, errlen, "cannot use terminal type \"%s\"",
			 t ? t : "(TERM not set)");
		return -1;
	}
	/* A terminal that cannot place the cursor (TERM=dumb) would get a
	 * scrolling mess. */
	if (tigetstr("cup") == NULL || tigetstr("cup") == (char *)-1) {
		const char *t = getenv("TERM");

		endwin();
		delscreen(term_screen);
		term_screen = NULL;
		restore_signals();
		snprintf(err, errlen,
			 "terminal type \"%s\" cannot move the cursor; the "
			 "console needs one that can (e.g. TERM=xterm)",
			 t ? t : "");
		return -1;
	}
	term_active = 1;
	if (!atexit_done) {
		atexit(at_exit);
		atexit_done = 1;
	}
	set_escdelay(25);
	cbreak();
	noecho();
	nonl();
	keypad(stdscr, TRUE);
	nodelay(stdscr, TRUE);
	intrflush(stdscr, FALSE);
	leaveok(stdscr, FALSE);
	curs_set(0);
	/*
	 * cbreak keeps Ctrl-C a signal (a clean quit) but also keeps XON/XOFF,
	 * which would swallow Ctrl-S (save) and freeze the screen; drop it and
	 * make that the mode ncurses returns to after a suspend.
	 */
	if (tcgetattr(STDIN_FILENO, &tio) == 0) {
		tio.c_iflag &= ~(tcflag_t)(IXON | IXOFF);
		tcsetattr(STDIN_FILENO, TCSANOW, &tio);
		def_prog_mode();
	}
	tui_theme_init();
	redirect_stderr();
	return 0;
}

void tui_term_stop(void)
{
	if (!term_active)
		return;
	term_active = 0;
	curs_set(1);
	endwin();
	if (term_screen != NULL) {
		delscreen(term_screen);
		term_screen = NULL;
	}
	restore_stderr();
	restore_signals();
}

int tui_term_wake_fd(void)
{
	char err[64];

	if (wake_pipe[1] < 0 && open_wake_pipe(err, sizeof(err)) != 0)
		return -1;
	return wake_pipe[1];
}

int tui_term_wake_read_fd(void)
{
	return wake_pipe[0];
}

void tui_term_drain_wake(void)
{
	char buf[256];

	while (read(wake_pipe[0], buf, sizeof(buf)) > 0)
		;
}

int tui_term_quit_requested(void)
{
	return term_quit;
}
