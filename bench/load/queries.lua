-- wrk: each request the next line of QUERIES (already URL-encoded) put into PATH_FORMAT's %s;
-- headers from the environment: AUTH (Authorization), COOKIE (a signed-in session).
local queries = {}
for line in io.lines(os.getenv("QUERIES")) do
  if line ~= "" then queries[#queries + 1] = line end
end
local path_format = os.getenv("PATH_FORMAT")
local auth, cookie = os.getenv("AUTH"), os.getenv("COOKIE")
if auth and auth ~= "" then wrk.headers["Authorization"] = auth end
if cookie and cookie ~= "" then wrk.headers["Cookie"] = cookie end
local counter = 0
request = function()
  counter = counter + 1
  return wrk.format("GET", string.format(path_format, queries[(counter % #queries) + 1]))
end
done = function(summary, latency, requests)
  io.write(string.format("RESULT req/s=%.1f p50=%.1fms p95=%.1fms p99=%.1fms errors=%d non2xx=%d\n",
    summary.requests / (summary.duration / 1e6), latency:percentile(50) / 1000,
    latency:percentile(95) / 1000, latency:percentile(99) / 1000,
    summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout,
    summary.errors.status))
end
