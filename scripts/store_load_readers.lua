-- Readers for scripts/store-load.sh: random GET /stores/{id}, batch reads
-- (GET /stores?ids=) and list queries, with the token from $LOAD_TOKEN.
-- done() prints one JSON line: requests, p50/p99 (ms), errors by kind.
local ids = {}
local token = os.getenv("LOAD_TOKEN") or ""

function init(args)
	for line in io.lines(args[1]) do
		ids[#ids + 1] = line
	end
	math.randomseed(os.time() + math.floor(os.clock() * 1000))
end

local function pick() return ids[math.random(#ids)] end

function request()
	local headers = { Authorization = "Bearer " .. token }
	local r = math.random(10)
	local path
	if r <= 6 then
		path = "/stores/" .. pick()
	elseif r <= 8 then
		path = "/stores?ids=" .. pick() .. "," .. pick() .. "," .. pick()
	else
		path = "/stores?area=gangnam&limit=20"
	end
	return wrk.format("GET", path, headers)
end

function done(summary, latency, requests)
	local e = summary.errors
	io.write(string.format(
		'{"requests":%d,"p50_ms":%.2f,"p99_ms":%.2f,' ..
		'"errors":{"connect":%d,"read":%d,"write":%d,"status":%d,"timeout":%d}}\n',
		summary.requests, latency:percentile(50) / 1000, latency:percentile(99) / 1000,
		e.connect, e.read, e.write, e.status, e.timeout))
end
