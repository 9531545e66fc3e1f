-- Pemilih: a public response's answer clock counts working days on the holiday calendar (the
-- shared `clocks` table, recomputed when the holidays change), and the public form's one-time
-- key, so a second press of its button files nothing new.

ALTER TABLE voter_list_reports ADD COLUMN form_key TEXT;
CREATE UNIQUE INDEX voter_list_reports_form_key ON voter_list_reports(form_key);

-- The cases filed before keep the due day they were given (three calendar days), as clocks:
-- the next change of the holiday calendar recomputes the open ones in working days.
INSERT INTO clocks (subject_kind, subject_id, purpose, start_day, working_days, due_day, open,
                    created_at)
SELECT 'voter_report', CAST(id AS TEXT), 'answer',
       COALESCE(date(filed_at, '+7 hours'), substr(filed_at, 1, 10)), 3,
       COALESCE(date(due_at, '+7 hours'), substr(due_at, 1, 10)), status = 'open', filed_at
FROM voter_list_reports WHERE TRUE
ON CONFLICT (subject_kind, subject_id, purpose) DO NOTHING;
