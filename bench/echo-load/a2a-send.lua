-- wrk script: A2A 0.3 JSON-RPC `message/send` to an echo agent, one unique messageId per request.
--
--   wrk -t2 -c16 -d30s --latency -s a2a-send.lua http://127.0.0.1:8080/api/a2a -- [check_every] [a2a_version]
--
-- The JSON-RPC path is the URL's path (Purser: /api/a2a; the SDK reference server: /).
-- check_every (default 1): inspect the body of every Nth response only. Any Lua response()
--   callback makes wrk hand each body to Lua, which costs wrk CPU that the server (same 2 cores)
--   then lacks; the body check is a plain string.find, and N > 1 makes it cheaper still.
--   The HTTP status is checked on every response (an integer compare).
-- a2a_version (default none): sent as the A2A-Version header; none = the 0.3 default of both servers.
--
-- Errors reported by done(), one "A2A_<NAME> <n>" line each, parsed by run.sh:
--   STATUS_ERRORS  responses whose HTTP status is not 200
--   RPC_ERRORS     checked 200 bodies holding a JSON-RPC "error" member
--   NOT_COMPLETED  checked 200 bodies with no error but no "completed" state either
--   CHECKED        bodies inspected, RESPONSES  responses seen

local threads = {}
local next_tid = 0
local run_id = tostring(os.time())

function setup(thread)
   next_tid = next_tid + 1
   thread:set("tid", next_tid)
   table.insert(threads, thread)
end

function init(args)
   check_every = tonumber(args[1]) or 1
   if check_every < 1 then check_every = 1 end
   n = 0
   responses, checked, status_errors, rpc_errors, not_completed = 0, 0, 0, 0, 0
   local headers = { ["Content-Type"] = "application/json", ["Accept"] = "application/json" }
   if args[2] and args[2] ~= "" and args[2] ~= "none" then headers["A2A-Version"] = args[2] end
   req_headers = headers
   prefix = "bench-" .. run_id .. "-" .. tostring(tid) .. "-"
end

function request()
   n = n + 1
   local id = prefix .. n
   -- The counter is in the text too, so no server can answer from a cache or see identical requests.
   local body = '{"jsonrpc":"2.0","id":' .. n .. ',"method":"message/send","params":{"message":'
      .. '{"kind":"message","role":"user","messageId":"' .. id .. '",'
      .. '"parts":[{"kind":"text","text":"load ' .. id .. '"}]}}}'
   return wrk.format("POST", nil, req_headers, body)
end

function response(status, headers, body)
   responses = responses + 1
   if status ~= 200 then
      status_errors = status_errors + 1
      return
   end
   if responses % check_every ~= 0 then return end
   checked = checked + 1
   if string.find(body, '"error"', 1, true) then
      rpc_errors = rpc_errors + 1
   elseif not string.find(body, 'completed', 1, true) then
      not_completed = not_completed + 1
   end
end

function done(summary, latency, requests)
   local t = { RESPONSES = 0, CHECKED = 0, STATUS_ERRORS = 0, RPC_ERRORS = 0, NOT_COMPLETED = 0 }
   for _, thread in ipairs(threads) do
      t.RESPONSES = t.RESPONSES + thread:get("responses")
      t.CHECKED = t.CHECKED + thread:get("checked")
      t.STATUS_ERRORS = t.STATUS_ERRORS + thread:get("status_errors")
      t.RPC_ERRORS = t.RPC_ERRORS + thread:get("rpc_errors")
      t.NOT_COMPLETED = t.NOT_COMPLETED + thread:get("not_completed")
   end
   for _, k in ipairs({ "RESPONSES", "CHECKED", "STATUS_ERRORS", "RPC_ERRORS", "NOT_COMPLETED" }) do
      io.write(string.format("A2A_%s %d\n", k, t[k]))
   end
   local e = summary.errors
   io.write(string.format("A2A_SOCKET_ERRORS %d\n", e.connect + e.read + e.write + e.timeout))
end
