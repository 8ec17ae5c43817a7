-- wrk script: requests a list of paths round-robin (file in env WRK_URLS), reports p50/p95/p99.
local paths = {}
local counter = 0

local function load()
  local file = os.getenv("WRK_URLS")
  for line in io.lines(file) do
    if #line > 0 then paths[#paths + 1] = line end
  end
end

load()

function setup(thread)
  thread:set("offset", counter * 7919)
  counter = counter + 1
end

local i = 0
request = function()
  i = i + 1
  local path = paths[((offset or 0) + i) % #paths + 1]
  return wrk.format("GET", path)
end

local statuses = {}
response = function(status, headers, body)
  statuses[status] = (statuses[status] or 0) + 1
end

done = function(summary, latency, requests)
  local errors = summary.errors.status + summary.errors.connect + summary.errors.read
    + summary.errors.write + summary.errors.timeout
  io.write(string.format(
    'RESULT {"requests": %d, "seconds": %.3f, "p50_ms": %.2f, "p95_ms": %.2f, "p99_ms": %.2f, "max_ms": %.2f, "errors": %d}\n',
    summary.requests, summary.duration / 1e6, latency:percentile(50) / 1000,
    latency:percentile(95) / 1000, latency:percentile(99) / 1000, latency.max / 1000, errors))
end
