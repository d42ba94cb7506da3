/* GET /health: is the database usable, is Kafka reachable, is the outbox
 * draining. */
#include "store-svc/store_http.h"

#include "common/clock.h"
#include "store-svc/relay.h"
#include "store-svc/store_db.h"

void store_http_health(struct http_req *req)
{
	struct store_svc *svc = req->ctx;
	int64_t pending = 0;
	double oldest_ms = 0, age_s = 0;
	int db_ok;

	db_ok = store_db_outbox_stats(svc->db, &pending, &oldest_ms) ==
		STORE_DB_OK;
	if (db_ok && pending > 0 && oldest_ms > 0)
		age_s = (clock_wall_ms() - oldest_ms) / 1000.0;
	if (age_s < 0)
		age_s = 0;
	/* A broker outage does not stop writes (they wait in the outbox), so
	 * only the database decides the status code. */
	http_reply_json(req, db_ok ? 200 : 503,
			json_pack("{sssssssIsf}", "status",
				  db_ok ? "ok" : "error", "database",
				  db_ok ? "ok" : "error", "broker",
				  store_relay_broker_up(svc->relay) ? "ok" : "down",
				  "outbox_pending", (json_int_t)pending,
				  "outbox_oldest_age_s", age_s));
}
