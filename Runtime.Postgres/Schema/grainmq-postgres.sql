-- GrainMQ cluster schema for PostgreSQL (13 or later).
-- Applied by every silo and gateway at start-up, under an advisory lock, so it must stay idempotent:
-- only CREATE ... IF NOT EXISTS and additive changes. A DBA may apply it ahead of time instead and grant the
-- broker's role SELECT, INSERT, UPDATE, DELETE on these tables (then the role needs no CREATE privilege).

-- One row per deployment (cluster). Every membership change increments version, conditioned on the value the
-- writer read: of two writers racing on one version, exactly one wins.
CREATE TABLE IF NOT EXISTS grainmq_membership_version (
  deployment_id text PRIMARY KEY,
  version bigint NOT NULL DEFAULT 0,
  updated_at timestamptz NOT NULL DEFAULT now()
);

-- One row per silo incarnation (address, port, generation). status: 2 joining, 3 active, 4 shutting down, 6 dead.
-- suspect_times: "voter-address,unix-ms" pairs separated by ';' (voter-address = host:port@generation).
CREATE TABLE IF NOT EXISTS grainmq_membership (
  deployment_id text NOT NULL REFERENCES grainmq_membership_version (deployment_id) ON DELETE CASCADE,
  address text NOT NULL,
  port integer NOT NULL,
  generation bigint NOT NULL,
  silo_name text NOT NULL,
  host_name text NOT NULL,
  status smallint NOT NULL,
  gateway_port integer NOT NULL DEFAULT 0,
  suspect_times text NOT NULL DEFAULT '',
  start_time timestamptz NOT NULL,
  i_am_alive_time timestamptz NOT NULL,
  PRIMARY KEY (deployment_id, address, port, generation)
);

-- Grain state (sessions, topic filters, retained messages): the bytes of the grain's state codec.
-- version increments on every write (for operators and for future optimistic checks).
CREATE TABLE IF NOT EXISTS grainmq_grain_state (
  deployment_id text NOT NULL,
  grain_type text NOT NULL,
  grain_key text NOT NULL,
  state bytea NOT NULL,
  version bigint NOT NULL DEFAULT 1,
  updated_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (deployment_id, grain_type, grain_key)
);
