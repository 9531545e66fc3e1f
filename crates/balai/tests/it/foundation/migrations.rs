//! The SQLite and PostgreSQL migrations stay paired: a schema change ships as one file per
//! backend, with the same name and (from 0015 on) the same number, so neither backend's schema
//! falls behind the other. The few migrations of one backend only, and the numbers they
//! shifted on the other, are listed here.

use std::collections::BTreeMap;
use std::path::Path;

/// PostgreSQL migrations with no SQLite twin.
const POSTGRES_ONLY: [u32; 2] = [
    9,  // totals_fillfactor: SQLite updates rows in place
    12, // entries_keyed_by_tps: SQLite would have to rebuild its tables to change their keys
];

/// SQLite migrations with no PostgreSQL twin.
const SQLITE_ONLY: [u32; 0] = [];

/// Twins under different numbers, as (PostgreSQL, SQLite): those after a one-sided migration.
const SHIFTED: [(u32, u32); 4] = [(10, 9), (11, 10), (13, 11), (14, 12)];

/// The highest number each backend used before numbers were paired again: below
/// [`PAIRED_FROM`] these are all taken, and no new file goes there.
const LAST_UNPAIRED_SQLITE: u32 = 12;
const LAST_UNPAIRED_POSTGRES: u32 = 14;

/// From this number on, each migration has the same number on both backends, so the next
/// migration is numbered alike on both (at least 0015).
const PAIRED_FROM: u32 = 15;

/// The migrations of one backend: number → name (the file name without number and `.sql`).
fn migrations(backend: &str) -> BTreeMap<u32, String> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../migrations")
        .join(backend);
    let mut found = BTreeMap::new();
    for entry in std::fs::read_dir(&dir).unwrap_or_else(|e| panic!("{}: {e}", dir.display())) {
        let file = entry.unwrap().file_name().into_string().unwrap();
        let stem = file
            .strip_suffix(".sql")
            .unwrap_or_else(|| panic!("{backend}/{file}: a migration is a .sql file"));
        let (number, name) = stem
            .split_once('_')
            .unwrap_or_else(|| panic!("{backend}/{file}: not named NNNN_name.sql"));
        assert_eq!(number.len(), 4, "{backend}/{file}: not named NNNN_name.sql");
        let number: u32 = number
            .parse()
            .unwrap_or_else(|_| panic!("{backend}/{file}: not named NNNN_name.sql"));
        if let Some(other) = found.insert(number, name.to_string()) {
            panic!("{backend}: two migrations numbered {number:04} ({other} and {name})");
        }
    }
    found
}

/// The number of `number`'s twin on the other backend, `None` for a one-sided migration.
fn twin(
    number: u32,
    one_sided: &[u32],
    shifted: impl Fn(&(u32, u32)) -> Option<u32>,
) -> Option<u32> {
    if one_sided.contains(&number) {
        return None;
    }
    Some(SHIFTED.iter().find_map(shifted).unwrap_or(number))
}

fn postgres_twin(number: u32) -> Option<u32> {
    twin(number, &POSTGRES_ONLY, |&(pg, sqlite)| {
        (pg == number).then_some(sqlite)
    })
}

fn sqlite_twin(number: u32) -> Option<u32> {
    twin(number, &SQLITE_ONLY, |&(pg, sqlite)| {
        (sqlite == number).then_some(pg)
    })
}

/// Every migration of `from` whose twin is missing on `to` or named differently there.
fn unpaired(
    from: (&str, &BTreeMap<u32, String>),
    to: (&str, &BTreeMap<u32, String>),
    twin_of: fn(u32) -> Option<u32>,
) -> Vec<String> {
    let mut problems = Vec::new();
    for (&number, name) in from.1 {
        let Some(expected) = twin_of(number) else {
            continue;
        };
        match to.1.get(&expected) {
            Some(other) if other == name => {}
            Some(other) => problems.push(format!(
                "{}/{number:04}_{name}.sql: its twin {}/{expected:04} is named {other}",
                from.0, to.0
            )),
            None => problems.push(format!(
                "{}/{number:04}_{name}.sql has no twin {}/{expected:04}_{name}.sql",
                from.0, to.0
            )),
        }
    }
    problems
}

/// Numbers below [`PAIRED_FROM`] are exactly the ones taken before pairing (1..=last).
fn below_paired_from(backend: &str, all: &BTreeMap<u32, String>, last: u32) -> Vec<String> {
    let taken: Vec<u32> = all.keys().copied().filter(|&n| n < PAIRED_FROM).collect();
    if taken == (1..=last).collect::<Vec<_>>() {
        return Vec::new();
    }
    vec![format!(
        "{backend}: numbers below {PAIRED_FROM:04} are {taken:?}, expected 1..={last}; \
         a new migration is numbered {PAIRED_FROM:04} or above, the same on both backends"
    )]
}

#[test]
fn every_migration_has_its_twin_on_the_other_backend() {
    let sqlite = migrations("sqlite");
    let postgres = migrations("postgres");
    let mut problems = unpaired(("postgres", &postgres), ("sqlite", &sqlite), postgres_twin);
    problems.extend(unpaired(
        ("sqlite", &sqlite),
        ("postgres", &postgres),
        sqlite_twin,
    ));
    problems.extend(below_paired_from("sqlite", &sqlite, LAST_UNPAIRED_SQLITE));
    problems.extend(below_paired_from(
        "postgres",
        &postgres,
        LAST_UNPAIRED_POSTGRES,
    ));
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

#[test]
fn the_table_of_one_sided_and_shifted_migrations_is_current() {
    let sqlite = migrations("sqlite");
    let postgres = migrations("postgres");
    for n in POSTGRES_ONLY {
        assert!(
            postgres.contains_key(&n),
            "postgres/{n:04} is listed but missing"
        );
    }
    for n in SQLITE_ONLY {
        assert!(
            sqlite.contains_key(&n),
            "sqlite/{n:04} is listed but missing"
        );
    }
    for (pg, sq) in SHIFTED {
        assert!(
            postgres.contains_key(&pg),
            "postgres/{pg:04} is listed but missing"
        );
        assert!(
            sqlite.contains_key(&sq),
            "sqlite/{sq:04} is listed but missing"
        );
    }
    let listed = POSTGRES_ONLY
        .iter()
        .chain(&SQLITE_ONLY)
        .chain(SHIFTED.iter().flat_map(|(pg, sq)| [pg, sq]))
        .chain([&LAST_UNPAIRED_SQLITE, &LAST_UNPAIRED_POSTGRES]);
    for &n in listed {
        assert!(
            n < PAIRED_FROM,
            "{n:04} is listed as unpaired but numbers from {PAIRED_FROM:04} on are paired"
        );
    }
    // From PAIRED_FROM on the newest migration has the same number on both backends.
    let newest = |m: &BTreeMap<u32, String>| m.keys().copied().filter(|&n| n >= PAIRED_FROM).max();
    assert_eq!(newest(&sqlite), newest(&postgres));
}
