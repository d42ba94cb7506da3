#ifndef STORECTL_TAIL_CMD_H
#define STORECTL_TAIL_CMD_H

/*
 * storectl tail: the console's Stream pane without a terminal. It reads
 * store.events and store.reactions exactly as the pane does (tui/tail.c
 * into tui/stream_model.c: no consumer group, nothing committed) and
 * prints one line per event and one per reaction joined to its event:
 *
 *   storectl tail [--count N] [--from-beginning] [--quiet]
 *                 [--brokers LIST] [--state DIR] [-X key=value]...
 *
 * Its options follow the word "tail" (argv[0] here is "tail").
 */

/*
 * Runs the command; returns the exit status: 0 after --count events or
 * SIGINT/SIGTERM (or --help), 1 when it cannot start or stdout fails,
 * 2 for a bad command line.
 */
int tail_command(int argc, char **argv);

#endif
