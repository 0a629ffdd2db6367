-- A Helpful? answer looks up its question by id (Store.getQuestion): index it rather than scan.
CREATE INDEX questions_id ON questions (id);
