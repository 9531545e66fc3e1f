-- The event a birth (or death) registration is about, beside the applicant: the child's name,
-- place, date and time of birth and the parents' names and NIKs, as AES-256-GCM encrypted JSON
-- (the parents' NIKs are personal data like the applicant's).
ALTER TABLE cr_applications ADD COLUMN details_enc BYTEA;
