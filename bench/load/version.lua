-- wrk script for saving versions: POST /api/v1/assets/{id}/versions with a JSON body, spread
-- round-robin over several assets (each wrk thread starts at a different one), a different
-- text each time. Counts the 201 answers per thread; `done` prints one machine-readable line
-- (`created=` is what the durability check compares with the database).
--
-- wrk -s bench/load/version.lua URL -- TOKEN ID[,ID...]
local threads = {}
local counter = 0

function setup(thread)
   thread:set("tid", counter)
   counter = counter + 1
   table.insert(threads, thread)
end

-- created and other are globals: done() reads them from each thread with thread:get
local token, ids, headers, n

-- A blog draft of about 1.9 KB: a headline, five paragraphs, a sourced claim and a call to
-- action, so the guardrails do the work they do on a real save.
local paragraphs = {
   "# Close payroll in a day, not three",
   "Ana runs payroll for a 600-person retailer in Lyon. Month-end used to take her team three days of exports, spreadsheet matching and chasing HR for late changes. Now she starts the close on the first morning and is done by lunch.",
   "Across 212 customers, the median monthly close fell from three days to one between January and September 2026 (2026 customer usage report, product analytics).",
   "The difference is not a new dashboard. Hours, absences and contract changes arrive from the HR system as they happen, so the reconciliation that used to fill the last week of the month is already done when the month ends. What is left is a review of the exceptions the system could not match on its own.",
   "Setting up took Ana's team four days, without a consultant. They connected the HR export, mapped their twelve pay elements and ran one month in parallel with the old process before switching.",
   "If your finance team still spends the first days of every month reconciling payroll by hand, we would like to show you how the close works on your own data.",
   "Book a 20-minute payroll demo.",
}
local base = table.concat(paragraphs, "\\n\\n")

function init(args)
   token = args[1]
   ids = {}
   for id in string.gmatch(args[2] or "", "[^,]+") do
      table.insert(ids, id)
   end
   if token == nil or #ids == 0 then
      error("usage: wrk -s version.lua URL -- TOKEN ID[,ID...]")
   end
   headers = {
      ["Authorization"] = "Bearer " .. token,
      ["Content-Type"] = "application/json",
   }
   n = tid or 0
   created = 0
   other = 0
end

function request()
   n = n + 1
   local id = ids[(n % #ids) + 1]
   local body = string.format(
      '{"text":"%s\\n\\nRevision %d-%d.","note":"load test edit %d"}', base, tid or 0, n, n)
   return wrk.format("POST", "/api/v1/assets/" .. id .. "/versions", headers, body)
end

function response(status, hdrs, body)
   if status == 201 then
      created = created + 1
   else
      other = other + 1
      if other <= 3 then
         io.stderr:write("version save answered " .. status .. ": " .. (body or "") .. "\n")
      end
   end
end

function done(summary, latency, requests)
   local c, o = 0, 0
   for _, t in ipairs(threads) do
      c = c + (t:get("created") or 0)
      o = o + (t:get("other") or 0)
   end
   local e = summary.errors
   io.write(string.format(
      "LOAD requests=%d duration_us=%d ok=%d non2xx=%d created=%d not_created=%d p50_us=%d p90_us=%d p99_us=%d max_us=%d mean_us=%.0f connect_errors=%d read_errors=%d write_errors=%d timeouts=%d\n",
      summary.requests, summary.duration, summary.requests - e.status, e.status, c, o,
      latency:percentile(50), latency:percentile(90), latency:percentile(99), latency.max,
      latency.mean, e.connect, e.read, e.write, e.timeout))
end
