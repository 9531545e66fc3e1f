//! The village finder: every word of a query is matched against a region's own name and its
//! ancestors' names (`mekarsari banjar` finds Mekarsari in Kec. Banjar, Kota Banjar), accents,
//! apostrophes and case ignored, ranked, optionally inside one region (a chosen regency).
//!
//! The hierarchy is the shipped, pinned list ([`super::REGIONS_TSV`], the same rows
//! [`super::load_if_empty`] writes to either backend), so the index is built once in memory
//! and a query never touches the database: the same answer, equally fast, on SQLite and
//! PostgreSQL.

use std::collections::HashMap;
use std::sync::LazyLock;

use serde::Serialize;

use super::Level;

struct Entry {
    code: &'static str,
    name: &'static str,
    level: Level,
    parent: Option<u32>,
    /// The folded name ([`fold`]) and its words.
    folded: String,
    words: Vec<String>,
    /// The folded names of the region and its ancestors, `|`-separated: one substring test
    /// per query word rules out almost every region before any scoring.
    chain: String,
}

static INDEX: LazyLock<Vec<Entry>> = LazyLock::new(build);

fn build() -> Vec<Entry> {
    let mut out: Vec<Entry> = Vec::with_capacity(super::EXPECTED_COUNT);
    let mut at: HashMap<&'static str, u32> = HashMap::with_capacity(super::EXPECTED_COUNT);
    for line in super::REGIONS_TSV.lines() {
        let Some((code, name)) = line.split_once('\t') else {
            continue;
        };
        // Parents come first in the file (sorted by code).
        let parent = code.rfind('.').and_then(|i| at.get(&code[..i]).copied());
        let folded = fold(name);
        let words = folded.split(' ').map(str::to_string).collect();
        let chain = match parent.and_then(|p| out.get(p as usize)) {
            Some(p) => format!("{folded}|{}", p.chain),
            None => folded.clone(),
        };
        if let Ok(i) = u32::try_from(out.len()) {
            at.insert(code, i);
        }
        out.push(Entry {
            code,
            name,
            level: Level::of(code),
            parent,
            folded,
            words,
            chain,
        });
    }
    out
}

/// Build the index now (at start), so the first citizen's search does not wait for it.
pub fn warm() {
    LazyLock::force(&INDEX);
}

/// Lower case, accents dropped (`é` → `e`), apostrophes removed (`Regapu’u` → `regapuu`),
/// anything else that is not a letter or digit a single space.
pub fn fold(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut space = true;
    for ch in s.chars().flat_map(char::to_lowercase) {
        if matches!(ch, '\'' | '’' | '‘' | '`' | '´') {
            continue;
        }
        let base = match ch {
            'à' | 'á' | 'â' | 'ã' | 'ä' | 'å' | 'ā' => 'a',
            'è' | 'é' | 'ê' | 'ë' | 'ē' => 'e',
            'ì' | 'í' | 'î' | 'ï' | 'ī' => 'i',
            'ò' | 'ó' | 'ô' | 'õ' | 'ö' | 'ō' => 'o',
            'ù' | 'ú' | 'û' | 'ü' | 'ū' => 'u',
            'ñ' => 'n',
            'ç' => 'c',
            'ý' | 'ÿ' => 'y',
            c => c,
        };
        if base.is_alphanumeric() {
            out.push(base);
            space = false;
        } else if !space {
            out.push(' ');
            space = true;
        }
    }
    if out.ends_with(' ') {
        out.pop();
    }
    out
}

/// What to look for.
#[derive(Clone, Debug, Default)]
pub struct Query<'a> {
    pub text: &'a str,
    /// Only regions of this level (villages, for the forms).
    pub level: Option<Level>,
    /// Only regions inside this one (a chosen regency's code, say).
    pub within: Option<&'a str>,
    pub limit: usize,
}

/// One found region, with the names of its ancestors (district, regency, province).
#[derive(Clone, Debug, Serialize, PartialEq, Eq)]
pub struct Hit {
    pub code: &'static str,
    pub name: &'static str,
    pub level: Level,
    pub parent: Option<&'static str>,
    /// The ancestors, nearest first: `[Banjar, Kota Banjar, Jawa Barat]` for Mekarsari.
    pub ancestors: Vec<(&'static str, &'static str)>,
}

impl Hit {
    /// `Mekarsari — Kec. Banjar, Kota Banjar, Jawa Barat` (Kec. and Kab. are the names'
    /// own words, in either language).
    pub fn label(&self) -> String {
        if self.ancestors.is_empty() {
            return self.name.to_string();
        }
        format!("{} — {}", self.name, self.place())
    }

    /// `Kec. Banjar, Kota Banjar, Jawa Barat`: where the region lies.
    pub fn place(&self) -> String {
        self.ancestors
            .iter()
            .map(|(code, name)| ancestor_name(code, name))
            .collect::<Vec<_>>()
            .join(", ")
    }
}

