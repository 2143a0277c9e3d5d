//! `service Library` of `catalog.v1`: the trait is the service, `Catalog` implements it.

use crate::messages::{Book, BookRequest, CheckoutRequest, Loan, Query, Receipt, book};
use hello::prelude::*;
use std::collections::BTreeMap;
use std::sync::{Arc, Mutex, MutexGuard};

/// A lending library: one RPC of each kind.
#[hello::service(package = "catalog.v1")]
pub trait Library {
    /// One book by its ISBN; NOT_FOUND if the catalog has none.
    async fn get_book(&self, request: Request<BookRequest>) -> Result<Response<Book>, Status>;

    /// The books matching a query, streamed.
    async fn search(
        &self,
        request: Request<Query>,
    ) -> Result<Response<impl Stream<Item = Result<Book, Status>>>, Status>;

    /// Catalogues every book sent; answers what was added.
    async fn donate(&self, request: Request<Streaming<Book>>) -> Result<Response<Receipt>, Status>;

    /// Lends each book asked for if it is on the shelf; answers each request with the book as it then stands.
    async fn checkout(
        &self,
        request: Request<Streaming<CheckoutRequest>>,
    ) -> Result<Response<impl Stream<Item = Result<Book, Status>>>, Status>;
}

/// Loans last three weeks from this (fixed) day, so the example prints the same thing every run.
const LOAN_START_UNIX: i64 = 1_767_225_600;
const LOAN_SECS: i64 = 21 * 24 * 3600;

/// The books by ISBN, shared by every call.
#[derive(Clone, Default)]
pub struct Catalog {
    books: Arc<Mutex<BTreeMap<u64, Book>>>,
    ledger: Arc<Mutex<i64>>,
}

impl Catalog {
    /// A catalog holding `books`.
    pub fn with_books(books: impl IntoIterator<Item = Book>) -> Catalog {
        let catalog = Catalog::default();
        catalog
            .books()
            .extend(books.into_iter().map(|b| (b.isbn, b)));
        catalog
    }

    fn books(&self) -> MutexGuard<'_, BTreeMap<u64, Book>> {
        // A panic elsewhere while the lock was held leaves whole books behind: keep serving them.
        self.books.lock().unwrap_or_else(|p| p.into_inner())
    }

    fn lend(&self, request: CheckoutRequest) -> Result<Book, Status> {
        let mut books = self.books();
        let Some(book) = books.get_mut(&request.isbn) else {
            return Err(Status::not_found(format!("no book {}", request.isbn)));
        };
        if let Some(book::Status::OnShelf(true)) = book.status {
            book.status = Some(book::Status::OnLoan(Loan {
                borrower: request.borrower,
                due_unix: LOAN_START_UNIX + LOAN_SECS,
                ..Loan::default()
            }));
        }
        Ok(book.clone())
    }
}

fn matches(book: &Book, query: &Query) -> bool {
    let text = query.text.to_lowercase();
    let found = book.title.to_lowercase().contains(&text)
        || book
            .authors
            .iter()
            .any(|a| a.to_lowercase().contains(&text));
    found && (query.formats.is_empty() || query.formats.contains(&book.format))
}

/// FNV-1a over the ISBNs, in the order received.
fn checksum(isbns: &[u64]) -> u32 {
    isbns
        .iter()
        .flat_map(|i| i.to_le_bytes())
        .fold(0x811c_9dc5, |h, b| {
            (h ^ u32::from(b)).wrapping_mul(0x0100_0193)
        })
}

#[hello::service]
impl Library for Catalog {
    async fn get_book(&self, request: Request<BookRequest>) -> Result<Response<Book>, Status> {
        let isbn = request.into_inner().isbn;
        match self.books().get(&isbn) {
            Some(book) => Ok(Response::new(book.clone())),
            None => Err(Status::not_found(format!("no book {isbn}"))),
        }
    }

    async fn search(
        &self,
        request: Request<Query>,
    ) -> Result<Response<impl Stream<Item = Result<Book, Status>>>, Status> {
        let query = request.into_inner();
        let limit = query.max_results.map_or(usize::MAX, |n| n as usize);
        let found: Vec<_> = self
            .books()
            .values()
            .filter(|b| matches(b, &query))
            .take(limit)
            .cloned()
            .collect();
        Ok(Response::new(hello::stream::iter(
            found.into_iter().map(Ok),
        )))
    }

    async fn donate(&self, request: Request<Streaming<Book>>) -> Result<Response<Receipt>, Status> {
        let mut books = request.into_inner();
        let mut receipt = Receipt::default();
        while let Some(book) = books.message().await? {
            if book.isbn == 0 {
                return Err(Status::invalid_argument(format!(
                    "book {:?} has no ISBN",
                    book.title
                )));
            }
            receipt.accepted += 1;
            receipt.total_pages += i64::from(book.pages);
            receipt.isbns.push(book.isbn);
            self.books().insert(book.isbn, book);
        }
        receipt.checksum = checksum(&receipt.isbns);
        let mut ledger = self.ledger.lock().unwrap_or_else(|p| p.into_inner());
        *ledger += 1;
        receipt.ledger_entry = *ledger;
        Ok(Response::new(receipt))
    }

    async fn checkout(
        &self,
        request: Request<Streaming<CheckoutRequest>>,
    ) -> Result<Response<impl Stream<Item = Result<Book, Status>>>, Status> {
        let catalog = self.clone();
        let answers = request.into_inner().map(move |asked| catalog.lend(asked?));
        Ok(Response::new(answers))
    }
}
