//! The columns of `result_entries` a submission writes, declared once: the SQLite `INSERT`
//! (its `?n` list) and the PostgreSQL `INSERT … SELECT … FROM UNNEST` (its casts and `$n`
//! list) are built from this table, and both backends bind the values in its order.

/// One column of `result_entries` as a submission writes it.
pub(super) struct Col {
    pub(super) name: &'static str,
    /// PostgreSQL's element type of the bound array.
    pub(super) pg: &'static str,
    /// Not a per-row value: the statement's time (PostgreSQL binds it once, as `$1`).
    pub(super) at: bool,
    /// PostgreSQL: the type the bound value is cast to in the `SELECT`.
    pub(super) cast: Option<&'static str>,
}

const fn col(name: &'static str, pg: &'static str) -> Col {
    Col {
        name,
        pg,
        at: false,
        cast: None,
    }
}

/// In binding order. `id` comes first on PostgreSQL (reserved ids); SQLite assigns it.
pub(super) const ENTRY: [Col; 20] = [
    col("election_id", "bigint"),
    col("tps_id", "bigint"),
    col("version", "bigint"),
    col("kind", "text"),
    col("psu_ref", "text"),
    col("reason", "text"),
    col("operator_user_id", "bigint"),
    col("operator_label", "text"),
    Col {
        name: "entered_at",
        pg: "timestamptz",
        at: true,
        cast: None,
    },
    col("form", "text"),
    col("content_hash", "text"),
    col("confirmed_paper", "bool"),
    col("has_errors", "bool"),
    col("findings", "text"),
    col("warning_count", "bigint"),
    col("dpt", "bigint"),
    col("pengguna", "bigint"),
    col("suara_sah", "bigint"),
    col("suara_tidak_sah", "bigint"),
    Col {
        name: "votes",
        pg: "text",
        at: false,
        cast: Some("BIGINT[]"),
    },
];

fn join(parts: impl Iterator<Item = String>) -> String {
    parts.collect::<Vec<_>>().join(", ")
}

/// SQLite: one row, `?1` … `?20` in [`ENTRY`] order.
pub(super) fn sqlite_insert() -> String {
    format!(
        "INSERT INTO result_entries ({}) VALUES ({})",
        join(ENTRY.iter().map(|c| c.name.to_string())),
        join((1..=ENTRY.len()).map(|i| format!("?{i}"))),
    )
}

/// PostgreSQL: every row from arrays, `$1` the time, `$2` the ids, then one array per
/// per-row column of [`ENTRY`] (`$3` …); returns the statement and the last parameter used.
pub(super) fn pg_insert() -> (String, usize) {
    let rows: Vec<&Col> = ENTRY.iter().filter(|c| !c.at).collect();
    let select = ENTRY.iter().map(|c| match (c.at, c.cast) {
        (true, _) => "$1".to_string(),
        (false, Some(t)) => format!("CAST(x.{} AS {t})", c.name),
        (false, None) => format!("x.{}", c.name),
    });
    let arrays = rows
        .iter()
        .enumerate()
        .map(|(i, c)| format!("${}::{}[]", i + 3, c.pg));
    let sql = format!(
        "INSERT INTO result_entries (id, {})
           SELECT x.id, {}
           FROM UNNEST($2::bigint[], {})
             AS x(id, {})",
        join(ENTRY.iter().map(|c| c.name.to_string())),
        join(select),
        join(arrays),
        join(rows.iter().map(|c| c.name.to_string())),
    );
    (sql, rows.len() + 2)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words(s: &str) -> String {
        s.split_whitespace().collect::<Vec<_>>().join(" ")
    }

    #[test]
    fn the_statements_are_the_hand_written_ones() {
        assert_eq!(
            words(&sqlite_insert()),
            words(
                "INSERT INTO result_entries (election_id, tps_id, version, kind, psu_ref, reason,
                   operator_user_id, operator_label, entered_at, form, content_hash, confirmed_paper,
                   has_errors, findings, warning_count, dpt, pengguna, suara_sah, suara_tidak_sah,
                   votes)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17,
                   ?18, ?19, ?20)"
            )
        );
        let (pg, last) = pg_insert();
        assert_eq!(last, 21);
        assert_eq!(
            words(&pg),
            words(
                "INSERT INTO result_entries (id, election_id, tps_id, version, kind, psu_ref, reason,
                   operator_user_id, operator_label, entered_at, form, content_hash, confirmed_paper,
                   has_errors, findings, warning_count, dpt, pengguna, suara_sah, suara_tidak_sah,
                   votes)
                 SELECT x.id, x.election_id, x.tps_id, x.version, x.kind, x.psu_ref, x.reason,
                   x.operator_user_id, x.operator_label, $1, x.form, x.content_hash,
                   x.confirmed_paper, x.has_errors, x.findings, x.warning_count, x.dpt, x.pengguna,
                   x.suara_sah, x.suara_tidak_sah, CAST(x.votes AS BIGINT[])
                 FROM UNNEST($2::bigint[], $3::bigint[], $4::bigint[], $5::bigint[], $6::text[],
                   $7::text[], $8::text[], $9::bigint[], $10::text[], $11::text[], $12::text[],
                   $13::bool[], $14::bool[], $15::text[], $16::bigint[], $17::bigint[], $18::bigint[],
                   $19::bigint[], $20::bigint[], $21::text[])
                   AS x(id, election_id, tps_id, version, kind, psu_ref, reason, operator_user_id,
                     operator_label, form, content_hash, confirmed_paper, has_errors, findings,
                     warning_count, dpt, pengguna, suara_sah, suara_tidak_sah, votes)"
            )
        );
    }
}