/// An ancestor's name as people say it: districts with `Kec.`, regencies shortened to `Kab.`.
fn ancestor_name(code: &str, name: &str) -> String {
    match Level::of(code) {
        Level::District => format!("Kec. {name}"),
        Level::Regency => match name.strip_prefix("Kabupaten ") {
            Some(rest) => format!("Kab. {rest}"),
            None => name.to_string(),
        },
        _ => name.to_string(),
    }
}

/// How well a query word matches a name: a whole word 3, the start of a word 2, inside it 1.
fn quality(word: &str, e: &Entry) -> u32 {
    if !e.folded.contains(word) {
        return 0;
    }
    if e.words.iter().any(|w| w == word) {
        3
    } else if e.words.iter().any(|w| w.starts_with(word)) {
        2
    } else {
        1
    }
}

/// The chain of an entry: itself, then its ancestors.
fn chain(index: &[Entry], i: usize) -> impl Iterator<Item = &Entry> {
    let mut cur = index.get(i);
    std::iter::from_fn(move || {
        let e = cur?;
        cur = e.parent.and_then(|p| index.get(p as usize));
        Some(e)
    })
}

/// What a query found: the best hits, how many matched in all, and the regencies the matches
/// lie in (most matches first), to narrow a search down.
#[derive(Clone, Debug, Default)]
pub struct Found {
    pub hits: Vec<Hit>,
    pub total: usize,
    /// `(regency code, "Kota Banjar, Jawa Barat", matches)`.
    pub regencies: Vec<(&'static str, String, usize)>,
}

/// The regions whose chain of names holds every word of the query, best first (see [`search`]).
pub fn find(q: &Query<'_>) -> Vec<Hit> {
    search(q).hits
}

/// The regions whose chain of names holds every word of the query, best first: the region's
/// own name matching best, then its whole name typed, then the whole chain matching best, then
/// larger regions, then the chain with more matching names (Mekarsari of *Kec. Banjar, Kota Banjar* before Mekarsari of
/// Kab. Banjar for `mekarsari banjar`), then by name and code. Fewer than two letters find
/// nothing.
pub fn search(q: &Query<'_>) -> Found {
    let folded = fold(q.text);
    let mut words: Vec<&str> = folded.split(' ').filter(|w| !w.is_empty()).collect();
    words.sort_unstable();
    words.dedup();
    if folded.chars().filter(|c| c.is_alphanumeric()).count() < 2 || words.is_empty() {
        return Found::default();
    }
    words.truncate(6);
    let index = &*INDEX;
    let n = words.len();
    let within = q.within.filter(|w| !w.is_empty());
    let mut scored: Vec<Scored> = Vec::new();
    for (i, e) in index.iter().enumerate() {
        if q.level.is_some_and(|l| l != e.level) {
            continue;
        }
        if let Some(w) = within {
            if !(e.code.starts_with(w) && e.code.as_bytes().get(w.len()) == Some(&b'.')) {
                continue;
            }
        }
        if !words.iter().all(|w| e.chain.contains(w)) {
            continue;
        }
        // Every word occurs somewhere in the chain: score each name of it.
        let mut best = [0u32; 6];
        let best = &mut best[..n];
        let mut own_score = 0u32;
        let mut names = 0u32;
        for (depth, a) in chain(index, i).enumerate() {
            let mut any = false;
            for (b, w) in best.iter_mut().zip(&words) {
                let s = quality(w, a);
                if s > 0 {
                    any = true;
                    *b = (*b).max(s);
                    if depth == 0 {
                        own_score += s;
                    }
                }
            }
            names += u32::from(any);
        }
        if best.contains(&0) {
            continue;
        }
        let total: u32 = best.iter().sum();
        // The whole name typed (`mekarsari` for Mekarsari, not for Kembang Mekarsari; `banjar`
        // for Kota Banjar: the kind of region is not part of the name).
        let whole = e
            .words
            .iter()
            .filter(|w| !matches!(w.as_str(), "kota" | "kabupaten" | "kab" | "kec"))
            .all(|w| words.contains(&w.as_str()));
        scored.push(Scored {
            own: own_score,
            whole,
            total,
            level: e.level.number(),
            names,
            i,
        });
    }
    let mut by_regency: HashMap<&'static str, usize> = HashMap::new();
    for s in &scored {
        let code = index[s.i].code;
        if code.len() >= 5 {
            *by_regency.entry(&code[..5]).or_default() += 1;
        }
    }
    let mut regencies: Vec<(&'static str, String, usize)> = by_regency
        .into_iter()
        .filter_map(|(code, count)| {
            let h = get(code)?;
            Some((
                h.code,
                format!("{}, {}", ancestor_name(h.code, h.name), h.place()),
                count,
            ))
        })
        .collect();
    regencies.sort_by(|a, b| b.2.cmp(&a.2).then(a.1.cmp(&b.1)));
    let limit = q.limit.max(1);
    let total = scored.len();
    if total > limit {
        scored.select_nth_unstable_by(limit - 1, |a, b| rank(index, a, b));
        scored.truncate(limit);
    }
    scored.sort_by(|a, b| rank(index, a, b));
    Found {
        hits: scored.into_iter().map(|s| hit(index, s.i)).collect(),
        total,
        regencies,
    }
}

/// A region that matched, with what ranks it.
struct Scored {
    /// How well the region's own name matched.
    own: u32,
    /// Every word of the own name was typed.
    whole: bool,
    /// How well the chain matched.
    total: u32,
    level: i64,
    /// How many names of the chain matched a word.
    names: u32,
    i: usize,
}

fn rank(index: &[Entry], a: &Scored, b: &Scored) -> std::cmp::Ordering {
    b.own
        .cmp(&a.own)
        .then(b.whole.cmp(&a.whole))
        .then(b.total.cmp(&a.total))
        .then(a.level.cmp(&b.level))
        .then(b.names.cmp(&a.names))
        .then(index[a.i].name.cmp(index[b.i].name))
        .then(index[a.i].code.cmp(index[b.i].code))
}

fn hit(index: &[Entry], i: usize) -> Hit {
    let e = &index[i];
    Hit {
        code: e.code,
        name: e.name,
        level: e.level,
        parent: e.parent.map(|p| index[p as usize].code),
        ancestors: chain(index, i).skip(1).map(|a| (a.code, a.name)).collect(),
    }
}

/// The region with this code, with its ancestors (to show a chosen village by its names).
pub fn get(code: &str) -> Option<Hit> {
    let index = &*INDEX;
    let i = index.binary_search_by(|e| e.code.cmp(code)).ok()?;
    Some(hit(index, i))
}

/// The regencies and cities, as `(code, "Kota Banjar, Jawa Barat")`, by name (the finder's
/// narrowing choice).
pub fn regencies() -> &'static [(&'static str, String)] {
    static LIST: LazyLock<Vec<(&'static str, String)>> = LazyLock::new(regency_list);
    &LIST
}

fn regency_list() -> Vec<(&'static str, String)> {
    let index = &*INDEX;
    let mut out: Vec<(&'static str, String)> = index
        .iter()
        .enumerate()
        .filter(|(_, e)| e.level == Level::Regency)
        .map(|(i, e)| {
            let h = hit(index, i);
            (
                e.code,
                format!("{}, {}", ancestor_name(e.code, e.name), h.place()),
            )
        })
        .collect();
    out.sort_by(|a, b| a.1.cmp(&b.1));
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn codes(
        text: &str,
        level: Option<Level>,
        within: Option<&str>,
        n: usize,
    ) -> Vec<&'static str> {
        find(&Query {
            text,
            level,
            within,
            limit: n,
        })
        .into_iter()
        .map(|h| h.code)
        .collect()
    }

    #[test]
    fn folds_accents_case_and_apostrophes() {
        assert_eq!(fold("Regapu’u"), "regapuu");
        assert_eq!(fold("  MÉKARSARI,  Banjar "), "mekarsari banjar");
        assert_eq!(fold("Kec. Banjar"), "kec banjar");
    }

    #[test]
    fn every_word_against_the_chain_ranked() {
        let top = codes("mekarsari banjar", Some(Level::Village), None, 5);
        assert_eq!(top.first(), Some(&"32.79.01.1002"), "{top:?}");
        // Accents and case do not matter.
        assert_eq!(
            codes("MÉKARSARI Banjar", Some(Level::Village), None, 1),
            vec!["32.79.01.1002"]
        );
        // Larger regions first for one word: the two regencies named Banjar lead.
        let any = codes("banjar", None, None, 2);
        let mut any_sorted = any.clone();
        any_sorted.sort_unstable();
        assert_eq!(any_sorted, vec!["32.79", "63.03"]);
        // Narrowed by a regency: only its villages.
        let inside = codes("mekarsari", Some(Level::Village), Some("32.79"), 10);
        assert_eq!(inside, vec!["32.79.01.1002"]);
        assert!(codes("zzzzqq", None, None, 5).is_empty());
        assert!(codes("a", None, None, 5).is_empty());
        assert_eq!(codes("regapuu", None, None, 1), vec!["53.07.01.2021"]);
    }

    #[test]
    fn label_names_the_chain() {
        let h = get("32.79.01.1002").unwrap();
        assert_eq!(
            h.label(),
            "Mekarsari — Kec. Banjar, Kota Banjar, Jawa Barat"
        );
        assert_eq!(
            get("63.03").unwrap().label(),
            "Kabupaten Banjar — Kalimantan Selatan"
        );
        assert!(regencies()
            .iter()
            .any(|(c, n)| *c == "32.79" && n == "Kota Banjar, Jawa Barat"));
        assert_eq!(regencies().len(), 514);
    }
}
