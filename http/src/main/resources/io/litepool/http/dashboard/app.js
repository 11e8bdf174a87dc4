// LitePool dashboard. Polls /dashboard/data once a second and draws it; no libraries, nothing from the network
// but this server. Rates and time series are computed here from successive cumulative snapshots (the server keeps
// no history), over the last WINDOW_SECONDS. Errors are shown on the page, never swallowed: a JavaScript error or
// a rejected promise opens the red banner; a failed poll opens the orange one and polling goes on.
'use strict';

const POLL_MILLIS = 1000;
const WINDOW_SECONDS = 300;

const samples = []; // {t, ...figures}, oldest first, at most WINDOW_SECONDS old
let previous = null; // the last snapshot, for differences
let lastArrival = 0;
let charts = null;

// ------------------------------------------------------------------------------------------------ errors

const jsErrors = [];

function showJsError(message) {
  jsErrors.push(String(message));
  const list = document.getElementById('js-error-list');
  const banner = document.getElementById('js-errors');
  if (!list || !banner) {
    return; // the page has not loaded yet; the console has it
  }
  list.replaceChildren(...jsErrors.slice(-5).map(m => el('li', null, m)));
  banner.hidden = false;
  document.body.dataset.jsErrors = String(jsErrors.length);
}

window.addEventListener('error', e => {
  showJsError(`${e.message} (${e.filename || 'inline'}:${e.lineno || 0})`);
});
window.addEventListener('unhandledrejection', e => {
  const r = e.reason;
  showJsError('unhandled promise rejection: ' + (r && r.stack ? r.stack : r));
});

// ------------------------------------------------------------------------------------------------ helpers

function el(tag, cls, text) {
  const e = document.createElement(tag);
  if (cls) {
    e.className = cls;
  }
  if (text !== undefined && text !== null) {
    e.textContent = String(text);
  }
  return e;
}

function svg(tag, attrs) {
  const e = document.createElementNS('http://www.w3.org/2000/svg', tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    e.setAttribute(k, String(v));
  }
  return e;
}

const integer = new Intl.NumberFormat('en-US', {maximumFractionDigits: 0});
const axisNumber = new Intl.NumberFormat('en-US', {maximumFractionDigits: 2});

function fmt(n, digits) {
  if (n === null || n === undefined || Number.isNaN(n)) {
    return '–';
  }
  if (digits === undefined) {
    return integer.format(n);
  }
  return n.toLocaleString('en-US', {minimumFractionDigits: digits, maximumFractionDigits: digits});
}

/** Sets a figure: the text shown and, for tests and scripts, the raw value in data-value. */
function setFigure(id, value, digits) {
  const e = document.getElementById(id);
  e.textContent = fmt(value, digits);
  e.dataset.value = value === null || value === undefined ? '' : String(value);
}

/** Sets a size in bytes: shown in KiB, MiB, ...; the raw number of bytes in data-value. */
function setBytes(id, n) {
  const e = document.getElementById(id);
  e.textContent = bytes(n);
  e.dataset.value = String(n);
}

function timeOf(iso) {
  return iso ? new Date(iso).toLocaleTimeString('en-GB', {hour12: false}) : 'never';
}

function bytes(n) {
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
  let i = 0;
  while (n >= 1024 && i < units.length - 1) {
    n /= 1024;
    i++;
  }
  return (i === 0 ? n : n.toFixed(1)) + ' ' + units[i];
}

// ------------------------------------------------------------------------------------------------ charts

/** A small SVG line chart over the sample window. Values may be null (a gap). */
class LineChart {
  constructor(container, series, format, log) {
    this.container = container;
    this.log = Boolean(log); // a logarithmic y axis: latencies span microseconds to seconds
    this.series = series; // [{key, label, color, dashed}]
    this.format = format;
    this.plot = svg('svg', {role: 'img', 'aria-label': container.id});
    this.legend = el('div', 'legend');
    this.values = new Map();
    for (const s of series) {
      const item = el('span');
      const swatch = el('span', 'swatch' + (s.dashed ? ' dashed' : ''));
      swatch.style.background = s.color;
      swatch.style.borderColor = s.color;
      const value = el('b', null, '–');
      item.append(swatch, s.label + ' ', value);
      this.values.set(s.key, value);
      this.legend.append(item);
    }
    container.append(this.plot);
    container.after(this.legend);
  }

