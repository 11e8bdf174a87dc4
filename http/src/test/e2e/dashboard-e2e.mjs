// CI check: the live dashboard in Debian's headless Chromium, driven by playwright-core, against a running server.
// Generates load through the MCP debug form, opens the page (the token as an HTTP Basic password, as a person's
// browser would send it), waits until the throughput chart moves, compares the figures shown with /health and
// /dashboard/data (the WAL card's forced checkpoints among them), fails on any JavaScript error, and saves a laptop
// and a phone screenshot.
//
//   node dashboard-e2e.mjs http://127.0.0.1:3000/ OUT_DIR USER_DATA_DIR     (LITEPOOL_HTTP_TOKEN: the bearer token)
import { chromium } from "playwright-core";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

const base = new URL(process.argv[2] ?? "http://127.0.0.1:3000/");
const outDir = process.argv[3] ?? ".";
const userDataDir = process.argv[4] ?? mkdtempSync(join(tmpdir(), "litepool-chromium-"));
const token = process.env.LITEPOOL_HTTP_TOKEN;
const auth = token ? { Authorization: `Bearer ${token}` } : {};

const LOAD_SECONDS = 20;
const CONCURRENCY = 12;
const AGENTS = 3;
/** run-dashboard-e2e.sh starts the server with --wal-size-limit-bytes 1048576, so the load forces checkpoints. */
const WAL_LIMIT_BYTES = 1 << 20;

function check(condition, message) {
    if (!condition) {
        throw new Error(message);
    }
}

function log(message) {
    console.log(`dashboard-e2e: ${message}`);
}

async function getJson(path) {
    const r = await fetch(new URL(path, base), { headers: auth });
    check(r.status === 200 || (path === "/health" && r.status === 503), `GET ${path}: HTTP ${r.status}`);
    return r.json();
}

async function tool(method, params) {
    const r = await fetch(new URL("/mcp", base), {
        method: "POST",
        headers: { ...auth, "Content-Type": "application/json" },
        body: JSON.stringify({ method, params }),
    });
    const body = await r.json();
    check(r.status === 200, `${method}: HTTP ${r.status} ${JSON.stringify(body)}`);
    return body;
}

/** Polls `probe` until it returns a truthy value, or fails after `seconds` with `what`. */
async function waitFor(what, seconds, probe) {
    const deadline = Date.now() + seconds * 1000;
    let last;
    while (Date.now() < deadline) {
        last = await probe();
        if (last) {
            return last;
        }
        await new Promise((resolve) => setTimeout(resolve, 250));
    }
    throw new Error(`timed out after ${seconds} s waiting for ${what}`);
}

/** Swarm work: memory stores and reads from CONCURRENCY loops for LOAD_SECONDS, a few tasks. */
async function generateLoad(agentIds) {
    const done = { stores: 0, retrieves: 0, tasks: 0, keys: new Set() };
    const until = Date.now() + LOAD_SECONDS * 1000;
    async function worker(n) {
        let i = 0;
        while (Date.now() < until) {
            const agentId = agentIds[(n + i) % agentIds.length];
            const key = `k${n}-${i % 25}`;
            await tool("memory_store", { agentId, key, value: { n, i, note: "dashboard e2e" } });
            done.stores++;
            done.keys.add(`${agentId}/${key}`);
            const got = await tool("memory_retrieve", { agentId, key });
            check(got.found === true, `memory_retrieve did not find ${key}`);
            done.retrieves++;
            if (i % 40 === 0) {
                await tool("task_orchestrate", { task: `e2e task ${n}-${i}`, swarmId: "e2e", maxAgents: 1 });
                done.tasks++;
            }
            i++;
        }
    }
    await Promise.all(Array.from({ length: CONCURRENCY }, (_, n) => worker(n)));
    return done;
}

