-- Flood control of population-document applications: the keyed hash of the sender's IP
-- address (never the address itself), counted with the NIK hash and the contact per window.
ALTER TABLE cr_applications ADD COLUMN submitted_ip_hash TEXT;
CREATE INDEX cr_applications_ip ON cr_applications(submitted_ip_hash, submitted_at);
