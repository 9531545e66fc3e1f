//! A standing forum (FKUB, a youth forum, a council of tokoh adat) and its members with their
//! positions and terms (DOMAIN.md §11).

use balai_core::regions::RegionCode;
use time::Date;

use super::invalid::Invalid;
use super::target_group::ForumKind;
use super::text::{date, optional_date, required};

pub const NAME_MAX: usize = 200;

#[derive(Clone, Debug, Default)]
pub struct ForumDraft {
    pub name: String,
    pub kind: String,
    pub region_code: String,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NewForum {
    pub name: String,
    pub kind: ForumKind,
    pub region: RegionCode,
}

pub fn validate(d: &ForumDraft) -> Result<NewForum, Invalid> {
    Ok(NewForum {
        name: required(&d.name, "name", NAME_MAX)?,
        kind: ForumKind::parse(&d.kind).ok_or(Invalid::ForumKind)?,
        region: RegionCode::parse(d.region_code.trim()).map_err(|_| Invalid::BadRegion)?,
    })
}

#[derive(Clone, Debug, Default)]
pub struct MemberDraft {
    pub person: String,
    pub organisation: String,
    pub position: String,
    pub from: String,
    pub to: String,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NewMember {
    pub person: String,
    pub organisation: String,
    pub position: String,
    pub from: Date,
    pub to: Option<Date>,
}

pub fn validate_member(d: &MemberDraft) -> Result<NewMember, Invalid> {
    let from = date(&d.from, "from")?;
    let to = optional_date(&d.to, "to")?;
    if to.is_some_and(|t| t < from) {
        return Err(Invalid::EndsBeforeStart);
    }
    Ok(NewMember {
        person: required(&d.person, "person", NAME_MAX)?,
        organisation: required(&d.organisation, "organisation", NAME_MAX)?,
        position: required(&d.position, "position", NAME_MAX)?,
        from,
        to,
    })
}

/// Is a membership current on `day`?
pub fn current(from: Date, to: Option<Date>, day: Date) -> bool {
    from <= day && to.is_none_or(|t| day <= t)
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

    #[test]
    fn members_and_terms() {
        let m = MemberDraft {
            person: "K.H. Contoh (fiktif)".into(),
            organisation: "MUI Kota Banjar".into(),
            position: "Ketua".into(),
            from: "2023-01-01".into(),
            to: "2027-12-31".into(),
        };
        let n = validate_member(&m).unwrap();
        assert!(current(n.from, n.to, date!(2024 - 06 - 01)));
        assert!(!current(n.from, n.to, date!(2028 - 01 - 01)));
        let mut bad = m.clone();
        bad.to = "2022-12-31".into();
        assert_eq!(validate_member(&bad), Err(Invalid::EndsBeforeStart));
        assert!(validate(&ForumDraft {
            name: "FKUB Kota Banjar".into(),
            kind: "fkub".into(),
            region_code: "32.79".into()
        })
        .is_ok());
    }
}
