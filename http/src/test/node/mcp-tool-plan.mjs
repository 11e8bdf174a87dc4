// The calls both CI clients make (mcp-sdk-client.mjs over Streamable HTTP, mcp-sdk-stdio-client.mjs over stdio):
// ping, tools/list (every listed tool must be in the plan and the other way round), every tool with good arguments
// (the SDK validates structuredContent against each outputSchema) and with bad ones (each must be an isError result
// naming the argument), and an unknown tool (must be a JSON-RPC error). Along the way one task is walked from
// task_orchestrate to task_complete (task_results shows its result; its agent is busy, then idle), one is failed and
// one cancelled. Throws on the first failure.

export function check(condition, message) {
    if (!condition) {
        throw new Error(message);
    }
}

export function payload(result) {
    if (result.structuredContent) {
        return result.structuredContent;
    }
    return JSON.parse(result.content[0].text);
}

// What each tool is called with, in order. `good` builds arguments from what earlier calls returned (`state`);
// `expect` checks the result; `bad` arguments must give an isError result naming `badArgument`.
export const plan = [
    {
        tool: "pool_health",
        good: () => ({}),
        expect: (r) => check(r.healthy === true && r.pool_status.total_connections > 0, "pool not healthy"),
        bad: { verbose: true }, badArgument: "verbose",
    },
    {
        tool: "swarm_init",
        good: () => ({ topology: "mesh", maxAgents: 3, strategy: "balanced", name: "ci" }),
        expect: (r) => check(r.topology === "mesh" && r.maxAgents === 3, `unexpected swarm ${JSON.stringify(r)}`),
        keep: (r, state) => { state.swarmId = r.id; },
        bad: { topology: "cube" }, badArgument: "topology",
    },
    {
        tool: "agent_spawn",
        good: (state) => ({ type: "coder", name: "ci-coder", capabilities: ["java"], swarmId: state.swarmId }),
        expect: (r, state) => check(r.swarmId === state.swarmId && r.status === "idle", "agent not idle in swarm"),
        keep: (r, state) => { state.agentId = r.id; },
        bad: { type: "chef" }, badArgument: "type",
    },
    {
        tool: "agent_list",
        good: (state) => ({ swarmId: state.swarmId, filter: "idle" }),
        expect: (r) => check(r.count === 1 && r.nextCursor === null, `expected 1 idle agent, got ${JSON.stringify(r)}`),
        bad: { filter: "sleepy" }, badArgument: "filter",
    },
    {
        tool: "swarm_status",
        good: (state) => ({ swarmId: state.swarmId }),
        expect: (r) => check(r.swarms[0].agents.total === 1, "swarm_status does not count the agent"),
        bad: { swarmId: 42 }, badArgument: "swarmId",
    },
    // one task walked from orchestrate to completed: its agent goes busy, then idle again
    {
        tool: "task_orchestrate",
        good: (state) => ({ task: "index the orders table", priority: "high", strategy: "parallel",
            swarmId: state.swarmId }),
        expect: (r, state) => check(r.assignedAgents.includes(state.agentId) && r.status === "in_progress"
            && r.strategy === "parallel", `the agent was not assigned: ${JSON.stringify(r)}`),
        keep: (r, state) => { state.taskId = r.id; },
        bad: { task: "" }, badArgument: "task",
    },
    {
        tool: "agent_list",
        good: (state) => ({ swarmId: state.swarmId, filter: "busy", limit: 10 }),
        expect: (r, state) => check(r.count === 1 && r.agents[0].currentTaskId === state.taskId,
            `the assigned agent is not busy with the task: ${JSON.stringify(r)}`),
        bad: { limit: 0 }, badArgument: "limit",
    },
    {
        tool: "task_status",
        good: (state) => ({ taskId: state.taskId }),
        expect: (r) => check(r.task.status === "in_progress" && r.task.strategy === "parallel",
            `task status ${JSON.stringify(r.task)}`),
        bad: { status: "done" }, badArgument: "status",
    },
    {
        tool: "task_progress",
        good: (state) => ({ taskId: state.taskId, agentId: state.agentId, progress: { done: 0.5 } }),
        expect: (r) => check(r.status === "running", `task not running after progress: ${r.status}`),
        bad: { taskId: "t", agentId: "" }, badArgument: "agentId",
    },
    {
        tool: "task_complete",
        good: (state) => ({ taskId: state.taskId, agentId: state.agentId, output: { indexed: 3 },
            metrics: { rows: 3 } }),
        expect: (r) => check(r.status === "completed" && r.result.output.indexed === 3,
            `task not completed: ${JSON.stringify(r)}`),
        bad: { taskId: "t" }, badArgument: "agentId",
    },
    {
        tool: "task_results",
        good: (state) => ({ taskId: state.taskId }),
        expect: (r, state) => check(r.status === "completed" && r.count === 1 && r.results[0].agentId === state.agentId
            && r.results[0].metrics.rows === 3 && Number.isInteger(r.results[0].executionTimeMs)
            && r.nextCursor === null, `unexpected task results ${JSON.stringify(r)}`),
        bad: {}, badArgument: "taskId",
    },
    {
        tool: "agent_list",
        good: (state) => ({ swarmId: state.swarmId, filter: "idle" }),
        expect: (r, state) => check(r.count === 1 && r.agents[0].id === state.agentId
            && r.agents[0].currentTaskId === null, `completing did not free the agent: ${JSON.stringify(r)}`),
        bad: { cursor: "" }, badArgument: "cursor",
    },
    // a task that fails, and one that is cancelled
    {
        tool: "task_orchestrate",
        good: (state) => ({ task: "vacuum", swarmId: state.swarmId }),
        expect: (r, state) => check(r.assignedAgents.includes(state.agentId), "the freed agent was not reassigned"),
        keep: (r, state) => { state.failingTaskId = r.id; },
        bad: { task: "x", maxAgents: 0 }, badArgument: "maxAgents",
    },
    {
        tool: "task_fail",
        good: (state) => ({ taskId: state.failingTaskId, agentId: state.agentId, error: "disk full" }),
        expect: (r) => check(r.status === "failed" && r.error === "disk full", `task not failed: ${JSON.stringify(r)}`),
        bad: { taskId: "t", agentId: "a", error: "" }, badArgument: "error",
    },
    {
        tool: "task_orchestrate",
        good: (state) => ({ task: "reindex", swarmId: state.swarmId }),
        expect: (r) => check(r.status === "in_progress", `task not assigned: ${r.status}`),
        keep: (r, state) => { state.cancelledTaskId = r.id; },
        bad: { task: "x", strategy: "random" }, badArgument: "strategy",
    },
    {
        tool: "task_orchestrate",
        good: (state) => ({ task: "compact", swarmId: state.swarmId }),
        expect: (r) => check(r.status === "pending" && r.assignedAgents.length === 0,
            `the swarm's one agent is busy, yet: ${JSON.stringify(r)}`),
        keep: (r, state) => { state.pendingTaskId = r.id; },
        bad: { task: "" }, badArgument: "task",
    },
    {
        tool: "task_cancel",
        good: (state) => ({ taskId: state.cancelledTaskId, reason: "superseded" }),
        expect: (r) => check(r.status === "cancelled", `task not cancelled: ${r.status}`),
        bad: { taskId: 5 }, badArgument: "taskId",
    },
    {
        tool: "task_assign",
        good: (state) => ({ taskId: state.pendingTaskId }),
        expect: (r, state) => check(r.status === "in_progress" && r.assignedAgents.includes(state.agentId),
            `the pending task did not get the freed agent: ${JSON.stringify(r)}`),
        bad: { taskId: "t", maxAgents: 0 }, badArgument: "maxAgents",
    },
    {
        tool: "swarm_status",
        good: (state) => ({ swarmId: state.swarmId }),
        expect: (r) => {
            const s = r.swarms[0];
            check(s.agents.byStatus.busy === 1 && s.tasks.byStatus.completed === 1 && s.tasks.byStatus.failed === 1
                && s.tasks.byStatus.cancelled === 1 && s.tasks.byStatus.in_progress === 1,
                `swarm_status counts ${JSON.stringify(s)}`);
        },
        bad: { swarmId: "" }, badArgument: "swarmId",
    },
    {
        tool: "memory_store",
        good: (state) => ({ agentId: state.agentId, key: "plan", value: { step: 1, notes: ["ci"] }, ttlSecs: 600 }),
        expect: (r) => check(r.stored === true && r.expiresAt, "memory not stored with an expiry"),
        bad: { agentId: "a", key: "k", value: 1, ttlSecs: -5 }, badArgument: "ttlSecs",
    },
    {
        tool: "memory_retrieve",
        good: (state) => ({ agentId: state.agentId, key: "plan" }),
        expect: (r) => check(r.found === true && r.value.step === 1, "memory not found"),
        bad: { agentId: "a" }, badArgument: "key",
    },
    {
        tool: "memory_list",
        good: (state) => ({ agentId: state.agentId, limit: 1 }),
        expect: (r) => check(r.count === 1 && r.entries[0].key === "plan" && r.nextCursor === null,
            "memory_list misses the entry"),
        bad: { agentId: "" }, badArgument: "agentId",
    },
    {
        tool: "memory_delete",
        good: (state) => ({ agentId: state.agentId, key: "plan" }),
        expect: (r) => check(r.deleted === true, "memory not deleted"),
        bad: { agentId: "a", key: "k", force: true }, badArgument: "force",
    },
    {
        tool: "events_recent",
        good: (state) => ({ swarmId: state.swarmId, limit: 10 }),
        expect: (r) => check(r.events.some((e) => e.type === "agent_spawned"), "no agent_spawned event"),
        bad: { limit: 100000 }, badArgument: "limit",
    },
    {
        tool: "metrics_record",
        good: (state) => ({ entityType: "agent", entityId: state.agentId, name: "latency_ms", value: 12.5 }),
        expect: (r) => check(r.value === 12.5, "metric value not echoed"),
        bad: { entityType: "agent", entityId: "a", name: "n", value: "fast" }, badArgument: "value",
    },
    {
        tool: "metrics_query",
        good: (state) => ({ entityType: "agent", entityId: state.agentId }),
        expect: (r) => check(r.count === 1 && r.metrics[0].name === "latency_ms", "metric not found"),
        bad: { entityType: "agent" }, badArgument: "entityId",
    },
    {
        tool: "persistence_stats",
        good: () => ({}),
        expect: (r) => check(r.statistics.total_operations > 0 && r.connection_pool === "enabled",
            "persistence_stats counted nothing"),
        bad: { detail: "all" }, badArgument: "detail",
    },
    {
        tool: "pool_stats",
        good: () => ({}),
        expect: (r) => check(r.pool_metrics.total_writes > 0 && r.persistence_metrics.total_operations > 0,
            "pool_stats counted nothing"),
        bad: { reset: 1 }, badArgument: "reset",
    },
];

