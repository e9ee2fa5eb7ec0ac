-- Digests that let a repeated submission be recognised without comparing documents: SHA-256 of the canonical
-- JSON (keys sorted, whitespace dropped), in hex.
-- The whole submitted document, kept with its Idempotency-Key: the same key with another document is refused.
ALTER TABLE executions ADD COLUMN request_digest VARCHAR(64);
-- The confirmed registration_info: the same child with the same registration is a retry, with another one is
-- AlreadyRegistered.
ALTER TABLE confirmed_registrations ADD COLUMN registration_digest VARCHAR(64);
