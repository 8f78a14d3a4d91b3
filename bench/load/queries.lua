-- wrk: each request the next line of QUERIES (already URL-encoded) put into PATH_FORMAT's %s;
-- headers and figures as stats.lua.
dofile("bench/load/stats.lua")  -- run from the repository's root
local queries = {}
for line in io.lines(os.getenv("QUERIES")) do
  if line ~= "" then queries[#queries + 1] = line end
end
local path_format = os.getenv("PATH_FORMAT")
local counter = 0
request = function()
  counter = counter + 1
  return wrk.format("GET", string.format(path_format, queries[(counter % #queries) + 1]))
end