  render(points) {
    const width = Math.max(120, this.plot.clientWidth || this.container.clientWidth);
    const height = Math.max(60, this.plot.clientHeight || this.container.clientHeight);
    const left = 44;
    const right = 8;
    const top = 6;
    const bottom = 18;
    const now = points.length ? points[points.length - 1].t : Date.now();
    // The window grows with the data from one minute to WINDOW_SECONDS, so a fresh page is readable at once.
    const span = points.length ? (now - points[0].t) / 1000 : 0;
    const windowSeconds = Math.min(WINDOW_SECONDS, Math.max(60, Math.ceil(span / 60) * 60));
    const from = now - windowSeconds * 1000;
    let max = 0;
    let min = Infinity;
    for (const p of points) {
      for (const s of this.series) {
        const v = p[s.key];
        if (v !== null && v !== undefined) {
          max = Math.max(max, v);
          min = v > 0 ? Math.min(min, v) : min;
        }
      }
    }
    const yMax = this.log ? Math.pow(10, Math.ceil(Math.log10(Math.max(max, 0.1)) - 1e-9))
        : niceCeiling(max);
    const yMin = this.log ? Math.min(yMax / 10, Math.pow(10, Math.floor(Math.log10(min === Infinity ? 0.1 : min))))
        : 0;
    const x = t => left + (t - from) / (now - from) * (width - left - right);
    const scale = v => this.log ? Math.log10(Math.max(v, yMin) / yMin) / Math.log10(yMax / yMin) : v / yMax;
    const y = v => top + (1 - scale(v)) * (height - top - bottom);

    const children = [];
    const ticks = [];
    if (this.log) {
      for (let v = yMin; v <= yMax * 1.0001; v *= 10) {
        ticks.push(v);
      }
    } else {
      for (let i = 0; i <= 4; i++) {
        ticks.push(yMax * i / 4);
      }
    }
    for (const v of ticks) {
      children.push(svg('line', {class: 'gridline', x1: left, x2: width - right, y1: y(v), y2: y(v)}));
      const label = svg('text', {class: 'axis', x: left - 6, y: y(v) + 3, 'text-anchor': 'end'});
      label.textContent = this.format(v, true);
      children.push(label);
    }
    const step = [10, 15, 30, 60].find(st => windowSeconds / st <= 5) || 60;
    for (let ago = 0; ago <= windowSeconds; ago += step) {
      const label = svg('text', {class: 'axis', x: x(now - ago * 1000), y: height - 4,
        'text-anchor': ago === 0 ? 'end' : ago + step > windowSeconds ? 'start' : 'middle'});
      label.textContent = ago === 0 ? 'now' : '-' + (ago < 60 ? ago + 's'
          : Math.floor(ago / 60) + 'm' + (ago % 60 ? (ago % 60) + 's' : ''));
      children.push(label);
    }
    for (const s of this.series) {
      let d = '';
      let pen = false;
      for (const p of points) {
        const v = p[s.key];
        if (v === null || v === undefined || p.t < from) {
          pen = false;
          continue;
        }
        d += (pen ? 'L' : 'M') + x(p.t).toFixed(1) + ' ' + y(v).toFixed(1);
        pen = true;
      }
      const path = svg('path', {class: 'series', d: d || 'M0 0', stroke: s.color, 'data-key': s.key});
      if (s.dashed) {
        path.setAttribute('stroke-dasharray', '5 4');
      }
      children.push(path);
      const last = points.length ? points[points.length - 1][s.key] : null;
      this.values.get(s.key).textContent = last === null || last === undefined ? '–' : this.format(last, false);
    }
    this.plot.setAttribute('viewBox', `0 0 ${width} ${height}`);
    this.plot.replaceChildren(...children);
    this.container.dataset.samples = String(points.length);
    this.container.dataset.max = String(max);
  }
}

/** A round top for a linear axis with four gridlines (four round steps), at least max; at least 1. */
function niceCeiling(max) {
  if (!(max > 1)) {
    return 1;
  }
  const power = Math.pow(10, Math.floor(Math.log10(max / 4)));
  return 4 * power * [1, 1.5, 2, 2.5, 3, 4, 5, 6, 7.5, 10].find(m => 4 * m * power >= max);
}

