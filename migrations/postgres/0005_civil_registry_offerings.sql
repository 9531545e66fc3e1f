-- Which population services each Disdukcapil offers (issue 5). Keep in step with
-- migrations/sqlite/0005_civil_registry_offerings.sql.
-- Rule: a row is an agency's override. A Disdukcapil with no row for an active service offers
-- it (so new agencies and new services need no seeding); active = FALSE withdraws it there.
-- Kelurahan counters offer what their covering Disdukcapil offers.
CREATE TABLE cr_service_offerings (
    agency_id    BIGINT NOT NULL REFERENCES agencies(id),
    service_code TEXT NOT NULL REFERENCES cr_services(code),
    active       BOOLEAN NOT NULL,
    updated_at   TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (agency_id, service_code)
);
