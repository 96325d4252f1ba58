-- wrk script for the reviewer's queue (GET). It adds no per-request Lua work (no request or
-- response hook), so wrk spends as little of the shared CPUs as it can; `done` prints one
-- machine-readable line that bench/load.sh reads. Non-2xx/3xx answers are wrk's
-- summary.errors.status.
local threads = {}

function setup(thread)
   table.insert(threads, thread)
end

function done(summary, latency, requests)
   local e = summary.errors
   io.write(string.format(
      "LOAD requests=%d duration_us=%d ok=%d non2xx=%d p50_us=%d p90_us=%d p99_us=%d max_us=%d mean_us=%.0f connect_errors=%d read_errors=%d write_errors=%d timeouts=%d\n",
      summary.requests, summary.duration, summary.requests - e.status, e.status,
      latency:percentile(50), latency:percentile(90), latency:percentile(99), latency.max,
      latency.mean, e.connect, e.read, e.write, e.timeout))
end
