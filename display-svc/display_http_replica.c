/*
 * GET /replica/stores: display-svc's documents as a paged listing, the
 * same shape every downstream service answers, so that an audit can read
 * the whole copy (and find documents of stores the store API does not
 * have) instead of asking for the stores it knows one by one.
 */
#include "display-svc/display_http.h"

#include "consumer/ds_params.h"

void display_http_replica(struct http_req *req)
{
	struct display_svc *svc = req->ctx;
	int64_t after;
	int limit;
	json_t *page;

	if (ds_parse_page(req, &after, &limit))
		return;
	page = display_db_replica(svc->db, after, limit);
	if (page == NULL) {
		http_reply_problem(req, 503, "Service Unavailable",
				   "the view database failed", NULL);
		return;
	}
	display_http_reply(req, 200, page);
}
