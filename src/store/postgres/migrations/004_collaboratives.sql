-- Issue 19: collaboratives kept in Teams, several per deployment. Each change to a collaborative
-- is a new row (its version), never an update, so the history is the record; the primary key
-- (collaborative_id, version) is the conditional write: of two changes to version N, one inserts
-- N + 1 and the other is refused. Existing tables are untouched: no vote, outcome or audit event
-- moves. A database from before this migration has no collaborative; Concord imports its
-- configured file as version 1 on the next start and binds it as the default.
CREATE TABLE collaborative_versions (
  collaborative_id  text NOT NULL,
  version           integer NOT NULL CHECK (version > 0),
  doc               jsonb NOT NULL,
  PRIMARY KEY (collaborative_id, version)
);

-- Which collaborative a team, channel or chat belongs to; '*' is the default for the rest.
CREATE TABLE collaborative_bindings (
  conversation_id   text PRIMARY KEY,
  collaborative_id  text NOT NULL,
  doc               jsonb NOT NULL
);