function rateFormat(v, axis) {
  return axis ? axisNumber.format(v) : fmt(v, v < 10 ? 1 : 0) + '/s';
}

function msFormat(v, axis) {
  if (axis) {
    return v >= 1 ? fmt(v) : String(Number(v.toPrecision(1)));
  }
  return fmt(v, v < 10 ? 2 : 1) + ' ms';
}

function sizeFormat(v, axis) {
  return axis ? axisNumber.format(v) : fmt(v, 1);
}

function mibFormat(v, axis) {
  return axis ? axisNumber.format(v) : fmt(v, v < 10 ? 2 : 1) + ' MiB';
}

function makeCharts() {
  const css = getComputedStyle(document.documentElement);
  const c = n => css.getPropertyValue('--c' + n).trim();
  return {
    throughput: new LineChart(document.getElementById('chart-throughput'), [
      {key: 'reads', label: 'reads', color: c(1)},
      {key: 'writes', label: 'writes', color: c(2)},
      {key: 'workerTasks', label: 'worker tasks', color: c(3)},
      {key: 'commits', label: 'commits', color: c(4), dashed: true},
    ], rateFormat),
    latency: new LineChart(document.getElementById('chart-latency'), [
      {key: 'readP99', label: 'read p99', color: c(1)},
      {key: 'readP50', label: 'read p50', color: c(1), dashed: true},
      {key: 'writeP99', label: 'write p99', color: c(2)},
      {key: 'writeP50', label: 'write p50', color: c(2), dashed: true},
      {key: 'readMean', label: 'read mean (1 s)', color: c(4)},
      {key: 'writeMean', label: 'write mean (1 s)', color: c(3)},
    ], msFormat, true),
    batches: new LineChart(document.getElementById('chart-batches'), [
      {key: 'writesPerCommit', label: 'writes per commit', color: c(2)},
      {key: 'readsPerBatch', label: 'reads per batch', color: c(1)},
    ], sizeFormat),
    wal: new LineChart(document.getElementById('chart-wal'), [
      {key: 'walMiB', label: 'WAL size', color: c(4)},
      {key: 'walLimitMiB', label: 'limit', color: c(2), dashed: true},
    ], mibFormat),
  };
}

// ------------------------------------------------------------------------------------------------ samples

/** Mean over the interval between two cumulative (count, mean) pairs; null when nothing happened. */
function intervalMean(count1, mean1, count0, mean0) {
  const n = count1 - count0;
  return n > 0 ? Math.max(0, (count1 * mean1 - count0 * mean0) / n) : null;
}

function sample(d, p) {
  const t = Date.parse(d.timestamp);
  const m = d.pool_metrics;
  const pm = p ? p.pool_metrics : null;
  const rr = m.recent_read_latency_ms; // percentiles over the last 10 s, so the lines follow the load
  const rw = m.recent_write_latency_ms;
  const s = {t, readP50: rr.p50, readP99: rr.p99, writeP50: rw.p50, writeP99: rw.p99,
    reads: null, writes: null, workerTasks: null, commits: null, readMean: null, writeMean: null,
    writesPerCommit: null, readsPerBatch: null,
    walMiB: m.wal.size_bytes / 1048576, walLimitMiB: m.wal.limit_bytes / 1048576};
  if (rr.count === 0) {
    s.readP50 = s.readP99 = null;
  }
  if (rw.count === 0) {
    s.writeP50 = s.writeP99 = null;
  }
  const seconds = p ? (t - Date.parse(p.timestamp)) / 1000 : 0;
  if (pm && seconds > 0 && m.total_reads >= pm.total_reads) { // a restarted server starts from zero again
    const rate = k => (m[k] - pm[k]) / seconds;
    s.reads = rate('total_reads');
    s.writes = rate('total_writes') + rate('total_transactions');
    s.workerTasks = rate('total_worker_tasks');
    s.commits = (m.group_commit.commits - pm.group_commit.commits) / seconds;
    const lr = m.read_latency_ms;
    const pr = pm.read_latency_ms;
    const lw = m.write_latency_ms;
    const pw = pm.write_latency_ms;
    s.readMean = intervalMean(lr.count, lr.mean, pr.count, pr.mean);
    s.writeMean = intervalMean(lw.count, lw.mean, pw.count, pw.mean);
    const g = m.group_commit;
    const pg = pm.group_commit;
    s.writesPerCommit = intervalMean(g.commits, g.mean_writes_per_commit, pg.commits, pg.mean_writes_per_commit);
    const b = m.read_batching;
    const pb = pm.read_batching;
    s.readsPerBatch = intervalMean(b.batches, b.mean_reads_per_batch, pb.batches, pb.mean_reads_per_batch);
  }
  return s;
}

