-- Decision references (issue 15): a poll not taken from an agenda item is quoted as D-<year>-<n>,
-- numbered per year. `last` is the highest number given out for the year; createPoll takes the
-- next one in the poll's own transaction (the row lock makes two instances take different ones).
CREATE TABLE decision_references (
  year  text PRIMARY KEY,
  last  integer NOT NULL
);

-- Polls opened before references existed get theirs now, in the order they were opened, and their
-- outcomes, which quoted the internal poll id, quote it instead (the search text gains it too).
WITH numbered AS (
  SELECT id, substr(opened_at, 1, 4) AS year,
         row_number() OVER (PARTITION BY substr(opened_at, 1, 4) ORDER BY opened_at, id) AS n
  FROM polls
  WHERE NOT (doc ? 'reference') AND NOT (doc ? 'agenda')
)
UPDATE polls SET doc = jsonb_set(polls.doc, '{reference}', to_jsonb('D-' || numbered.year || '-' || lpad(numbered.n::text, 3, '0')))
FROM numbered
WHERE polls.id = numbered.id;

UPDATE outcomes
SET doc = jsonb_set(outcomes.doc, '{reference}', polls.doc->'reference'),
    search_text = search_text || ' ' || lower(polls.doc->>'reference')
FROM polls
WHERE outcomes.poll_id = polls.id AND outcomes.doc->>'reference' = outcomes.poll_id AND polls.doc ? 'reference';

INSERT INTO decision_references (year, last)
SELECT substr(doc->>'reference', 3, 4), max(substr(doc->>'reference', 8)::integer)
FROM polls
WHERE doc->>'reference' ~ '^D-[0-9]{4}-[0-9]{3,}$'
GROUP BY 1;
