-- Every registration's one commit writes each B-tree it touched. On H2 the foreign key of notification_outbox on
-- execution_id (V5) has an index of its own that earns nothing on that path: the row is written in the transaction
-- of its execution, and nothing reads the outbox by execution. (PostgreSQL keeps no index for it; there this drops
-- only the check, which that same transaction makes moot.)
ALTER TABLE notification_outbox DROP CONSTRAINT notification_outbox_execution;
