-- Population documents (Adminduk). Keep in step with migrations/postgres/0004_civil_registry.sql.
-- The services catalogue is configuration: seeded here with a local service standard as
-- default, edited by an admin in /dukcapil/admin/services.
CREATE TABLE cr_services (
    code            TEXT PRIMARY KEY,
    position        INTEGER NOT NULL,
    name_id         TEXT NOT NULL,
    name_en         TEXT NOT NULL,
    event_kind      TEXT CHECK (event_kind IN ('birth', 'death')),
    late_after_days INTEGER,
    standard_days   INTEGER NOT NULL CHECK (standard_days >= 0),
    fee_rupiah      INTEGER NOT NULL DEFAULT 0 CHECK (fee_rupiah >= 0),
    requirements    TEXT NOT NULL,
    active          BOOLEAN NOT NULL DEFAULT TRUE,
    updated_at      TEXT
);

CREATE TABLE cr_applications (
    id                    INTEGER PRIMARY KEY AUTOINCREMENT,
    tracking_code         TEXT NOT NULL UNIQUE,
    secret_hash           TEXT NOT NULL,
    service_code          TEXT NOT NULL REFERENCES cr_services(code),
    channel               TEXT NOT NULL CHECK (channel IN ('online', 'counter')),
    status                TEXT NOT NULL,
    kelurahan_code        TEXT NOT NULL REFERENCES regions(code),
    disdukcapil_agency_id INTEGER NOT NULL REFERENCES agencies(id),
    counter_agency_id     INTEGER REFERENCES agencies(id),
    applicant_name        TEXT NOT NULL,
    nik_enc               BLOB NOT NULL,
    nik_hash              TEXT NOT NULL,
    nik_masked            TEXT NOT NULL,
    kk_enc                BLOB NOT NULL,
    kk_hash               TEXT NOT NULL,
    kk_masked             TEXT NOT NULL,
    birth_date            TEXT NOT NULL,
    sex                   TEXT NOT NULL CHECK (sex IN ('L', 'P')),
    contact_phone         TEXT,
    contact_email         TEXT,
    event_date            TEXT,
    late                  BOOLEAN NOT NULL DEFAULT FALSE,
    filed_by_user_id      INTEGER REFERENCES users(id),
    assignee_user_id      INTEGER REFERENCES users(id),
    reason                TEXT,
    due_day               TEXT NOT NULL,
    submitted_at          TEXT NOT NULL,
    completed_at          TEXT,
    updated_at            TEXT NOT NULL
);
CREATE INDEX cr_applications_region ON cr_applications(kelurahan_code);
CREATE INDEX cr_applications_status ON cr_applications(status, due_day);
CREATE INDEX cr_applications_nik ON cr_applications(nik_hash);
CREATE INDEX cr_applications_submitted ON cr_applications(submitted_at);

CREATE TABLE cr_documents (
    id              INTEGER PRIMARY KEY AUTOINCREMENT,
    application_id  INTEGER NOT NULL REFERENCES cr_applications(id),
    requirement_key TEXT NOT NULL,
    filename        TEXT NOT NULL,
    content_type    TEXT NOT NULL,
    size_bytes      INTEGER NOT NULL,
    data            BLOB NOT NULL,
    uploaded_at     TEXT NOT NULL
);
CREATE INDEX cr_documents_application ON cr_documents(application_id);

CREATE TABLE cr_history (
    id             INTEGER PRIMARY KEY AUTOINCREMENT,
    application_id INTEGER NOT NULL REFERENCES cr_applications(id),
    at             TEXT NOT NULL,
    action         TEXT NOT NULL,
    from_status    TEXT,
    to_status      TEXT NOT NULL,
    actor_label    TEXT NOT NULL,
    note           TEXT
);
CREATE INDEX cr_history_application ON cr_history(application_id);

INSERT INTO cr_services (code, position, name_id, name_en, event_kind, late_after_days, standard_days, fee_rupiah, requirements, active)
  VALUES ('kk_baru', 1, 'Kartu Keluarga baru', 'New family card (KK)', NULL, NULL, 3, 0, '[{"key": "buku_nikah", "label_id": "Buku nikah / akta perkawinan", "label_en": "Marriage certificate", "upload": true, "required": true}, {"key": "kk_asal", "label_id": "Kartu Keluarga asal", "label_en": "Original family card", "upload": true, "required": true}, {"key": "surat_pengantar", "label_id": "Surat pengantar RT/RW", "label_en": "RT/RW cover letter", "upload": true, "required": false}]', TRUE);
