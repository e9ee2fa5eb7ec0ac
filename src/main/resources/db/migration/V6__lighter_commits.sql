-- Every registration's one commit writes each B-tree it touched; two of them earn nothing on that path:
-- * the index behind notification_outbox's foreign key on execution_id (V5): the row is written in the transaction
--   of its execution, and nothing reads the outbox by execution;
-- * executions_by_deadline (V4): only RUNNING executions have a deadline, and executions_by_status already leads to
--   them (status first), so the deadline sweep reads just the waiting ones through it.
ALTER TABLE notification_outbox DROP CONSTRAINT notification_outbox_execution;
DROP INDEX executions_by_deadline;
