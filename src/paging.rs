//! Keyset pages, as services see them: a [`PageRequest`] in, a [`Page`] out. Lists are ordered
//! by id; ids are UUIDv7, so rows added while a client pages land after its position and every
//! row is returned exactly once. The HTTP form (`?limit=`, `?cursor=`, `next_cursor`) is in
//! `http::pagination`.

use uuid::Uuid;

pub const DEFAULT_LIMIT: u32 = 50;
pub const MAX_LIMIT: u32 = 200;

/// Which page to read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PageRequest {
    /// Rows to return (1–200).
    pub limit: u64,
    /// Return rows with an id strictly greater than this.
    pub after: Option<Uuid>,
}

impl Default for PageRequest {
    fn default() -> Self {
        Self::new(None, None)
    }
}

impl PageRequest {
    pub fn new(limit: Option<u32>, after: Option<Uuid>) -> Self {
        Self {
            limit: u64::from(limit.unwrap_or(DEFAULT_LIMIT).clamp(1, MAX_LIMIT)),
            after,
        }
    }

    /// Rows to fetch: one more than the page, to know whether another page follows.
    pub fn fetch(&self) -> u64 {
        self.limit + 1
    }

    /// Cuts rows fetched with [`PageRequest::fetch`] to the page.
    pub fn finish<T>(&self, mut rows: Vec<T>, id: impl Fn(&T) -> Uuid) -> Page<T> {
        let limit = usize::try_from(self.limit).unwrap_or(usize::MAX);
        let next = if rows.len() > limit {
            rows.truncate(limit);
            rows.last().map(id)
        } else {
            None
        };
        Page { items: rows, next }
    }
}

/// One page of a list.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Page<T> {
    pub items: Vec<T>,
    /// The position after which the next page starts; `None` on the last page.
    pub next: Option<Uuid>,
}

impl<T> Page<T> {
    /// An empty last page.
    pub fn empty() -> Self {
        Self {
            items: Vec::new(),
            next: None,
        }
    }

    pub fn map<U>(self, f: impl FnMut(T) -> U) -> Page<U> {
        Page {
            items: self.items.into_iter().map(f).collect(),
            next: self.next,
        }
    }

    /// Maps the items with a fallible function.
    pub fn try_map<U, E>(self, f: impl FnMut(T) -> Result<U, E>) -> Result<Page<U>, E> {
        Ok(Page {
            items: self.items.into_iter().map(f).collect::<Result<_, _>>()?,
            next: self.next,
        })
    }
}

/// Every item of a paged list, page after page: `every!(|page| list(db, …, page))` (a macro
/// rather than an async closure, which would keep the handler's future from being `Send`).
macro_rules! every {
    (|$page:ident| $call:expr) => {{
        let mut all = Vec::new();
        let mut after = None;
        loop {
            let request = $crate::paging::PageRequest::new(Some($crate::paging::MAX_LIMIT), after);
            let $page = &request;
            let next = $call.await?;
            all.extend(next.items);
            match next.next {
                Some(id) => after = Some(id),
                None => break all,
            }
        }
    }};
}
pub(crate) use every;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_page_holds_at_most_its_limit_and_points_after_its_last_row() {
        let ids: Vec<Uuid> = (0..5).map(|_| Uuid::now_v7()).collect();
        let page = PageRequest::new(Some(3), None);
        assert_eq!(page.fetch(), 4);
        let cut = page.finish(ids[..4].to_vec(), |id| *id);
        assert_eq!(cut.items, ids[..3].to_vec());
        assert_eq!(cut.next, Some(ids[2]));
        let last = page.finish(ids[3..].to_vec(), |id| *id);
        assert_eq!(last.next, None);
        assert_eq!(PageRequest::new(Some(0), None).limit, 1);
        assert_eq!(PageRequest::new(Some(900), None).limit, 200);
    }
}
