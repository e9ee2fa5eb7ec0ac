-- One notification per outcome of an execution (APPROVAL_REQUESTED, then SUCCEEDED or FAILED, then possibly
-- CANCELLED), no longer one per execution: the outbox is keyed by notification_id = execution id || '_' || outcome,
-- which is also the SNS PublishBatch entry id (only [A-Za-z0-9_-], at most 80 characters: 36 + 1 + 16 here).
-- A primary key cannot be changed portably in place (H2 2.3 and PostgreSQL 17 name and drop it differently), so
-- the table is rebuilt: create, copy, drop, rename, then the index the drainer's claims walk.
CREATE TABLE notification_outbox_v5 (
    notification_id     VARCHAR(80)     NOT NULL,
    execution_id        VARCHAR(36)     NOT NULL,
    subject             VARCHAR(200)    NOT NULL,
    attributes          VARCHAR(2000)   NOT NULL,
    message             VARCHAR(1000000) NOT NULL,
    created_at          TIMESTAMP WITH TIME ZONE NOT NULL,
    attempts            INTEGER         NOT NULL,
    next_attempt_at     TIMESTAMP WITH TIME ZONE NOT NULL,
    sent_at             TIMESTAMP WITH TIME ZONE,
    last_error          VARCHAR(500),
    CONSTRAINT notification_outbox_notification PRIMARY KEY (notification_id),
    CONSTRAINT notification_outbox_execution FOREIGN KEY (execution_id) REFERENCES executions (execution_id)
);

-- Until now every row announced its execution's end, written in the transaction that set the execution's final
-- status: that status is the row's outcome (the "outcome" attribute), read here without parsing JSON.
INSERT INTO notification_outbox_v5 (notification_id, execution_id, subject, attributes, message, created_at,
        attempts, next_attempt_at, sent_at, last_error)
    SELECT o.execution_id || '_' || e.status, o.execution_id, o.subject, o.attributes, o.message, o.created_at,
        o.attempts, o.next_attempt_at, o.sent_at, o.last_error
    FROM notification_outbox o JOIN executions e ON e.execution_id = o.execution_id;

DROP TABLE notification_outbox;
ALTER TABLE notification_outbox_v5 RENAME TO notification_outbox;
CREATE INDEX notification_outbox_pending ON notification_outbox (sent_at, next_attempt_at);
