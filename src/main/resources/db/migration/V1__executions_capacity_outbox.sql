-- One schema for the embedded H2 and for PostgreSQL: no TIMESTAMPTZ, no RETURNING, no targeted ON CONFLICT,
-- and no column named DAY (reserved in H2).

-- Every execution of the state machine, from the moment it starts.
CREATE TABLE executions (
    execution_id        VARCHAR(36)     NOT NULL PRIMARY KEY,
    status              VARCHAR(16)     NOT NULL,
    source              VARCHAR(300)    NOT NULL,
    input_document      VARCHAR(1000000) NOT NULL,
    result_document     VARCHAR(1000000),
    error               VARCHAR(64),
    cause               VARCHAR(500),
    idempotency_key     VARCHAR(200),
    -- lower-cased search keys: the child's last name and the parents' e-mail addresses
    child_last_name     VARCHAR(100),
    mother_email        VARCHAR(254),
    father_email        VARCHAR(254),
    started_at          TIMESTAMP WITH TIME ZONE NOT NULL,
    stopped_at          TIMESTAMP WITH TIME ZONE,
    CONSTRAINT executions_idempotency_key UNIQUE (idempotency_key)
);
-- Newest first, optionally by status: the listing's keyset pagination walks these.
CREATE INDEX executions_newest ON executions (started_at DESC, execution_id DESC);
CREATE INDEX executions_by_status ON executions (status, started_at DESC, execution_id DESC);
CREATE INDEX executions_by_child_last_name ON executions (child_last_name);
CREATE INDEX executions_by_mother_email ON executions (mother_email);
CREATE INDEX executions_by_father_email ON executions (father_email);

-- Each state entered and left, in order.
CREATE TABLE execution_events (
    execution_id        VARCHAR(36)     NOT NULL REFERENCES executions (execution_id),
    sequence_number     INTEGER         NOT NULL,
    state_name          VARCHAR(64)     NOT NULL,
    event_type          VARCHAR(16)     NOT NULL,
    status_code         INTEGER,
    occurred_at         TIMESTAMP WITH TIME ZONE NOT NULL,
    PRIMARY KEY (execution_id, sequence_number)
);

-- Spots per opening day. reserved_spots only grows through a conditional update (reserved < total).
CREATE TABLE day_capacity (
    day_of_week         VARCHAR(9)      NOT NULL PRIMARY KEY,
    total_spots         INTEGER         NOT NULL,
    reserved_spots      INTEGER         NOT NULL
);

-- A confirmed registration: the child it is for (unique, so a child holds at most one) and its output.
-- Written by Confirm Registration with the spots it takes; the execution's own row is the store's business.
CREATE TABLE confirmed_registrations (
    execution_id        VARCHAR(36)     NOT NULL PRIMARY KEY,
    child_key           VARCHAR(300)    NOT NULL,
    days_of_week        VARCHAR(100)    NOT NULL,
    output_document     VARCHAR(1000000) NOT NULL,
    confirmed_at        TIMESTAMP WITH TIME ZONE NOT NULL,
    CONSTRAINT confirmed_registrations_child UNIQUE (child_key)
);

-- Outcome notifications, written in the same transaction as the outcome, drained to SNS in the background.
CREATE TABLE notification_outbox (
    execution_id        VARCHAR(36)     NOT NULL PRIMARY KEY REFERENCES executions (execution_id),
    subject             VARCHAR(200)    NOT NULL,
    attributes          VARCHAR(2000)   NOT NULL,
    message             VARCHAR(1000000) NOT NULL,
    created_at          TIMESTAMP WITH TIME ZONE NOT NULL,
    attempts            INTEGER         NOT NULL,
    next_attempt_at     TIMESTAMP WITH TIME ZONE NOT NULL,
    sent_at             TIMESTAMP WITH TIME ZONE,
    last_error          VARCHAR(500)
);
CREATE INDEX notification_outbox_pending ON notification_outbox (sent_at, next_attempt_at);
