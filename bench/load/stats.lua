-- wrk: the figures every scenario prints (req/s, p50/p95/p99, errors), for a fixed path, with
-- headers from the environment: AUTH (Authorization), COOKIE (a signed-in session). The
-- scenarios that vary their path (lookup.lua, queries.lua) load this file first.
local auth, cookie = os.getenv("AUTH"), os.getenv("COOKIE")
if auth and auth ~= "" then wrk.headers["Authorization"] = auth end
if cookie and cookie ~= "" then wrk.headers["Cookie"] = cookie end
done = function(summary, latency, requests)
  io.write(string.format("RESULT req/s=%.1f p50=%.1fms p95=%.1fms p99=%.1fms errors=%d non2xx=%d\n",
    summary.requests / (summary.duration / 1e6), latency:percentile(50) / 1000,
    latency:percentile(95) / 1000, latency:percentile(99) / 1000,
    summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout,
    summary.errors.status))
end
