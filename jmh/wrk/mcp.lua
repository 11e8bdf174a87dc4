-- wrk script: MCP tools/call over POST /mcp, memory_retrieve and memory_store on one agent's keys.
-- Needs an initialized session and an existing agent (see docs/benchmarks.md, "HTTP end to end"):
--   SESSION=<Mcp-Session-Id> AGENT=<agent id> STORE_PERCENT=20 wrk -t2 -c1000 -d10s --latency \
--       -s jmh/wrk/mcp.lua http://127.0.0.1:3917/mcp
local session = os.getenv("SESSION")
local agent = os.getenv("AGENT")
local store_percent = tonumber(os.getenv("STORE_PERCENT") or "20")
local keys = 1000
local counter = 0

wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.headers["Accept"] = "application/json, text/event-stream"
wrk.headers["Mcp-Session-Id"] = session

request = function()
    counter = counter + 1
    local key = "k" .. math.random(keys)
    local body
    if math.random(100) <= store_percent then
        body = string.format('{"jsonrpc":"2.0","id":%d,"method":"tools/call","params":{"name":"memory_store",'
            .. '"arguments":{"agentId":"%s","key":"%s","value":{"step":%d,"note":"benchmark payload"}}}}',
            counter, agent, key, counter)
    else
        body = string.format('{"jsonrpc":"2.0","id":%d,"method":"tools/call","params":{"name":"memory_retrieve",'
            .. '"arguments":{"agentId":"%s","key":"%s"}}}', counter, agent, key)
    end
    return wrk.format(nil, nil, nil, body)
end

-- each wrk thread has a Lua state of its own: setup() keeps them, so that done() can add up their counts
local threads = {}
function setup(thread)
    table.insert(threads, thread)
end

errors = 0 -- a global of the thread's state, read by done() through thread:get
response = function(status, headers, body)
    if status ~= 200 or string.find(body, '"error"', 1, true) or string.find(body, '"isError":true', 1, true) then
        errors = errors + 1
    end
end

done = function(summary, latency, requests)
    local total = 0
    for _, thread in ipairs(threads) do
        total = total + thread:get("errors")
    end
    io.write(string.format("MCP errors (not 200, a JSON-RPC error or a tool error): %d\n", total))
end