// ------------------------------------------------------------------------------------------------ rendering

/**
 * The swarm stores on PostgreSQL: the page names the backend, shows the PostgreSQL pool's connections and the swarm,
 * and says (from the data's not_applicable) that LitePool's engine figures do not apply; the engine's cards stay empty.
 */
function renderPostgres(d) {
  const m = d.pool_metrics;
  document.getElementById('pool-name').textContent = `PostgreSQL “${d.pool.name}” at ${d.pool.location}`;
  document.getElementById('problems').append(el('li', 'muted small', d.not_applicable));
  setFigure('conn-total', m.total_connections);
  setFigure('conn-active', m.active_connections);
  renderSwarm(d.swarm);
  renderEvents(d.events, d.last_backup);
  previous = d;
}

function render(d) {
  const h = d.health;
  document.getElementById('pool-name').textContent = `pool “${d.pool.name}”`;
  document.getElementById('version').textContent = `LitePool ${d.pool.version}`;
  const status = document.getElementById('status');
  status.textContent = h.status;
  status.dataset.value = h.status;
  status.className = 'pill status-' + h.status;
  document.title = `LitePool: ${h.status}`;

  const problems = document.getElementById('problems');
  if (h.problems.length === 0) {
    problems.replaceChildren(el('li', 'ok-line', 'No problems: every connection is up.'));
  } else {
    problems.replaceChildren(...h.problems.map(p => el('li', 'problem', p)));
  }
  document.getElementById('last-check').textContent = timeOf(h.last_health_check);

  if (d.pool.backend === 'postgresql') {
    renderPostgres(d);
    return;
  }
  const m = d.pool_metrics;
  for (const role of ['writer', 'readers', 'workers']) {
    const c = m.connections[role];
    const e = document.getElementById('conn-' + role);
    e.textContent = `${c.busy} / ${c.size}`;
    e.dataset.busy = String(c.busy);
    e.dataset.size = String(c.size);
    document.getElementById('bar-' + role).style.width = (c.size ? 100 * c.busy / c.size : 0) + '%';
  }
  setFigure('conn-total', m.total_connections);
  setFigure('conn-active', m.active_connections);
  setFigure('queue-read', m.queue_lengths.read_queue);
  setFigure('queue-write', m.queue_lengths.write_queue);
  setFigure('queue-worker', m.queue_lengths.worker_queue);

  renderTotals(d.totals, m);

  setFigure('commits', m.group_commit.commits);
  setFigure('writes-per-commit', m.group_commit.mean_writes_per_commit, 2);
  setFigure('writes-per-commit-max', m.group_commit.max_writes_per_commit);
  setFigure('read-batches', m.read_batching.batches);
  setFigure('reads-per-batch', m.read_batching.mean_reads_per_batch, 2);
  setFigure('reads-per-batch-max', m.read_batching.max_reads_per_batch);

  renderWal(m.wal);
  renderCommits(d, previous);
  renderSwarm(d.swarm);
  renderEvents(d.events, d.last_backup);

  samples.push(sample(d, previous));
  const oldest = samples[samples.length - 1].t - WINDOW_SECONDS * 1000;
  while (samples.length && samples[0].t < oldest) {
    samples.shift();
  }
  for (const chart of Object.values(charts)) {
    chart.render(samples);
  }
  previous = d;
}

/**
 * The Totals card: one line per key the server lists in `totals` (the top-level counters of pool_metrics), each
 * labelled from its key (`total_worker_tasks` is "Worker tasks") and kept in #total-<key> (`total-worker-tasks`), so
 * a counter added on the server shows up here as it is.
 */
