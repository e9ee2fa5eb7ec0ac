-- The waitlist (daycare.waitlist.enabled): registrations that found a requested day full wait here, in arrival order,
-- for a spot. A row goes when its execution is promoted (its spots are then held in confirmed_registrations, as an
-- approval's are), cancelled or expired. child_key is unique as in confirmed_registrations: a child waits once.
CREATE TABLE waitlist (
    execution_id            VARCHAR(36)     NOT NULL PRIMARY KEY,
    arrival                 BIGINT          NOT NULL,
    child_key               VARCHAR(300)    NOT NULL,
    days_of_week            VARCHAR(100)    NOT NULL,
    registration_document   VARCHAR(1000000) NOT NULL,
    registration_digest     VARCHAR(64),
    since                   TIMESTAMP WITH TIME ZONE NOT NULL,
    CONSTRAINT waitlist_child UNIQUE (child_key),
    CONSTRAINT waitlist_arrival UNIQUE (arrival)
);
