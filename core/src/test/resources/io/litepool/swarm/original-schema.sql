-- The schema exactly as ruv-swarm's SwarmPersistencePooled.initDatabase() creates it (ruv-swarm/npm/src/
-- persistence-pooled.js), then rows as the original writes them: JSON.stringify'd columns, CURRENT_TIMESTAMP
-- defaults, and agent_memory.expires_at as ISO-8601 text from new Date(...).toISOString().

CREATE TABLE IF NOT EXISTS swarms (
  id TEXT PRIMARY KEY,
  name TEXT NOT NULL,
  topology TEXT NOT NULL,
  max_agents INTEGER NOT NULL,
  strategy TEXT,
  status TEXT DEFAULT 'active',
  created_at DATETIME DEFAULT CURRENT_TIMESTAMP,
  metadata TEXT
);

CREATE TABLE IF NOT EXISTS agents (
  id TEXT PRIMARY KEY,
  swarm_id TEXT,
  name TEXT NOT NULL,
  type TEXT NOT NULL,
  status TEXT DEFAULT 'idle',
  capabilities TEXT,
  neural_config TEXT,
  metrics TEXT,
  created_at DATETIME DEFAULT CURRENT_TIMESTAMP,
  FOREIGN KEY (swarm_id) REFERENCES swarms(id)
);

CREATE TABLE IF NOT EXISTS tasks (
  id TEXT PRIMARY KEY,
  swarm_id TEXT,
  description TEXT,
  priority TEXT DEFAULT 'medium',
  status TEXT DEFAULT 'pending',
  assigned_agents TEXT,
  result TEXT,
  error TEXT,
  created_at DATETIME DEFAULT CURRENT_TIMESTAMP,
  completed_at DATETIME,
  execution_time_ms INTEGER,
  FOREIGN KEY (swarm_id) REFERENCES swarms(id)
);

CREATE TABLE IF NOT EXISTS task_results (
  id TEXT PRIMARY KEY,
  task_id TEXT NOT NULL,
  agent_id TEXT NOT NULL,
  output TEXT,
  metrics TEXT,
  created_at DATETIME DEFAULT CURRENT_TIMESTAMP,
  FOREIGN KEY (task_id) REFERENCES tasks(id),
  FOREIGN KEY (agent_id) REFERENCES agents(id)
);

CREATE TABLE IF NOT EXISTS agent_memory (
  id TEXT PRIMARY KEY,
  agent_id TEXT NOT NULL,
  key TEXT NOT NULL,
  value TEXT,
  ttl_secs INTEGER,
  expires_at DATETIME,
  created_at DATETIME DEFAULT CURRENT_TIMESTAMP,
  updated_at DATETIME DEFAULT CURRENT_TIMESTAMP,
  FOREIGN KEY (agent_id) REFERENCES agents(id),
  UNIQUE(agent_id, key)
);

CREATE TABLE IF NOT EXISTS metrics (
  id TEXT PRIMARY KEY,
  entity_type TEXT NOT NULL,
  entity_id TEXT NOT NULL,
  metric_name TEXT NOT NULL,
  metric_value REAL,
  timestamp DATETIME DEFAULT CURRENT_TIMESTAMP
);

CREATE TABLE IF NOT EXISTS neural_networks (
  id TEXT PRIMARY KEY,
  agent_id TEXT NOT NULL,
  architecture TEXT NOT NULL,
  weights TEXT,
  training_data TEXT,
  performance_metrics TEXT,
  created_at DATETIME DEFAULT CURRENT_TIMESTAMP,
  updated_at DATETIME DEFAULT CURRENT_TIMESTAMP,
  FOREIGN KEY (agent_id) REFERENCES agents(id)
);

CREATE TABLE IF NOT EXISTS events (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  swarm_id TEXT,
  event_type TEXT NOT NULL,
  event_data TEXT,
  timestamp DATETIME DEFAULT CURRENT_TIMESTAMP
);

CREATE INDEX IF NOT EXISTS idx_agents_swarm ON agents(swarm_id);
CREATE INDEX IF NOT EXISTS idx_tasks_swarm ON tasks(swarm_id);
CREATE INDEX IF NOT EXISTS idx_task_results_task ON task_results(task_id);
CREATE INDEX IF NOT EXISTS idx_task_results_agent ON task_results(agent_id);
CREATE INDEX IF NOT EXISTS idx_agent_memory_agent ON agent_memory(agent_id);
CREATE INDEX IF NOT EXISTS idx_metrics_entity ON metrics(entity_type, entity_id);
CREATE INDEX IF NOT EXISTS idx_events_swarm ON events(swarm_id);
CREATE INDEX IF NOT EXISTS idx_events_timestamp ON events(timestamp);

INSERT INTO swarms (id, name, topology, max_agents, strategy, metadata)
VALUES ('swarm-1', 'legacy', 'mesh', 5, 'balanced', '{"owner":"node"}');
INSERT INTO agents (id, swarm_id, name, type, capabilities, neural_config, metrics)
VALUES ('agent-1', 'swarm-1', 'coder-1', 'coder', '["javascript"]', '{}', '{}');
INSERT INTO tasks (id, swarm_id, description, priority, status, assigned_agents)
VALUES ('task-1', 'swarm-1', 'port it to Java', 'high', 'pending', '["agent-1"]');
INSERT OR REPLACE INTO agent_memory (id, agent_id, key, value, ttl_secs, expires_at, updated_at)
VALUES ('mem_agent-1_1577836700000', 'agent-1', 'stale', '"gone"', 100, '2020-01-01T00:00:00.000Z', CURRENT_TIMESTAMP);
INSERT OR REPLACE INTO agent_memory (id, agent_id, key, value, ttl_secs, expires_at, updated_at)
VALUES ('mem_agent-1_1700000000000', 'agent-1', 'future', '{"n":1}', 100, '2999-01-01T00:00:00.000Z', CURRENT_TIMESTAMP);
INSERT OR REPLACE INTO agent_memory (id, agent_id, key, value, ttl_secs, expires_at, updated_at)
VALUES ('mem_agent-1_1700000000001', 'agent-1', 'plain', '[1,2,3]', NULL, NULL, CURRENT_TIMESTAMP);
INSERT INTO neural_networks (id, agent_id, architecture, weights, training_data, performance_metrics)
VALUES ('nn_1700000000000_abc', 'agent-1', '{"layers":[2,2]}', '[0.5]', '{}', '{}');
INSERT INTO metrics (id, entity_type, entity_id, metric_name, metric_value)
VALUES ('metric_1700000000000_abc', 'agent', 'agent-1', 'latency', 12.5);
INSERT INTO events (swarm_id, event_type, event_data) VALUES ('swarm-1', 'swarm_created', '{"by":"node"}');
