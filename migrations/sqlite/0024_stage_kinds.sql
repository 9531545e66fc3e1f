-- A schedule stage's machine-readable kind beside its free name (DOMAIN.md §3): the election's
-- voting date is its current schedule's `pemungutan_suara` stage. Stages published before get
-- the kind their name says (the usual KPU wording; a re-vote, `ulang`, is no voting day), at
-- most one stage of a kind per version, and each election's voting date follows its current
-- schedule.
ALTER TABLE schedule_stages ADD COLUMN kind TEXT CHECK (kind IN ('pemutakhiran_data_pemilih',
    'pendaftaran_paslon', 'penetapan_paslon', 'kampanye', 'masa_tenang', 'pemungutan_suara',
    'rekapitulasi', 'penetapan_hasil', 'pelantikan'));

UPDATE schedule_stages SET kind = CASE
    WHEN lower(name) LIKE '%ulang%' THEN NULL
    WHEN lower(name) LIKE '%pemungutan suara%' OR lower(name) LIKE '%pencoblosan%' THEN 'pemungutan_suara'
    WHEN lower(name) LIKE '%pemutakhiran%' OR lower(name) LIKE '%daftar pemilih%' THEN 'pemutakhiran_data_pemilih'
    WHEN lower(name) LIKE '%pendaftaran%' AND lower(name) LIKE '%calon%' THEN 'pendaftaran_paslon'
    WHEN lower(name) LIKE '%pendaftaran%' AND lower(name) LIKE '%paslon%' THEN 'pendaftaran_paslon'
    WHEN lower(name) LIKE '%penetapan%' AND (lower(name) LIKE '%hasil%' OR lower(name) LIKE '%terpilih%') THEN 'penetapan_hasil'
    WHEN lower(name) LIKE '%penetapan%' AND (lower(name) LIKE '%calon%' OR lower(name) LIKE '%paslon%') THEN 'penetapan_paslon'
    WHEN lower(name) LIKE '%masa tenang%' THEN 'masa_tenang'
    WHEN lower(name) LIKE '%kampanye%' THEN 'kampanye'
    WHEN lower(name) LIKE '%rekapitulasi%' THEN 'rekapitulasi'
    WHEN lower(name) LIKE '%pelantikan%' THEN 'pelantikan'
    ELSE NULL END;

UPDATE schedule_stages SET kind = NULL
WHERE kind IS NOT NULL AND EXISTS (
    SELECT 1 FROM schedule_stages o
    WHERE o.version_id = schedule_stages.version_id AND o.kind = schedule_stages.kind
      AND o.position < schedule_stages.position);

CREATE UNIQUE INDEX schedule_stages_one_kind ON schedule_stages(version_id, kind)
    WHERE kind IS NOT NULL;

UPDATE elections SET voting_date = (
    SELECT s.start_day FROM schedule_stages s JOIN schedule_versions v ON v.id = s.version_id
    WHERE v.election_id = elections.id AND s.kind = 'pemungutan_suara'
      AND v.version = (SELECT MAX(m.version) FROM schedule_versions m WHERE m.election_id = elections.id))
WHERE EXISTS (
    SELECT 1 FROM schedule_stages s JOIN schedule_versions v ON v.id = s.version_id
    WHERE v.election_id = elections.id AND s.kind = 'pemungutan_suara'
      AND v.version = (SELECT MAX(m.version) FROM schedule_versions m WHERE m.election_id = elections.id));
