-- GrainMQ cluster schema for PostgreSQL (13 or later).
-- Applied by every silo and gateway at start-up, under an advisory lock, so it must stay idempotent:
-- only CREATE ... IF NOT EXISTS and additive changes. A DBA may apply it ahead of time instead and grant the
-- broker's role SELECT, INSERT, UPDATE, DELETE on these tables (then the role needs no CREATE privilege).

-- One row per deployment (cluster). Every membership change increments version, conditioned on the value the
-- writer read: of two writers racing on one version, exactly one wins. The same transaction runs
-- pg_notify('grainmq_membership', deployment_id), delivered to listeners on commit (nothing to create for it).
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
-- version (at least 1) increments on every write, and every write and delete is conditioned on the version its
-- activation read (optimistic concurrency): an activation that should no longer exist cannot overwrite the state
-- of the grain's newer activation.
CREATE TABLE IF NOT EXISTS grainmq_grain_state (
  deployment_id text NOT NULL,
  grain_type text NOT NULL,
  grain_key text NOT NULL,
  state bytea NOT NULL,
  version bigint NOT NULL DEFAULT 1,
  updated_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (deployment_id, grain_type, grain_key)
);

-- Upgrade of a table created without version: its rows start at 1 (0 means "nothing stored"). Checked first, so
-- that a start-up neither takes ALTER TABLE's exclusive lock nor needs to own the table when there is nothing to do.
DO $$
BEGIN
  IF NOT EXISTS (SELECT 1 FROM pg_attribute
                 WHERE attrelid = 'grainmq_grain_state'::regclass AND attname = 'version' AND NOT attisdropped) THEN
    ALTER TABLE grainmq_grain_state ADD COLUMN IF NOT EXISTS version bigint NOT NULL DEFAULT 1;
  END IF;
END
$$;

-- Reminders (session expiry of disconnected sessions): "wake this grain at due_at", one row per grain. grain_hash is
-- the grain's position on the placement ring (0 .. 2^32 - 1): every silo reads the due rows of its own share of the
-- ring. Written at a session's disconnect (before its state), deleted by the session when the reminder fires.
CREATE TABLE IF NOT EXISTS grainmq_reminders (
  deployment_id text NOT NULL,
  grain_type text NOT NULL,
  grain_key text NOT NULL,
  grain_hash bigint NOT NULL,
  due_at timestamptz NOT NULL,
  PRIMARY KEY (deployment_id, grain_type, grain_key)
);

CREATE INDEX IF NOT EXISTS grainmq_reminders_due ON grainmq_reminders (deployment_id, due_at);