/** Runs the plan over a connected SDK client; returns how many tools passed (some are called more than once). */
export async function exerciseEveryTool(client) {
    await client.ping();

    const { tools } = await client.listTools();
    const listed = tools.map((t) => t.name);
    const planned = plan.map((p) => p.tool);
    const untested = listed.filter((n) => !planned.includes(n));
    const missing = planned.filter((n) => !listed.includes(n));
    check(untested.length === 0, `tools without a CI call: ${untested.join(", ")}`);
    check(missing.length === 0, `tools the server does not list: ${missing.join(", ")}`);
    for (const t of tools) {
        check(t.inputSchema && t.inputSchema.type === "object", `${t.name}: inputSchema is not an object schema`);
    }
    console.log(`tools/list: ${listed.length} tools`);

    const state = {};
    for (const step of plan) {
        const args = step.good(state);
        const result = await client.callTool({ name: step.tool, arguments: args });
        check(!result.isError, `${step.tool} failed: ${JSON.stringify(result.content)}`);
        const value = payload(result);
        step.expect(value, state);
        if (step.keep) {
            step.keep(value, state);
        }
        const refused = await client.callTool({ name: step.tool, arguments: step.bad });
        check(refused.isError === true, `${step.tool} accepted bad arguments ${JSON.stringify(step.bad)}`);
        check(refused.content[0].text.includes(`'${step.badArgument}'`),
            `${step.tool}: the refusal does not name '${step.badArgument}': ${refused.content[0].text}`);
        console.log(`ok ${step.tool}`);
    }

    let unknownRefused = false;
    try {
        await client.callTool({ name: "no_such_tool", arguments: {} });
    } catch (e) {
        unknownRefused = String(e.message).includes("no_such_tool");
    }
    check(unknownRefused, "an unknown tool was not refused with a JSON-RPC error");
    return new Set(plan.map((p) => p.tool)).size;
}