async function main() {
    log(`server ${base.href}, screenshots to ${outDir}`);
    await tool("swarm_init", { topology: "mesh", maxAgents: 10, swarmId: "e2e", name: "dashboard e2e" });
    const agentIds = [];
    for (let i = 0; i < AGENTS; i++) {
        agentIds.push((await tool("agent_spawn", { type: "coder", name: `coder-${i}`, swarmId: "e2e" })).id);
    }

    const context = await chromium.launchPersistentContext(userDataDir, {
        executablePath: "/usr/bin/chromium",
        headless: true,
        args: ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
            "--disable-component-update", "--disable-sync"],
        viewport: { width: 1440, height: 900 },
        httpCredentials: token ? { username: "operator", password: token } : undefined,
    });
    const problems = [];
    try {
        const page = context.pages()[0] ?? await context.newPage();
        page.on("pageerror", (e) => problems.push(`page error: ${e.stack ?? e}`));
        // The first request for the page is answered 401 with a Basic challenge, as in any browser, and Chromium
        // may log that as a console error. One such line is expected; any other console error is a problem.
        let challenges = 0;
        page.on("console", (m) => {
            if (m.type() === "error" && token && challenges === 0 && /status of 401/.test(m.text())) {
                challenges++;
            } else if (m.type() === "error") {
                problems.push(`console error: ${m.text()}`);
            }
        });
        page.on("requestfailed", (r) => problems.push(`request failed: ${r.url()} ${r.failure()?.errorText}`));
        page.on("request", (r) => {
            if (new URL(r.url()).origin !== base.origin) {
                problems.push(`request to another origin: ${r.url()}`);
            }
        });

        const response = await page.goto(base.href, { waitUntil: "domcontentloaded" });
        check(response.status() === 200, `GET / in the browser: HTTP ${response.status()}`);
        await page.waitForFunction(() => document.getElementById("status").dataset.value !== "", null,
            { timeout: 15_000 });
        log("page loaded and showing a status");

        const load = generateLoad(agentIds);
        // The charts move: the throughput chart gets samples with a non-zero rate, and its read line changes.
        await page.waitForFunction(() => {
            const c = document.getElementById("chart-throughput");
            return Number(c.dataset.samples) >= 5 && Number(c.dataset.max) > 0;
        }, null, { timeout: 30_000 });
        const readLine = () => page.locator('#chart-throughput path[data-key="reads"]').getAttribute("d");
        const before = await readLine();
        await page.waitForTimeout(2_500);
        const after = await readLine();
        check(before !== after, "the throughput chart did not change in 2.5 s under load");
        const latencyPoints = await page.locator('#chart-latency path[data-key="writeP99"]').getAttribute("d");
        check((latencyPoints.match(/L/g) ?? []).length >= 3, `the latency chart has no line: ${latencyPoints}`);
        log(`charts moving (${await page.locator("#chart-throughput").getAttribute("data-samples")} samples)`);

        const done = await load;
        log(`load finished: ${done.stores} memory_store, ${done.retrieves} memory_retrieve, ${done.tasks} tasks`);

        // With the load over, writes stop; the page must then show exactly what the server reports.
        const data = await getJson("/dashboard/data");
        const health = await getJson("/health");
        const metrics = data.pool_metrics;
        // memory_store checks the swarm's capacity and stores in one store transaction, so it counts there
        check(metrics.total_writes + metrics.total_transactions >= done.stores,
            `server pool_metrics total_writes ${metrics.total_writes} + total_transactions `
            + `${metrics.total_transactions} < ${done.stores} stores`);
        const figure = (id) => page.locator(`#${id}`).getAttribute("data-value").then(Number);
        await waitFor("the page to show the server's write total", 10,
            async () => (await figure("total-writes")) === metrics.total_writes);
        // The Totals card lists every counter the server names in `totals`, each in #total-<key>, labelled.
        check(data.totals.includes("total_writes") && data.totals.includes("errors"),
            `totals does not name the counters: ${data.totals}`);
        for (const key of data.totals) {
            const id = "total-" + key.replace(/^total_/, "").replaceAll("_", "-");
            check(await page.locator(`#${id}`).count() === 1, `the Totals card has no #${id} for ${key}`);
            check(Number.isInteger(await figure(id)), `#${id} shows no whole number for ${key}`);
        }
        check(await page.locator("#totals dt").count() === data.totals.length,
            `the Totals card lists ${await page.locator("#totals dt").count()} figures, not ${data.totals.length}`);
        const shownReads = await figure("total-reads");
        const laterReads = (await getJson("/dashboard/data")).pool_metrics.total_reads;
        check(shownReads >= done.retrieves && shownReads <= laterReads,
            `reads shown ${shownReads} not within [${done.retrieves}, ${laterReads}]`);
        check((await page.locator("#status").getAttribute("data-value")) === health.status,
            `status shown differs from /health's ${health.status}`);
        check(health.status === "healthy", `the server is ${health.status}: ${health.problems}`);
        check((await page.locator("#conn-readers").getAttribute("data-size")) === String(data.pool.max_readers),
            "readers shown differ from max_readers");
        check(Number(await page.locator("#conn-workers").getAttribute("data-size")) === data.pool.max_workers,
            "workers shown differ from max_workers");
        check(Number(await figure("conn-total")) === health.pool_status.total_connections,
            "open connections shown differ from /health");
        check(await figure("swarm-swarms") === 1, "swarms shown is not 1");
        check(await figure("swarm-agents") === AGENTS, `agents shown is not ${AGENTS}`);
        check(await figure("swarm-memory") === done.keys.size, `memory entries shown is not ${done.keys.size}`);
        await waitFor("the page to show the task count", 5,
            async () => (await figure("swarm-tasks")) === data.swarm.tasks.total && data.swarm.tasks.total === done.tasks);
        check(await figure("commits") > 0 && await figure("writes-per-commit") >= 1, "no group commits shown");
        check(await figure("read-batches") > 0, "no read batches shown");
        // The Commits card: the busiest tables come from the commit feed; memory_store wrote agent_memory.
        check(await page.locator('#busiest-tables li[data-table="agent_memory"]').count() === 1,
            `agent_memory is not among the busiest tables: ${await page.locator("#busiest-tables").textContent()}`);
        check(Number(await page.locator('#busiest-tables li[data-table="agent_memory"]').getAttribute("data-commits"))
            >= 1, "agent_memory shows no commits");
        // The WAL card: its size and limit in bytes, and the checkpoints the 1 MiB limit forced under the load.
        check(await page.locator("#card-wal").isVisible(), "the WAL card is not shown");
        check(Number.isFinite(await figure("wal-size")), "the WAL size shown is not a number");
        check(await figure("wal-limit") === metrics.wal.limit_bytes
            && metrics.wal.limit_bytes === WAL_LIMIT_BYTES,
            `the WAL limit shown is not the server's ${metrics.wal.limit_bytes} (serve --wal-size-limit-bytes)`);
        const walData = await waitFor("the page to show the server's forced checkpoints", 10, async () => {
            const w = (await getJson("/dashboard/data")).pool_metrics.wal;
            return (await figure("wal-checkpoints")) === w.checkpoints ? w : null;
        });
        check(walData.checkpoints > 0, `no forced checkpoint under the load: ${JSON.stringify(walData)}`);
        check(await figure("wal-blocked") === walData.blocked, "blocked checkpoints shown differ from the server's");
        check(await page.locator("#wal-size").textContent() !== "–", "the WAL size is not filled in");
        const walLine = await page.locator('#chart-wal path[data-key="walMiB"]').getAttribute("d");
        check((walLine.match(/L/g) ?? []).length >= 3, `the WAL chart has no line: ${walLine}`);
        log(`WAL card: ${await page.locator("#wal-size").textContent()} of `
            + `${await page.locator("#wal-limit").textContent()}, ${walData.checkpoints} forced checkpoints`);
        check(await page.locator('#events li[data-type="READY"]').count() === 1, "the READY event is not listed");
        await waitFor("a backup to be shown", 15,
            async () => (await page.locator("#last-backup").getAttribute("data-value")) !== "");
        check(await page.locator('#events li[data-type="BACKUP_DONE"]').count() >= 1, "no BACKUP_DONE event listed");
        log("figures match /health and /dashboard/data");

        await page.screenshot({ path: join(outDir, "dashboard-e2e.png"), fullPage: true });
        await page.setViewportSize({ width: 390, height: 844 });
        await page.waitForTimeout(1_500);
        const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
        check(overflow <= 0, `the phone layout is ${overflow} px wider than the screen`);
        await page.screenshot({ path: join(outDir, "dashboard-e2e-phone.png"), fullPage: true });
        log(`screenshots: ${join(outDir, "dashboard-e2e.png")}, ${join(outDir, "dashboard-e2e-phone.png")}`);

        check(await page.locator("#js-errors").isHidden(), "the page shows a JavaScript error banner: "
            + await page.locator("#js-errors").textContent());
        check(await page.locator("#fetch-error").isHidden(), "the page shows a fetch error banner");
    } finally {
        await context.close();
    }
    check(problems.length === 0, `the browser reported problems:\n  ${problems.join("\n  ")}`);
}

main().then(() => log("passed"), (e) => {
    console.error(`dashboard-e2e: FAILED: ${e.stack ?? e}`);
    process.exit(1);
});