function renderTotals(keys, m) {
  const list = document.getElementById('totals');
  const name = key => key.replace(/^total_/, '');
  const id = key => 'total-' + name(key).replaceAll('_', '-');
  if (list.dataset.keys !== keys.join()) {
    list.replaceChildren(...keys.map(key => {
      const label = name(key).replaceAll('_', ' ');
      const value = el('dd', 'num', '–');
      value.id = id(key);
      const row = el('div');
      row.append(el('dt', null, label.charAt(0).toUpperCase() + label.slice(1)), value);
      return row;
    }));
    list.dataset.keys = keys.join();
  }
  for (const key of keys) {
    setFigure(id(key), m[key]);
  }
}

/** The WAL against its limit: its size turns orange past the limit, red past twice it (health degraded). */
function renderWal(w) {
  setBytes('wal-size', w.size_bytes);
  setBytes('wal-limit', w.limit_bytes);
  const ratio = w.limit_bytes > 0 ? w.size_bytes / w.limit_bytes : 0;
  document.getElementById('wal-size').dataset.level = ratio > 2 ? 'far-over' : ratio > 1 ? 'over' : 'ok';
  setFigure('wal-frames-left', w.frames_left);
  setFigure('wal-checkpoints', w.checkpoints);
  setFigure('wal-blocked', w.blocked);
  document.getElementById('wal-blocked').classList.toggle('problem', w.blocked > 0);
  setFigure('wal-checkpoint-mean', w.mean_checkpoint_ms, 1);
  setFigure('wal-checkpoint-max', w.max_checkpoint_ms, 1);
}

/**
 * The Commits card: commits per second and the busiest tables over the interval since the previous poll (from the
 * server's per-table counts, `commit_feed`), and the result cache's figures.
 */
function renderCommits(d, p) {
  const m = d.pool_metrics;
  const f = d.commit_feed;
  const seconds = p ? (Date.parse(d.timestamp) - Date.parse(p.timestamp)) / 1000 : 0;
  const since = p && seconds > 0 && m.group_commit.commits >= p.pool_metrics.group_commit.commits;
  const perSecond = (now, before) => since ? Math.max(0, (now - before) / seconds) : null;
  setFigure('commits-per-second', since ? perSecond(m.group_commit.commits, p.pool_metrics.group_commit.commits)
      : null, 1);
  const c = m.result_cache;
  const pc = since ? p.pool_metrics.result_cache : null;
  setFigure('cache-hit-ratio', c.hits + c.misses > 0 ? 100 * c.hit_ratio : null, 1);
  setFigure('cache-hits-per-second', pc ? perSecond(c.hits, pc.hits) : null, 1);
  setFigure('cache-invalidations-per-second', pc ? perSecond(c.invalidations, pc.invalidations) : null, 1);
  setFigure('cache-entries', c.entries);
  setFigure('cache-evictions', c.evictions);
  const list = document.getElementById('busiest-tables');
  if (f.error) {
    list.replaceChildren(el('li', 'problem', f.error));
    return;
  }
  setFigure('commits-unknown', f.unknown_tables);
  setFigure('commits-external', f.external);
  const before = p && p.commit_feed && p.commit_feed.tables ? p.commit_feed.tables : {};
  const rows = Object.entries(f.tables).map(([table, n]) => ({table, n,
    rate: since && table in before ? perSecond(n, before[table]) : null}));
  rows.sort((a, b) => (b.rate ?? -1) - (a.rate ?? -1) || b.n - a.n);
  if (rows.length === 0) {
    list.replaceChildren(el('li', 'muted', 'no commit changed a table yet'));
    return;
  }
  list.replaceChildren(...rows.slice(0, 8).map(r => {
    const item = el('li', null, r.table + ' ');
    item.dataset.table = r.table;
    item.dataset.commits = String(r.n);
    item.append(el('b', 'num', r.rate === null ? '–' : fmt(r.rate, 1)), el('span', 'muted', ` (${fmt(r.n)})`));
    return item;
  }));
}

function renderSwarm(s) {
  const error = document.getElementById('swarm-error');
  error.hidden = !s.error;
  error.textContent = s.error || '';
  if (s.error) {
    return;
  }
  setFigure('swarm-swarms', s.swarms.total);
  setFigure('swarm-agents', s.agents.total);
  setFigure('swarm-tasks', s.tasks.total);
  setFigure('swarm-memory', s.memory_entries);
  chips('agents-by-status', s.agents.by_status);
  chips('tasks-by-status', s.tasks.by_status);
}

