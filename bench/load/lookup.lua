-- wrk: each request a different dossier of the bench data's sample (code,secret per line).
local pairs_ = {}
local path_format = os.getenv("LOOKUP_PATH") or "/api/v1/dossiers/lookup?code=%s&secret=%s"
for line in io.lines(os.getenv("LOOKUPS") or "var/bench/lookups.csv") do
  local code, secret = line:match("^([^,]+),([^,]+)")
  if code and code ~= "code" then pairs_[#pairs_ + 1] = {code, secret} end
end
local counter = 0
request = function()
  counter = counter + 1
  local p = pairs_[(counter % #pairs_) + 1]
  return wrk.format("GET", string.format(path_format, p[1], p[2]))
end
done = function(summary, latency, requests)
  io.write(string.format("RESULT req/s=%.1f p50=%.1fms p95=%.1fms p99=%.1fms errors=%d non2xx=%d\n",
    summary.requests / (summary.duration / 1e6), latency:percentile(50) / 1000,
    latency:percentile(95) / 1000, latency:percentile(99) / 1000,
    summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout,
    summary.errors.status))
end
