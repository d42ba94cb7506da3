#ifndef STORECTL_TUI_TERM_H
#define STORECTL_TUI_TERM_H

#include <stddef.h>

/*
 * The terminal for the console's lifetime. tui_term_start puts it in the
 * console's modes (UTF-8 locale, cbreak, no echo, keypad, no flow control
 * so Ctrl-S reaches us) and installs the handlers that give it back on
 * every way out: tui_term_stop, exit() (atexit), SIGINT/SIGTERM/SIGHUP (a
 * quit request the main loop sees), and fatal signals (restore, then die of
 * the same signal). SIGWINCH stays with ncurses, which turns it into
 * KEY_RESIZE.
 *
 * It also owns the wake-up pipe: worker threads and signal handlers write a
 * byte to tui_term_wake_fd(); the main loop polls tui_term_wake_read_fd().
 * While the screen is up, stderr goes to $STORECTL_CONSOLE_LOG (or
 * /dev/null) so that no library message lands on the screen.
 */

/* Returns 0, or -1 with a reason in err (no terminal, unknown TERM...). */
int tui_term_start(char *err, size_t errlen);

/* Restores the terminal and stderr; safe to call more than once. */
void tui_term_stop(void);

/* Write end, for other threads (the pipe is made on first use; -1 when
 * it cannot be). */
int tui_term_wake_fd(void);
int tui_term_wake_read_fd(void); /* read end, for poll() */

/* Empties the wake-up pipe. */
void tui_term_drain_wake(void);

/* 1 once SIGINT, SIGTERM or SIGHUP arrived. */
int tui_term_quit_requested(void);

#endif