function chips(id, byStatus) {
  const entries = Object.entries(byStatus);
  const box = document.getElementById(id);
  if (entries.length === 0) {
    box.replaceChildren(el('span', 'muted small', 'none'));
    return;
  }
  box.replaceChildren(...entries.map(([status, n]) => {
    const chip = el('span', 'chip', status + ' ');
    chip.dataset.status = status;
    chip.dataset.value = String(n);
    chip.append(el('b', null, fmt(n)));
    return chip;
  }));
}

const EVENT_CLASS = {
  CONNECTION_FAILED: 'ev-bad', BACKUP_FAILED: 'ev-bad', CLOSED: 'ev-bad', CHECKPOINT_BLOCKED: 'ev-warn',
  CONNECTION_REPLACED: 'ev-good', BACKUP_DONE: 'ev-good', READY: 'ev-good',
  HEALTH_CHECK: 'ev-info',
};

function renderEvents(events, backup) {
  const list = document.getElementById('events');
  if (events.length === 0) {
    list.replaceChildren(el('li', 'muted small', 'no events yet'));
  } else {
    list.replaceChildren(...events.map(e => {
      const li = el('li');
      li.dataset.type = e.type;
      const time = el('time', null, timeOf(e.at));
      time.dateTime = e.at;
      li.append(time, el('span', 'type ' + (EVENT_CLASS[e.type] || ''), e.type.replaceAll('_', ' ').toLowerCase()));
      li.append(el('span', 'detail', e.detail));
      return li;
    }));
  }
  const b = document.getElementById('last-backup');
  if (backup) {
    b.textContent = `${timeOf(backup.started_at)}, ${bytes(backup.bytes)} in ${backup.took_ms} ms, ${backup.path}`;
    b.dataset.value = backup.started_at;
  } else {
    b.textContent = 'none yet';
    b.dataset.value = '';
  }
}

// ------------------------------------------------------------------------------------------------ polling

function setFetchError(message) {
  const banner = document.getElementById('fetch-error');
  banner.hidden = !message;
  banner.textContent = message ? `Cannot refresh: ${message}. Retrying every second; the figures shown are from `
      + (lastArrival ? new Date(lastArrival).toLocaleTimeString('en-GB') : 'nowhere yet') + '.' : '';
}

async function poll() {
  let data;
  try {
    const response = await fetch('dashboard/data', {cache: 'no-store', headers: {Accept: 'application/json'}});
    if (!response.ok) {
      let detail = '';
      try {
        detail = (await response.json()).error || '';
      } catch (ignored) {
        // the status line is enough when the body is not our JSON
      }
      throw new Error(`HTTP ${response.status}${detail ? ': ' + detail : ''}`);
    }
    data = await response.json();
  } catch (e) {
    setFetchError(e.message || String(e));
    return;
  }
  setFetchError(null);
  lastArrival = Date.now();
  render(data); // a bug here is thrown to the caller, which shows it
}

function tickLink() {
  const link = document.getElementById('link');
  if (!lastArrival) {
    return;
  }
  const age = (Date.now() - lastArrival) / 1000;
  link.textContent = age < 3 ? `live, updated ${new Date(lastArrival).toLocaleTimeString('en-GB')}`
      : `stale: last update ${Math.round(age)} s ago`;
  link.className = age < 3 ? 'muted' : 'stale';
}

async function loop() {
  const started = Date.now();
  try {
    await poll();
  } catch (e) {
    console.error(e);
    showJsError(e && e.stack ? e.stack : e);
  }
  tickLink();
  setTimeout(loop, Math.max(100, POLL_MILLIS - (Date.now() - started)));
}

document.addEventListener('DOMContentLoaded', () => {
  charts = makeCharts();
  let resizeTimer = 0;
  window.addEventListener('resize', () => {
    clearTimeout(resizeTimer);
    resizeTimer = setTimeout(() => Object.values(charts).forEach(c => c.render(samples)), 100);
  });
  setInterval(tickLink, 1000);
  loop();
});
