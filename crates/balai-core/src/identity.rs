//! Who acts: an official with a role, an agency and the region it serves ([`Actor`]), the
//! same whether the request came over HTTP (a session or a bearer token), from the command
//! line or from a job. No HTTP here: the web extractors that resolve an actor from a request
//! are in [`crate::web::actor`].

use crate::accounts::{self, Agency, Role, Scope, User};
use crate::db::Db;
use crate::error::AppError;

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum AuthVia {
    /// Holds the session token's hash, to keep this session on a password change.
    Session(String),
    Token,
    /// The command line, acting as a named user.
    Command,
}

/// An authenticated official.
#[derive(Clone, Debug)]
pub struct Actor {
    pub user: User,
    pub agency: Option<Agency>,
    pub role: Role,
    pub scope: Scope,
    pub via: AuthVia,
}

impl Actor {
    pub fn is_superadmin(&self) -> bool {
        self.user.is_superadmin
    }

    pub fn is_admin(&self) -> bool {
        self.is_superadmin() || self.role == Role::Admin
    }

    pub fn require_admin(&self) -> Result<(), AppError> {
        if self.is_admin() {
            Ok(())
        } else {
            Err(AppError::forbidden())
        }
    }

    pub fn require_superadmin(&self) -> Result<(), AppError> {
        if self.is_superadmin() {
            Ok(())
        } else {
            Err(AppError::forbidden())
        }
    }

    /// Roles that may change records (not viewers).
    pub fn require_writer(&self) -> Result<(), AppError> {
        if self.is_superadmin() || self.role != Role::Viewer {
            Ok(())
        } else {
            Err(AppError::forbidden())
        }
    }
}

/// The actor of a user read with its agency (none for a disabled user).
pub fn actor_of(user: accounts::User, agency: Option<Agency>, via: AuthVia) -> Option<Actor> {
    if user.disabled {
        return None;
    }
    let role = Role::parse(&user.role).unwrap_or(Role::Viewer);
    let scope = if user.is_superadmin {
        Scope::All
    } else if let Some(a) = &agency {
        Scope::Region {
            prefix: a.region_code.clone(),
            agency_id: a.id,
            agency_kind: a.kind.clone(),
        }
    } else {
        Scope::Nothing
    };
    Some(Actor {
        user,
        agency,
        role,
        scope,
        via,
    })
}

/// The actor of user `user_id`, read with its agency (`None` for a disabled or unknown user).
pub async fn actor_for_user(
    db: &Db,
    user_id: i64,
    via: AuthVia,
) -> Result<Option<Actor>, sqlx::Error> {
    Ok(accounts::user_with_agency(db, user_id)
        .await?
        .and_then(|(user, agency)| actor_of(user, agency, via)))
}
