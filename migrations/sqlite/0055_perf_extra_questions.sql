-- Kinerja: a unit's own extra survey questions, asked after the nine elements and reported
-- apart from them. Never part of the IKM (PermenPANRB 14/2017 fixes its nine elements).

CREATE TABLE perf_extra_questions (
    id         INTEGER PRIMARY KEY,
    agency_id  INTEGER NOT NULL REFERENCES agencies(id),
    text_id    TEXT NOT NULL,
    text_en    TEXT NOT NULL DEFAULT '',
    active     BOOLEAN NOT NULL DEFAULT TRUE,
    created_at TEXT NOT NULL
);
CREATE INDEX perf_extra_questions_agency ON perf_extra_questions(agency_id);

-- An answer's score (1–4) to an extra question; kept with the answer, as anonymous as it.
CREATE TABLE perf_extra_answers (
    response_id INTEGER NOT NULL REFERENCES perf_survey_responses(id),
    question_id INTEGER NOT NULL REFERENCES perf_extra_questions(id),
    score       INTEGER NOT NULL CHECK (score BETWEEN 1 AND 4),
    PRIMARY KEY (response_id, question_id)
);
CREATE INDEX perf_extra_answers_question ON perf_extra_answers(question_id);
