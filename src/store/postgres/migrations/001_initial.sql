-- Concord's schema, version 1. Applied once, inside a transaction, by migrate.ts.
--
-- Every record is kept whole as a jsonb document (`doc`), validated with the same zod schemas as
-- the embedded store when read back; the columns beside it are the keys and the fields that SQL
-- filters or orders on. Text that is ordered uses COLLATE "C" (byte order), so lists come back in
-- the same order as from the embedded store (code-unit order), whatever the database's locale.

-- One row per poll; `status` is the column the conditional transitions test (open -> closed).
CREATE TABLE polls (
  id         text COLLATE "C" PRIMARY KEY,
  status     text NOT NULL CHECK (status IN ('open', 'closed')),
  opened_at  text COLLATE "C" NOT NULL,
  doc        jsonb NOT NULL
);
CREATE INDEX polls_by_status ON polls (status, opened_at, id);

-- One row per (poll, organisation): a re-vote or a retried invoke replaces it, never adds one.
CREATE TABLE votes (
  poll_id          text COLLATE "C" NOT NULL REFERENCES polls (id),
  organisation_id  text COLLATE "C" NOT NULL,
  position         text NOT NULL CHECK (position IN ('support', 'object', 'abstain')),
  doc              jsonb NOT NULL,
  PRIMARY KEY (poll_id, organisation_id)
);

-- The decision register. `seq` orders a poll's outcomes (a reopened poll closed again has more
-- than one; the latest is the poll's outcome). `search_text` is the lowercased reference, title,
-- proposal and meeting that a register search looks for words in.
CREATE TABLE outcomes (
  id           text COLLATE "C" PRIMARY KEY,
  seq          bigserial NOT NULL UNIQUE,
  poll_id      text COLLATE "C" NOT NULL REFERENCES polls (id),
  closed_at    text COLLATE "C" NOT NULL,
  search_text  text NOT NULL,
  doc          jsonb NOT NULL
);
CREATE INDEX outcomes_by_poll ON outcomes (poll_id, seq);
CREATE INDEX outcomes_newest_first ON outcomes (closed_at DESC, id DESC);

-- An agenda with its version history; `version` is the current version, for optimistic saves.
CREATE TABLE agendas (
  id               text COLLATE "C" PRIMARY KEY,
  version          integer NOT NULL,
  conversation_id  text NOT NULL,
  doc              jsonb NOT NULL
);

-- Saved Bot Framework conversation references, for posting into a conversation later.
CREATE TABLE conversations (
  conversation_id  text COLLATE "C" PRIMARY KEY,
  saved_at         text NOT NULL,
  doc              jsonb NOT NULL
);

-- Append-only logs, read back in the order appended (`seq`).
CREATE TABLE audit_events (
  seq      bigserial PRIMARY KEY,
  subject  text NOT NULL,
  action   text NOT NULL,
  at       text NOT NULL,
  doc      jsonb NOT NULL
);
CREATE INDEX audit_events_by_subject ON audit_events (subject, seq);

-- The audit trail is never changed: not by Concord (it only inserts), and not by anyone else
-- with this schema's rights either.
CREATE FUNCTION concord_refuse_audit_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'audit_events is append-only: % refused', TG_OP;
END;
$$;
CREATE TRIGGER audit_events_append_only
  BEFORE UPDATE OR DELETE ON audit_events
  FOR EACH ROW EXECUTE FUNCTION concord_refuse_audit_change();
CREATE TRIGGER audit_events_no_truncate
  BEFORE TRUNCATE ON audit_events
  FOR EACH STATEMENT EXECUTE FUNCTION concord_refuse_audit_change();

CREATE TABLE questions (
  seq  bigserial PRIMARY KEY,
  id   text NOT NULL,
  doc  jsonb NOT NULL
);

CREATE TABLE feedback (
  seq          bigserial PRIMARY KEY,
  question_id  text NOT NULL,
  doc          jsonb NOT NULL
);

-- Leases (Store.acquireLease): who does a piece of once-only work, until when.
CREATE TABLE leases (
  name        text PRIMARY KEY,
  holder      text NOT NULL,
  expires_at  timestamptz NOT NULL
);
