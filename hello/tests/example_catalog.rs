//! Runs `examples/catalog` (the modules its `main` runs, so the test needs no prebuilt example binary) and checks
//! what it learned over the wire: each kind of RPC answered, and reflection describing every field of `Book`.

#[path = "../examples/catalog/library.rs"]
mod library;
#[path = "../examples/catalog/messages.rs"]
mod messages;
#[path = "../examples/catalog/tour.rs"]
mod tour;

#[tokio::test]
async fn the_catalog_example_serves_each_kind_and_reflection() {
    let transcript = tour::run().await.unwrap();
    let lines: Vec<&str> = transcript.iter().skip(1).map(String::as_str).collect();
    assert_eq!(
        lines,
        [
            "GetBook: The Odyssey (133 bytes): every field as stocked",
            "GetBook: On the Origin of Species (1859), 502 pages, on the shelf",
            "GetBook 1: NotFound: no book 1",
            "Donate: 2 books, 1024 pages, ledger entry 1, checksum 8a454496",
            "Search odyssey: The Odyssey by Homer, Robert Fagles (translator)",
            "Search odyssey: The Odyssey by Homer, Emily Wilson (translator)",
            "Checkout: The Odyssey: lent to ada until 1769040000",
            "Checkout: The Odyssey: lent to ada until 1769040000",
            "Checkout: The Voyage of the Beagle: lent to grace until 1769040000",
            "reflection services: grpc.reflection.v1.ServerReflection, catalog.v1.Library",
            "reflection catalog/v1.proto: Book { isbn, title, authors, year, pages, rating, price, format, shelf, \
             subtitle, chapter_pages, cover, copies_by_branch, on_shelf, on_loan }",
        ]
    );
    assert!(
        transcript[0].starts_with("serving catalog.v1.Library on 127.0.0.1:"),
        "{}",
        transcript[0]
    );
}
