-- Executions that wait (director approval) and can be cancelled.

-- A RUNNING execution waits in a state until a decision, a cancellation or its deadline; an ended one has neither.
ALTER TABLE executions ADD COLUMN state VARCHAR(64);
ALTER TABLE executions ADD COLUMN deadline_at TIMESTAMP WITH TIME ZONE;
-- The status link's bearer token is never stored, only its SHA-256 in hex (see StatusTokens).
ALTER TABLE executions ADD COLUMN status_token_digest VARCHAR(64);
-- The deadline sweep reads the RUNNING executions whose deadline has passed.
CREATE INDEX executions_by_deadline ON executions (status, deadline_at);

-- How a state ended when its status code does not say it all: an approval's decision, a rejection's reason.
ALTER TABLE execution_events ADD COLUMN detail VARCHAR(600);

-- A registration that awaits approval holds its spots (held = TRUE) until it is approved (then it is confirmed),
-- or rejected, timed out or cancelled (then the row goes and the spots are released).
ALTER TABLE confirmed_registrations ADD COLUMN held BOOLEAN DEFAULT FALSE NOT NULL;
