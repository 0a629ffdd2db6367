-- Issue 21: the chair's "Now" marker in a Teams meeting, shared by every instance and kept over a
-- restart. Insert-only, one row per move: two instances moving it at once both insert, and the
-- row with the highest seq is the marker. Existing tables are untouched.
CREATE TABLE agenda_item_starts (
  agenda_id  text NOT NULL,
  seq        bigserial,
  doc        jsonb NOT NULL,
  PRIMARY KEY (agenda_id, seq)
);