INSERT INTO cr_services (code, position, name_id, name_en, event_kind, late_after_days, standard_days, fee_rupiah, requirements, active)
  VALUES ('kk_perubahan', 2, 'Kartu Keluarga — perubahan data', 'Family card: change of data', NULL, NULL, 3, 0, '[{"key": "kk_lama", "label_id": "Kartu Keluarga lama", "label_en": "Current family card", "upload": true, "required": true}, {"key": "bukti_perubahan", "label_id": "Bukti perubahan (akta, surat nikah, ijazah)", "label_en": "Evidence of the change", "upload": true, "required": true}]', TRUE);
INSERT INTO cr_services (code, position, name_id, name_en, event_kind, late_after_days, standard_days, fee_rupiah, requirements, active)
  VALUES ('kk_penggantian', 3, 'Kartu Keluarga — penggantian (hilang/rusak)', 'Family card: replacement (lost/damaged)', NULL, NULL, 3, 0, '[{"key": "surat_kehilangan", "label_id": "Surat keterangan hilang dari kepolisian", "label_en": "Police report of loss", "upload": true, "required": false}, {"key": "kk_rusak", "label_id": "Kartu Keluarga yang rusak", "label_en": "The damaged family card", "upload": false, "required": false}]', TRUE);
INSERT INTO cr_services (code, position, name_id, name_en, event_kind, late_after_days, standard_days, fee_rupiah, requirements, active)
  VALUES ('ktp_baru', 4, 'KTP-el baru', 'New electronic ID card (KTP-el)', NULL, NULL, 14, 0, '[{"key": "kk", "label_id": "Kartu Keluarga", "label_en": "Family card", "upload": true, "required": true}]', TRUE);
INSERT INTO cr_services (code, position, name_id, name_en, event_kind, late_after_days, standard_days, fee_rupiah, requirements, active)
  VALUES ('ktp_penggantian', 5, 'KTP-el — penggantian (hilang/rusak)', 'KTP-el: replacement (lost/damaged)', NULL, NULL, 7, 0, '[{"key": "kk", "label_id": "Kartu Keluarga", "label_en": "Family card", "upload": true, "required": true}, {"key": "surat_kehilangan", "label_id": "Surat keterangan hilang dari kepolisian", "label_en": "Police report of loss", "upload": true, "required": false}, {"key": "ktp_rusak", "label_id": "KTP-el yang rusak", "label_en": "The damaged KTP-el", "upload": false, "required": false}]', TRUE);
INSERT INTO cr_services (code, position, name_id, name_en, event_kind, late_after_days, standard_days, fee_rupiah, requirements, active)
  VALUES ('pindah', 6, 'Surat Keterangan Pindah (SKPWNI)', 'Certificate of moving out (SKPWNI)', NULL, NULL, 1, 0, '[{"key": "kk", "label_id": "Kartu Keluarga", "label_en": "Family card", "upload": true, "required": true}, {"key": "ktp", "label_id": "KTP-el", "label_en": "KTP-el", "upload": true, "required": true}]', TRUE);
INSERT INTO cr_services (code, position, name_id, name_en, event_kind, late_after_days, standard_days, fee_rupiah, requirements, active)
  VALUES ('datang', 7, 'Surat Keterangan Datang', 'Certificate of arrival', NULL, NULL, 1, 0, '[{"key": "skpwni", "label_id": "Surat Keterangan Pindah dari daerah asal", "label_en": "Moving-out certificate from the origin", "upload": true, "required": true}, {"key": "ktp", "label_id": "KTP-el", "label_en": "KTP-el", "upload": true, "required": false}]', TRUE);
INSERT INTO cr_services (code, position, name_id, name_en, event_kind, late_after_days, standard_days, fee_rupiah, requirements, active)
  VALUES ('akta_kelahiran', 8, 'Akta Kelahiran', 'Birth certificate', 'birth', 60, 3, 0, '[{"key": "surat_kelahiran", "label_id": "Surat keterangan lahir dari bidan/rumah sakit", "label_en": "Birth notice from the midwife or hospital", "upload": true, "required": true}, {"key": "kk", "label_id": "Kartu Keluarga orang tua", "label_en": "Parents'' family card", "upload": true, "required": true}, {"key": "buku_nikah", "label_id": "Buku nikah orang tua", "label_en": "Parents'' marriage certificate", "upload": true, "required": false}]', TRUE);
INSERT INTO cr_services (code, position, name_id, name_en, event_kind, late_after_days, standard_days, fee_rupiah, requirements, active)
  VALUES ('akta_kematian', 9, 'Akta Kematian', 'Death certificate', 'death', 30, 3, 0, '[{"key": "surat_kematian", "label_id": "Surat keterangan kematian", "label_en": "Death notice", "upload": true, "required": true}, {"key": "kk", "label_id": "Kartu Keluarga almarhum", "label_en": "Family card of the deceased", "upload": true, "required": true}]', TRUE);
