#ifndef STORECTL_DEMO_OUTPUT_H
#define STORECTL_DEMO_OUTPUT_H

#include <stdio.h>

#include "cli/demo_run.h"

/*
 * The transcript adapter of the demo runner's output port: one line per
 * step on a stream,
 *
 *      1523 ms  L14  wait propagated $s within 10  =>  ok in 31 ms: ...
 *
 * (elapsed time at the step's start, its line, the step as written with
 * its variables replaced, the outcome, how long it took, the result), a
 * first line saying what plays where, and a last one with the summary.
 *
 * live is for a terminal: each step shows as it starts (so a long wait is
 * visible), captions stand out (bold, unless NO_COLOR is set) and stay a
 * moment so they can be read. The console adapter (cli/demo_console.h)
 * replaces this one when the demo plays inside the console.
 */

struct demo_transcript {
	FILE *f;
	int live;
	int bold;
	double caption_hold_ms;
};

/*
 * Points out at a transcript on f (not owned). t holds the adapter's state
 * and must outlive out.
 */
void demo_output_transcript(struct demo_output *out, struct demo_transcript *t,
			    FILE *f, int live);

#endif
