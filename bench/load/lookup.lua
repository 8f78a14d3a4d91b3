-- wrk: each request a different dossier of the bench data's sample (code,secret per line).
dofile("bench/load/stats.lua")  -- the figures printed (run from the repository's root)
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
