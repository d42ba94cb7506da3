/* Assigning partitions again after their committed offsets were lost. */
#include "common/kafka_refetch.h"

#include <string.h>

#include "common/clock.h"
#include "common/log.h"

#define REFETCH_MS 500

int kafka_refetch_note(struct kafka_refetch *rf, const rd_kafka_message_t *m)
{
	if (m->err == RD_KAFKA_RESP_ERR_NO_ERROR ||
	    strstr(rd_kafka_message_errstr(m), "to fetch committed offset") == NULL)
		return 0;
	if (rf->at_ms == 0) {
		log_warn("%s: %s; assigning the partitions again in %d ms",
			 rf->who, rd_kafka_message_errstr(m), REFETCH_MS);
		rf->at_ms = clock_mono_ms() + REFETCH_MS;
	}
	return 1;
}

void kafka_refetch_due(struct kafka_refetch *rf, rd_kafka_t *rk, int paused)
{
	rd_kafka_topic_partition_list_t *now = NULL;
	rd_kafka_error_t *error = NULL;
	rd_kafka_resp_err_t ret = RD_KAFKA_RESP_ERR_NO_ERROR;

	if (rf->at_ms == 0 || clock_mono_ms() < rf->at_ms)
		return;
	rf->at_ms = 0;
	if (rd_kafka_assignment(rk, &now) != RD_KAFKA_RESP_ERR_NO_ERROR)
		return;
	if (now->cnt > 0) {
		if (strcmp(rd_kafka_rebalance_protocol(rk), "COOPERATIVE") == 0) {
			error = rd_kafka_incremental_unassign(rk, now);
			if (error == NULL)
				error = rd_kafka_incremental_assign(rk, now);
		} else {
			ret = rd_kafka_assign(rk, now);
		}
		if (paused)
			rd_kafka_pause_partitions(rk, now);
		else
			rd_kafka_resume_partitions(rk, now);
	}
	if (error != NULL) {
		log_error("%s: assigning again: %s", rf->who,
			  rd_kafka_error_string(error));
		rd_kafka_error_destroy(error);
	} else if (ret != RD_KAFKA_RESP_ERR_NO_ERROR) {
		log_error("%s: assigning again: %s", rf->who,
			  rd_kafka_err2str(ret));
	}
	rd_kafka_topic_partition_list_destroy(now);
}
