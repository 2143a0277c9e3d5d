//! The response stream of RouteChat: for each note received, the notes kept earlier at its place.

use crate::demo::geo;
use crate::demo::messages::RouteNote;
use crate::demo::notes::NoteStore;
use futures_util::Stream;
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll, ready};
use tonic::Status;

/// Answers each incoming note with the notes kept at its place, then keeps it.
///
/// Reads the next note only when the answers to the previous one have been taken, so a slow client slows
/// the reading of its own notes and nothing piles up in the server. Ends after the first error.
pub struct ChatStream<S> {
    inbound: S,
    store: Arc<NoteStore>,
    pending: std::vec::IntoIter<RouteNote>,
    received: u64,
    done: bool,
}

impl<S> ChatStream<S> {
    /// Answers the notes of `inbound` from `store`, keeping each one there.
    pub fn new(inbound: S, store: Arc<NoteStore>) -> ChatStream<S> {
        ChatStream {
            inbound,
            store,
            pending: Vec::new().into_iter(),
            received: 0,
            done: false,
        }
    }
}

/// The note's location, checked; a note without one is refused rather than put at (0, 0).
pub fn check_note(note: &RouteNote, index: u64) -> Result<(), Status> {
    let Some(at) = &note.location else {
        return Err(Status::invalid_argument(format!(
            "note {index}: location is missing"
        )));
    };
    geo::validate(at).map_err(|e| Status::invalid_argument(format!("note {index}: {e}")))
}

impl<S> Stream for ChatStream<S>
where
    S: Stream<Item = Result<RouteNote, Status>> + Unpin,
{
    type Item = Result<RouteNote, Status>;

    fn poll_next(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        let this = self.get_mut();
        loop {
            if let Some(note) = this.pending.next() {
                return Poll::Ready(Some(Ok(note)));
            }
            if this.done {
                return Poll::Ready(None);
            }
            let item = ready!(Pin::new(&mut this.inbound).poll_next(cx));
            let index = this.received;
            this.received += 1;
            match item {
                None => this.done = true,
                Some(Err(status)) => {
                    this.done = true;
                    return Poll::Ready(Some(Err(status)));
                }
                Some(Ok(note)) => match check_note(&note, index) {
                    Ok(()) => this.pending = this.store.post(note).into_iter(),
                    Err(status) => {
                        this.done = true;
                        return Poll::Ready(Some(Err(status)));
                    }
                },
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::demo::messages::Point;
    use futures_util::StreamExt;
    use futures_util::stream;

    fn note(lat: f32, text: &str) -> Result<RouteNote, Status> {
        Ok(RouteNote {
            location: Some(Point {
                latitude: lat,
                longitude: 2.0,
            }),
            message: text.to_owned(),
        })
    }

    async fn answers(
        store: &Arc<NoteStore>,
        notes: Vec<Result<RouteNote, Status>>,
    ) -> Vec<Result<String, String>> {
        ChatStream::new(stream::iter(notes), store.clone())
            .map(|r| {
                r.map(|n| n.message)
                    .map_err(|s| format!("{:?}: {}", s.code(), s.message()))
            })
            .collect()
            .await
    }

    #[tokio::test]
    async fn history_within_and_across_calls() {
        let store = Arc::new(NoteStore::default());
        let got = answers(
            &store,
            vec![
                note(1.0, "a"),
                note(1.0, "b"),
                note(5.0, "x"),
                note(1.0, "c"),
            ],
        )
        .await;
        assert_eq!(got, [Ok("a".into()), Ok("a".into()), Ok("b".into())]);
        let got = answers(&store, vec![note(1.0, "d")]).await;
        assert_eq!(got, [Ok("a".into()), Ok("b".into()), Ok("c".into())]);
    }

    #[tokio::test]
    async fn a_bad_note_ends_the_stream_with_invalid_argument() {
        let store = Arc::new(NoteStore::default());
        let missing = Ok(RouteNote {
            location: None,
            message: "?".into(),
        });
        let got = answers(
            &store,
            vec![note(1.0, "a"), note(1.0, "b"), missing, note(1.0, "never")],
        )
        .await;
        assert_eq!(
            got,
            [
                Ok("a".into()),
                Err("InvalidArgument: note 2: location is missing".into())
            ]
        );
        let got = answers(&store, vec![note(f32::NAN, "nan")]).await;
        assert_eq!(
            got,
            [Err(
                "InvalidArgument: note 0: latitude is NaN, not a finite number".into()
            )]
        );
    }
}
