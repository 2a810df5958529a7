//! HTTP endpoints of attendance, their views and the mapping of its errors. No SQL, no rules.

mod absences;
mod archive;
mod marks;
mod period;
mod sessions;
mod slots;
mod views;

pub use absences::AbsencesApi;
pub use archive::ArchiveApi;
pub use marks::{MarkBody, MarksApi};
pub use period::PeriodAttendanceApi;
pub use sessions::SessionAttendanceApi;
pub use slots::SlotsApi;
pub use views::*;

/// Attendance's operations, in spec order.
pub type Apis = (
    MarksApi,
    SlotsApi,
    SessionAttendanceApi,
    PeriodAttendanceApi,
    ArchiveApi,
    AbsencesApi,
);
