#ifndef STORECTL_OPS_CMD_H
#define STORECTL_OPS_CMD_H

#include "cli/cli.h"

/*
 * The operator's commands (storectl(1)), on the embedded stack in
 * o->state, or, with --store-api, on the endpoints the options give (then
 * --token must be an operator's):
 *
 *   storectl fault [show]
 *   storectl fault api --latency MS --errors RATE [--for SECONDS] [--scope all]
 *   storectl fault api --clear
 *   storectl fault broker down|up             (embedded stack only)
 *   storectl fault broker errors API CODE [COUNT]
 *   storectl audit [--service S] [--wait SECONDS] [--json]
 *   storectl resync [--service S] [--stores IDS|all|drifted] [--wait SECONDS]
 *
 * Each returns the exit status: 0 done (audit: converged), 1 failed
 * (audit: drift, or a service not checked), 2 bad usage.
 */
int ops_fault_command(const struct cli_opts *o);
int ops_audit_command(const struct cli_opts *o);
int ops_resync_command(const struct cli_opts *o);

#endif
