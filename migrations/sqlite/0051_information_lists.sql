-- Keterbukaan informasi: each PPID's Daftar Informasi Publik (UU 14/2008 arts. 9–11 and 17):
-- entries classed berkala / serta_merta / setiap_saat / dikecualikan with their legal basis,
-- the art. 17 ground of an exempt one, their documents (a JSON list of {title, reference}:
-- a link or the reference of a filed copy) and the day the information was last updated.
-- Keep in step with migrations/postgres/0051_information_lists.sql.
CREATE TABLE dip_entries (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    agency_id   INTEGER NOT NULL REFERENCES agencies(id),
    category    TEXT NOT NULL
                CHECK (category IN ('berkala', 'serta_merta', 'setiap_saat', 'dikecualikan')),
    title       TEXT NOT NULL,
    summary     TEXT,
    legal_basis TEXT NOT NULL,
    exemption   TEXT,
    documents   TEXT NOT NULL DEFAULT '[]',
    updated_on  TEXT NOT NULL,
    created_at  TEXT NOT NULL,
    updated_at  TEXT NOT NULL
);
CREATE INDEX dip_entries_agency ON dip_entries(agency_id, category, id);
