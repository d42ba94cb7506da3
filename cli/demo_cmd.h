#ifndef STORECTL_DEMO_CMD_H
#define STORECTL_DEMO_CMD_H

#include "cli/cli.h"

/*
 * storectl demo [SCRIPT]: plays SCRIPT (a file, "-" for standard input,
 * or the built-in scenario when NULL) on the stack in o->state, or on the
 * endpoints o gives. With o->headless it needs no terminal and prints a
 * transcript; o->check only checks the script; o->print prints the
 * built-in one. Returns the exit status: 0 when every step passed, 1 when
 * one failed (or the run was interrupted), 2 for a script that does not
 * parse or asks what the stack cannot do (then nothing ran).
 */
int demo_command(const struct cli_opts *o, const char *script);

#endif
