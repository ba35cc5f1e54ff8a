//! The server-sent event stream of an open page (`/__findings/events`).
//!
//! It starts with `retry:` and, if the newest build has problems, a
//! `problems` event; then it sends one event for each change the server
//! shows (`reload` after a good build, `problems` otherwise) and a comment
//! every [`KEEP_ALIVE`] while nothing changes. It ends when the client goes
//! away (hyper drops it with the connection) or the server stops.

use std::convert::Infallible;
use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll};
use std::time::Duration;

use hyper::body::{Body, Bytes, Frame};
use tokio::sync::watch;

use super::Shown;

/// How often an idle event stream sends a keep-alive comment.
const KEEP_ALIVE: Duration = Duration::from_secs(15);
/// How long a page waits before reconnecting, in milliseconds.
const RETRY: &[u8] = b"retry: 1000\n\n";

/// The next chunk of the stream, with the receiver to wait on after it;
/// `None` when the server stops.
type Next = Pin<Box<dyn Future<Output = Option<(watch::Receiver<Shown>, Bytes)>> + Send>>;

/// An event stream, as the body of an answer.
pub(super) struct EventStream {
    first: Option<Bytes>,
    next: Next,
}

impl EventStream {
    /// A stream of the changes of `shown` from now on.
    pub(super) fn new(mut shown: watch::Receiver<Shown>) -> Self {
        let mut first = RETRY.to_vec();
        if let Some(problems) = &shown.borrow_and_update().problems {
            first.extend(event("problems", problems));
        }
        Self {
            first: Some(Bytes::from(first)),
            next: Box::pin(next(shown)),
        }
    }
}

impl Body for EventStream {
    type Data = Bytes;
    type Error = Infallible;

    fn poll_frame(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Result<Frame<Bytes>, Infallible>>> {
        if let Some(first) = self.first.take() {
            return Poll::Ready(Some(Ok(Frame::data(first))));
        }
        match self.next.as_mut().poll(cx) {
            Poll::Ready(Some((shown, chunk))) => {
                self.next = Box::pin(next(shown));
                Poll::Ready(Some(Ok(Frame::data(chunk))))
            }
            Poll::Ready(None) => Poll::Ready(None),
            Poll::Pending => Poll::Pending,
        }
    }
}

/// Waits for the next change (an event) or [`KEEP_ALIVE`] (a comment).
async fn next(mut shown: watch::Receiver<Shown>) -> Option<(watch::Receiver<Shown>, Bytes)> {
    match tokio::time::timeout(KEEP_ALIVE, shown.changed()).await {
        Err(_) => Some((shown, Bytes::from_static(b": keep-alive\n\n"))),
        Ok(Err(_)) => None,
        Ok(Ok(())) => {
            let chunk = {
                let now = shown.borrow_and_update();
                match &now.problems {
                    Some(problems) => event("problems", problems),
                    None => event("reload", &now.version.to_string()),
                }
            };
            Some((shown, Bytes::from(chunk)))
        }
    }
}

/// One event; each line of `data` is a `data:` line.
fn event(kind: &str, data: &str) -> Vec<u8> {
    let mut event = format!("event: {kind}\n");
    for line in data.lines() {
        event.push_str("data: ");
        event.push_str(line);
        event.push('\n');
    }
    if data.is_empty() {
        event.push_str("data:\n");
    }
    event.push('\n');
    event.into_bytes()
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use http_body_util::BodyExt as _;

    use super::*;

    #[test]
    fn events_carry_every_line() {
        assert_eq!(
            event("problems", "a\nb"),
            b"event: problems\ndata: a\ndata: b\n\n".to_vec()
        );
        assert_eq!(event("reload", ""), b"event: reload\ndata:\n\n".to_vec());
    }

    async fn chunk(stream: &mut EventStream) -> String {
        let frame = stream.frame().await.expect("a chunk").expect("no error");
        String::from_utf8(frame.into_data().expect("data").to_vec()).unwrap()
    }

    #[test]
    fn a_stream_tells_each_change() {
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_time()
            .build()
            .unwrap();
        let (sender, receiver) = watch::channel(Shown {
            problems: Some(Arc::from("E101 quotes.yaml:1:1")),
            ..Shown::default()
        });
        let mut stream = EventStream::new(receiver);
        runtime.block_on(async {
            assert_eq!(
                chunk(&mut stream).await,
                "retry: 1000\n\nevent: problems\ndata: E101 quotes.yaml:1:1\n\n"
            );
            sender.send_modify(|shown| {
                shown.problems = None;
                shown.version = 7;
            });
            assert_eq!(chunk(&mut stream).await, "event: reload\ndata: 7\n\n");
            drop(sender);
            assert!(stream.frame().await.is_none(), "the stream ends with the server");
        });
    }
}
