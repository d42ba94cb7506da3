#ifndef STORECTL_STATUS_H
#define STORECTL_STATUS_H

#include "cli/cli.h"

/*
 * storectl status: what the stack in o->state runs where, whether each
 * process is alive and answers (/health for services, a TCP connect for
 * the broker). With o->json it prints {"broker","services","state",
 * "tokens_file","broker_control"} instead of the table. Returns CLI_EXIT_OK when everything answers,
 * CLI_EXIT_FAIL when something does not, CLI_EXIT_NOT_RUNNING when no
 * stack runs there.
 */
int status_run(const struct cli_opts *o);

#endif
