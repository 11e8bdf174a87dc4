-- FlywayTest's schema (docs/integration.md): the table every recipe writes.
CREATE TABLE entries(k TEXT NOT NULL);
