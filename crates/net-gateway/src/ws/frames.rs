//! The session's own frames, written straight to the socket.
//!
//! tungstenite formats every frame it sends into one write buffer per connection and
//! never gives that buffer's capacity back, so the largest batch a connection was ever
//! sent (a full snapshot, the content tables, a few ticks after a stall) stays allocated
//! for the connection's life: about 1.7 KiB a connection with 2,000 of them. A server's
//! frame is short to write (RFC 6455 §5.2: a 2–10 byte header, then the payload,
//! unmasked), so the session formats its data frames and pings here, into a buffer
//! that lives only while one batch is written, and leaves tungstenite only the frames
//! it sends on its own (pongs to a client's pings, the close handshake).

use tokio::io::AsyncWriteExt;
use tokio::net::TcpStream;
use tokio_tungstenite::WebSocketStream;
use tokio_tungstenite::tungstenite::Error;

/// A data message as it goes on the wire: its payload and whether it is text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Encoded {
    /// A text frame (JSON) rather than a binary one (`STAR`).
    pub text: bool,
    /// The message's bytes.
    pub payload: Vec<u8>,
}

/// Frame opcodes (RFC 6455 §5.2).
const TEXT: u8 = 0x1;
const BINARY: u8 = 0x2;
const PING: u8 = 0x9;
/// The FIN bit: every frame the session writes is a whole message.
const FIN: u8 = 0x80;

/// Frames to write together; see the module documentation.
#[derive(Debug, Default)]
pub struct Frames {
    bytes: Vec<u8>,
}

impl Frames {
    /// No frames yet.
    pub fn new() -> Self {
        Self::default()
    }

    /// Appends a data message as one frame.
    pub fn push(&mut self, msg: &Encoded) {
        let opcode = if msg.text { TEXT } else { BINARY };
        self.frame(opcode, &msg.payload);
    }

    /// Appends a ping with no payload.
    pub fn push_ping(&mut self) {
        self.frame(PING, &[]);
    }

    /// Bytes to write, headers included.
    #[cfg(test)]
    fn len(&self) -> usize {
        self.bytes.len()
    }

    fn frame(&mut self, opcode: u8, payload: &[u8]) {
        let len = payload.len();
        self.bytes.reserve(10 + len);
        self.bytes.push(FIN | opcode);
        if len < 126 {
            self.bytes.push(len as u8);
        } else if let Ok(short) = u16::try_from(len) {
            self.bytes.push(126);
            self.bytes.extend_from_slice(&short.to_be_bytes());
        } else {
            self.bytes.push(127);
            self.bytes.extend_from_slice(&(len as u64).to_be_bytes());
        }
        self.bytes.extend_from_slice(payload);
    }

    /// Writes the frames: first whatever tungstenite still holds (a pong it queued while
    /// reading, so frames never interleave), then these, to the end. Callers do not read
    /// the socket while this runs and bound it with a timeout; an error or a timeout
    /// leaves the connection unusable, and the session ends.
    pub async fn write(self, ws: &mut WebSocketStream<TcpStream>) -> Result<(), Error> {
        use futures_util::SinkExt;
        ws.flush().await?;
        if !self.bytes.is_empty() {
            ws.get_mut().write_all(&self.bytes).await?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use futures_util::{SinkExt, StreamExt};
    use tokio::net::TcpListener;
    use tokio_tungstenite::tungstenite::Message;
    use tokio_tungstenite::tungstenite::protocol::Role;

    /// A server and a client end of one WebSocket over a real socket on 127.0.0.1.
    async fn pair() -> (WebSocketStream<TcpStream>, WebSocketStream<TcpStream>) {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        let (client, accepted) = tokio::join!(TcpStream::connect(addr), listener.accept());
        let server = WebSocketStream::from_raw_socket(accepted.unwrap().0, Role::Server, None);
        let client = WebSocketStream::from_raw_socket(client.unwrap(), Role::Client, None);
        (server.await, client.await)
    }

    fn binary(len: usize) -> Encoded {
        Encoded {
            text: false,
            payload: (0..len).map(|i| (i % 251) as u8).collect(),
        }
    }

    #[tokio::test]
    async fn a_client_reads_every_length_class_and_text_as_written() {
        let (mut server, mut client) = pair().await;
        // The three header forms and their edges: 7-bit, 16-bit and 64-bit lengths.
        let lens = [0, 1, 125, 126, 127, 65_535, 65_536, 200_000];
        let mut frames = Frames::new();
        for len in lens {
            frames.push(&binary(len));
        }
        let text = Encoded {
            text: true,
            payload: "{\"type\":\"pong\",\"nonce\":7} é".as_bytes().to_vec(),
        };
        frames.push(&text);
        frames.push_ping();
        let written = frames.len();
        let payloads: usize = lens.iter().sum::<usize>() + text.payload.len();
        // 2-byte headers for 0..=125 (four frames incl. text and ping), 4 for 126..=65,535,
        // 10 above.
        assert_eq!(written, payloads + 2 * 5 + 4 * 3 + 10 * 2);
        let writer = tokio::spawn(async move {
            frames.write(&mut server).await.unwrap();
            server
        });
        for len in lens {
            let got = client.next().await.unwrap().unwrap();
            assert_eq!(
                got,
                Message::Binary(binary(len).payload.into()),
                "length {len}"
            );
        }
        let got = client.next().await.unwrap().unwrap();
        assert_eq!(got.into_text().unwrap().as_bytes(), text.payload.as_slice());
        // tungstenite answers a ping on its own and also hands it to the reader.
        assert!(matches!(client.next().await, Some(Ok(Message::Ping(_)))));
        writer.await.unwrap();
    }

    #[tokio::test]
    async fn a_pong_tungstenite_queued_goes_out_before_and_apart_from_the_frames() {
        let (mut server, mut client) = pair().await;
        client
            .send(Message::Ping(vec![1, 2, 3].into()))
            .await
            .unwrap();
        // The server reads the ping; tungstenite queues (and may already write) its pong.
        let (seen, next) = {
            let mut frames = Frames::new();
            frames.push(&binary(300));
            let read = server.next().await.unwrap().unwrap();
            frames.write(&mut server).await.unwrap();
            (read, client.next().await.unwrap().unwrap())
        };
        assert_eq!(seen, Message::Ping(vec![1, 2, 3].into()));
        assert_eq!(next, Message::Pong(vec![1, 2, 3].into()));
        let data = client.next().await.unwrap().unwrap();
        assert_eq!(data, Message::Binary(binary(300).payload.into()));
    }
}
