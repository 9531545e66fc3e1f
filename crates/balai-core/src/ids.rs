//! Typed ids: a row's id is a distinct type per table, so that an election id cannot be passed
//! where a TPS id is meant (`get_tps(db, election, tps)` takes an `ElectionId` and a `TpsId`).
//! Each is an `i64` in the database, in JSON and in URLs.

/// Declare id newtypes: transparent in SQL (both backends), serde and OpenAPI.
#[macro_export]
macro_rules! id_newtype {
    ($($(#[$doc:meta])* $name:ident),+ $(,)?) => {$(
        $(#[$doc])*
        #[derive(
            Clone, Copy, Debug, Default, PartialEq, Eq, Hash, PartialOrd, Ord,
            serde::Serialize, serde::Deserialize, sqlx::Type, utoipa::ToSchema,
        )]
        #[serde(transparent)]
        #[sqlx(transparent)]
        #[schema(value_type = i64)]
        pub struct $name(pub i64);

        impl $name {
            /// The id as the database stores it.
            pub fn get(self) -> i64 {
                self.0
            }
        }

        impl ::std::fmt::Display for $name {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                ::std::fmt::Display::fmt(&self.0, f)
            }
        }

        impl ::std::str::FromStr for $name {
            type Err = ::std::num::ParseIntError;
            fn from_str(s: &str) -> Result<Self, Self::Err> {
                s.parse().map($name)
            }
        }

        impl From<i64> for $name {
            fn from(id: i64) -> Self {
                $name(id)
            }
        }

        impl From<$name> for i64 {
            fn from(id: $name) -> i64 {
                id.0
            }
        }
    )+};
}

id_newtype!(
    /// An agency (`agencies.id`).
    AgencyId,
    /// A user account (`users.id`).
    UserId,
    /// An election (`elections.id`).
    ElectionId,
    /// A polling station (`tps.id`).
    TpsId,
    /// One entry of a TPS's result form (`result_entries.id`).
    EntryId,
    /// A complaint (`complaints.id`).
    ComplaintId,
    /// A population-document application (`cr_applications.id`).
    ApplicationId,
);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_read_and_print_as_their_number() {
        let id: ElectionId = "42".parse().unwrap_or_default();
        assert_eq!(id, ElectionId(42));
        assert_eq!(id.to_string(), "42");
        assert_eq!(serde_json::to_string(&TpsId(7)).ok().as_deref(), Some("7"));
        let back: Result<ComplaintId, _> = serde_json::from_str("9");
        assert_eq!(back.ok(), Some(ComplaintId(9)));
        assert!("x".parse::<UserId>().is_err());
    }
}
