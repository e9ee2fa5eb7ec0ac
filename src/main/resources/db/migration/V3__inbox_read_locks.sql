-- The file drop's read locks (camel-sql's JDBC message-id repository behind the file consumer's idempotent read lock,
-- see InboxLocks): one row per dropped file being taken, so that instances sharing an inbox never take a file twice.
-- Camel's table and column names, as its statements use them (unquoted: H2 and PostgreSQL fold them alike). messageId
-- is the file's absolute path; the primary key admits one lock per file. createdAt is bound as java.sql.Timestamp and
-- compared with the instance's clock: WITH TIME ZONE keeps it an instant whatever each JVM's time zone.
CREATE TABLE CAMEL_MESSAGEPROCESSED (
    processorName       VARCHAR(255)    NOT NULL,
    messageId           VARCHAR(1000)   NOT NULL,
    createdAt           TIMESTAMP WITH TIME ZONE NOT NULL,
    PRIMARY KEY (processorName, messageId)
);
