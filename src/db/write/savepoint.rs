//! Savepoints: a unit of work inside a [`WriteTx`] (one pushed mutation) that rolls back the
//! database *and* the pending stamps and change-index entries.

use sea_orm::{ConnectionTrait, DbErr, Statement};

use super::{Pending, WriteTx};

/// A savepoint inside a [`WriteTx`]: give it back to [`WriteTx::release`] or
/// [`WriteTx::rollback_to`].
#[must_use = "release or roll back the savepoint"]
pub struct Savepoint {
    name: String,
    snapshot: Pending,
}

impl WriteTx {
    /// Opens a savepoint. Everything written after it — rows, stamps, change-index entries — is
    /// undone by [`WriteTx::rollback_to`], kept by [`WriteTx::release`].
    pub async fn savepoint(&mut self) -> Result<Savepoint, DbErr> {
        self.savepoints += 1;
        let name = format!("passerelle_sp_{}", self.savepoints);
        self.raw(&format!("SAVEPOINT {name}")).await?;
        Ok(Savepoint {
            name,
            snapshot: self.pending.clone(),
        })
    }

    /// Keeps what was written since the savepoint.
    pub async fn release(&mut self, savepoint: Savepoint) -> Result<(), DbErr> {
        self.raw(&format!("RELEASE SAVEPOINT {}", savepoint.name))
            .await
    }

    /// Undoes what was written since the savepoint, in the database and in the pending stamps.
    /// The transaction stays usable (also on PostgreSQL after a failed statement).
    pub async fn rollback_to(&mut self, savepoint: Savepoint) -> Result<(), DbErr> {
        self.raw(&format!("ROLLBACK TO SAVEPOINT {}", savepoint.name))
            .await?;
        self.raw(&format!("RELEASE SAVEPOINT {}", savepoint.name))
            .await?;
        self.pending = savepoint.snapshot;
        Ok(())
    }

    async fn raw(&self, sql: &str) -> Result<(), DbErr> {
        let backend = self.txn.get_database_backend();
        self.txn
            .execute_raw(Statement::from_string(backend, sql.to_owned()))
            .await?;
        Ok(())
    }
}
