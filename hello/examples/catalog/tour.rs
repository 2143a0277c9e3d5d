//! The example's run: serve `catalog.v1.Library` and reflection on 127.0.0.1:0, call each RPC with the generated
//! client and ask reflection what it serves; the transcript is what `main` prints.

use crate::library::{
    Catalog, LIBRARY_SERVICE, library_client::LibraryClient, library_server::LibraryServer,
};
use crate::messages::{Book, BookRequest, CheckoutRequest, Format, Query, Shelf, book};
use hello::transport::{Endpoint, Server, TcpIncoming};
use prost::Message;
use tonic_reflection::pb::v1::ServerReflectionRequest;
use tonic_reflection::pb::v1::server_reflection_client::ServerReflectionClient;
use tonic_reflection::pb::v1::server_reflection_request::MessageRequest;
use tonic_reflection::pb::v1::server_reflection_response::MessageResponse;

type Error = Box<dyn std::error::Error + Send + Sync>;

/// The books the library opens with.
fn opening_stock() -> Vec<Book> {
    let on_shelf = |room: &str, row| {
        (
            Some(Shelf {
                room: room.into(),
                row,
            }),
            Some(book::Status::OnShelf(true)),
        )
    };
    let (shelf, status) = on_shelf("Classics", 3);
    let odyssey = Book {
        isbn: 9780140268867,
        title: "The Odyssey".into(),
        authors: vec!["Homer".into(), "Robert Fagles (translator)".into()],
        year: -700,
        pages: 541,
        rating: 4.5,
        price: 18.0,
        format: Format::Paperback as i32,
        shelf,
        subtitle: None,
        chapter_pages: vec![22, 20, 25, 30],
        cover: vec![0x89, b'P', b'N', b'G'],
        copies_by_branch: [("central".to_string(), 2), ("harbour".to_string(), 1)].into(),
        status,
    };
    let (shelf, status) = on_shelf("Science", 1);
    let origin = Book {
        isbn: 9780451529060,
        title: "On the Origin of Species".into(),
        authors: vec!["Charles Darwin".into()],
        year: 1859,
        pages: 502,
        rating: 4.1,
        price: 7.95,
        format: Format::Hardcover as i32,
        shelf,
        subtitle: Some("By Means of Natural Selection".into()),
        copies_by_branch: [("central".to_string(), 1)].into(),
        status,
        ..Book::default()
    };
    vec![odyssey, origin]
}

fn donations() -> Vec<Book> {
    let odyssey_ebook = Book {
        isbn: 9781101099292,
        title: "The Odyssey".into(),
        authors: vec!["Homer".into(), "Emily Wilson (translator)".into()],
        year: -700,
        pages: 592,
        format: Format::Ebook as i32,
        status: Some(book::Status::OnShelf(true)),
        ..Book::default()
    };
    let voyage = Book {
        isbn: 9780140432688,
        title: "The Voyage of the Beagle".into(),
        authors: vec!["Charles Darwin".into()],
        year: 1839,
        pages: 432,
        format: Format::Paperback as i32,
        status: Some(book::Status::OnShelf(true)),
        ..Book::default()
    };
    vec![odyssey_ebook, voyage]
}

fn status(book: &Book) -> String {
    match &book.status {
        Some(book::Status::OnShelf(true)) => "on the shelf".into(),
        Some(book::Status::OnShelf(false)) | None => "missing".into(),
        Some(book::Status::OnLoan(loan)) => {
            format!("lent to {} until {}", loan.borrower, loan.due_unix)
        }
    }
}

