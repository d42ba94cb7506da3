#ifndef STORECTL_DEMO_CONSOLE_H
#define STORECTL_DEMO_CONSOLE_H

#include <signal.h>

#include "cli/demo_run.h"
#include "tui/console.h"

/*
 * The console adapter of the demo runner's output port: 'storectl demo'
 * without --headless plays inside the console. The runner runs on a
 * thread of its own and reports to a caption box (tui/caption.h) above
 * the console's status line: the step and its caption, each caption held
 * long enough to read, while the console's screens (the Stream first)
 * show the stack reacting. When the run ends the box keeps the result
 * until the user quits; quitting earlier interrupts the run (which then
 * starts again what it stopped, as after a failure, and waits for it).
 */

/*
 * Plays script on w inside the console cfg describes (its caption and
 * start_screen are set here). cancel is the flag a signal sets once the
 * console has closed (and the world's waits watch): it cuts the run's
 * clean-up short. The run is over when this returns. Fills sum and returns the console's
 * exit status (0 after a normal quit).
 */
int demo_console_play(const struct demo_script *script,
		      const struct demo_world *w, struct console_config *cfg,
		      volatile sig_atomic_t *cancel, struct demo_summary *sum);

#endif