/// Serves the library, calls it, and returns one line per thing learned.
pub async fn run() -> Result<Vec<String>, Error> {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
    let addr = listener.local_addr()?;
    let descriptors = LIBRARY_SERVICE.file_descriptor_set()?;
    let server = Server::builder()
        .add_service(hello::reflection::v1(descriptors.clone())?)
        .add_service(hello::reflection::v1alpha(descriptors)?)
        .add_service(LibraryServer::new(Catalog::with_books(opening_stock())));
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let serving = tokio::spawn(server.serve_with_incoming_shutdown(
        TcpIncoming::from(listener),
        async {
            stopped.await.ok();
        },
    ));

    let channel = Endpoint::from_shared(format!("http://{addr}"))?
        .connect()
        .await?;
    let mut library = LibraryClient::new(channel.clone());
    let mut out = vec![format!("serving catalog.v1.Library on {addr}")];

    // Unary. The Odyssey has every field set: it comes back as it was stocked.
    let odyssey = &opening_stock()[0];
    let got = library
        .get_book(BookRequest { isbn: odyssey.isbn })
        .await?
        .into_inner();
    if &got != odyssey {
        return Err(format!("GetBook changed the book: {got:?}").into());
    }
    out.push(format!(
        "GetBook: {} ({} bytes): every field as stocked",
        got.title,
        got.encoded_len()
    ));
    let book = library
        .get_book(BookRequest {
            isbn: 9780451529060,
        })
        .await?
        .into_inner();
    out.push(format!(
        "GetBook: {} ({}), {} pages, {}",
        book.title,
        book.year,
        book.pages,
        status(&book)
    ));
    let missing = library.get_book(BookRequest { isbn: 1 }).await.unwrap_err();
    out.push(format!(
        "GetBook 1: {:?}: {}",
        missing.code(),
        missing.message()
    ));

    // Client streaming.
    let receipt = library
        .donate(hello::stream::iter(donations()))
        .await?
        .into_inner();
    out.push(format!(
        "Donate: {} books, {} pages, ledger entry {}, checksum {:08x}",
        receipt.accepted, receipt.total_pages, receipt.ledger_entry, receipt.checksum
    ));

    // Server streaming.
    let query = Query {
        text: "odyssey".into(),
        formats: vec![],
        max_results: Some(10),
    };
    let mut found = library.search(query).await?.into_inner();
    while let Some(book) = found.message().await? {
        out.push(format!(
            "Search odyssey: {} by {}",
            book.title,
            book.authors.join(", ")
        ));
    }

    // Bidirectional: the second request for the same book finds it lent.
    let asks = [
        ("ada", 9780140268867),
        ("grace", 9780140268867),
        ("grace", 9780140432688),
    ]
    .map(|(who, isbn)| CheckoutRequest {
        isbn,
        borrower: who.into(),
    });
    let mut answers = library
        .checkout(hello::stream::iter(asks))
        .await?
        .into_inner();
    while let Some(book) = answers.message().await? {
        out.push(format!("Checkout: {}: {}", book.title, status(&book)));
    }

    out.extend(ask_reflection(channel).await?);
    stop.send(()).ok();
    serving.await??;
    Ok(out)
}

/// What a generic client learns from the reflection service: the services, and the fields of `Book`.
async fn ask_reflection(channel: hello::transport::Channel) -> Result<Vec<String>, Error> {
    let requests = [
        MessageRequest::ListServices(String::new()),
        MessageRequest::FileContainingSymbol("catalog.v1.Book".into()),
    ]
    .map(|request| ServerReflectionRequest {
        host: String::new(),
        message_request: Some(request),
    });
    let mut client = ServerReflectionClient::new(channel);
    let mut responses = client
        .server_reflection_info(hello::stream::iter(requests))
        .await?
        .into_inner();
    let mut out = Vec::new();
    while let Some(response) = responses.message().await? {
        match response.message_response {
            Some(MessageResponse::ListServicesResponse(list)) => {
                let names: Vec<_> = list.service.into_iter().map(|s| s.name).collect();
                out.push(format!("reflection services: {}", names.join(", ")));
            }
            Some(MessageResponse::FileDescriptorResponse(files)) => {
                for bytes in files.file_descriptor_proto {
                    let file = prost_types::FileDescriptorProto::decode(bytes.as_slice())?;
                    for message in file.message_type.iter().filter(|m| m.name() == "Book") {
                        let fields: Vec<_> = message.field.iter().map(|f| f.name()).collect();
                        out.push(format!(
                            "reflection {}: Book {{ {} }}",
                            file.name(),
                            fields.join(", ")
                        ));
                    }
                }
            }
            other => return Err(format!("reflection answered {other:?}").into()),
        }
    }
    Ok(out)
}
