//! Frames ↔ messages, in the form the client chose: binary (`STAR` frames) or JSON text.

use protocol::{ClientMessage, DecodeError, DecodeLimits, EncodeOptions, ServerMessage};
use tokio_tungstenite::tungstenite::protocol::frame::Frame;
use tokio_tungstenite::tungstenite::protocol::frame::coding::{Data, OpCode};
use tokio_tungstenite::tungstenite::{Bytes, Message, Utf8Bytes};

/// The largest WebSocket frame the server writes: a longer message (the content tables,
/// the map, a full snapshot) goes out as a message in fragments of this size.
/// tungstenite formats every frame into one write buffer per connection and keeps that
/// buffer's capacity for the connection's lifetime, so the largest frame ever written
/// is what an idle connection costs; browsers and WebSocket libraries put fragments
/// back together.
pub const MAX_FRAME_BYTES: usize = 1024;

/// The form a client uses; the server answers in the same one.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Form {
    /// Binary `STAR` frames.
    Binary,
    /// JSON text frames.
    Text,
}

/// Decodes a client frame. `Ok(None)` for control frames.
pub fn decode(
    frame: &Message,
    limits: &DecodeLimits,
) -> Result<Option<(ClientMessage, Form)>, DecodeError> {
    match frame {
        Message::Binary(b) => {
            protocol::decode::<ClientMessage>(b, limits).map(|m| Some((m, Form::Binary)))
        }
        Message::Text(t) => {
            protocol::from_json::<ClientMessage>(t.as_str(), limits.max_frame_bytes)
                .map(|m| Some((m, Form::Text)))
        }
        _ => Ok(None),
    }
}

/// Encodes a server message; `None` (logged) if it breaks a limit, which is a server bug.
pub fn encode(msg: &ServerMessage, form: Form, opts: &EncodeOptions) -> Option<Message> {
    let res = match form {
        Form::Binary => protocol::encode(msg, opts).map(|v| Message::Binary(Bytes::from(v))),
        Form::Text => protocol::to_json(msg).map(|s| Message::Text(Utf8Bytes::from(s))),
    };
    match res {
        Ok(m) => Some(m),
        Err(e) => {
            tracing::error!(message = msg.name(), error = %e, "could not encode a server message");
            None
        }
    }
}

/// `frame` as the frames to write: itself when it fits in `max` bytes, otherwise the
/// same message in fragments of at most `max` bytes (the first carries the message's
/// type, the rest are continuations, the last is final). Control frames are never split.
pub fn fragments(frame: Message, max: usize) -> impl Iterator<Item = Message> {
    let max = max.max(1);
    let (payload, kind) = match frame {
        Message::Binary(b) if b.len() > max => (b, Data::Binary),
        Message::Text(t) if t.len() > max => (Bytes::from(t), Data::Text),
        other => return Fragments::Whole(Some(other)),
    };
    Fragments::Split {
        payload,
        kind,
        at: 0,
        max,
    }
}

/// The frames of one message; see [`fragments`].
enum Fragments {
    Whole(Option<Message>),
    Split {
        payload: Bytes,
        kind: Data,
        at: usize,
        max: usize,
    },
}

impl Iterator for Fragments {
    type Item = Message;

    fn next(&mut self) -> Option<Message> {
        match self {
            Fragments::Whole(m) => m.take(),
            Fragments::Split {
                payload,
                kind,
                at,
                max,
            } => {
                if *at >= payload.len() {
                    return None;
                }
                let end = (*at + *max).min(payload.len());
                let opcode = if *at == 0 {
                    OpCode::Data(*kind)
                } else {
                    OpCode::Data(Data::Continue)
                };
                let part = payload.slice(*at..end);
                *at = end;
                Some(Message::Frame(Frame::message(
                    part,
                    opcode,
                    end == payload.len(),
                )))
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Each frame's (opcode, fin, payload).
    fn parts(frame: Message, max: usize) -> Vec<(OpCode, bool, Vec<u8>)> {
        fragments(frame, max)
            .map(|m| match m {
                Message::Frame(f) => (f.header().opcode, f.header().is_final, f.payload().to_vec()),
                other => panic!("expected a raw frame, got {other:?}"),
            })
            .collect()
    }

    #[test]
    fn a_message_that_fits_goes_out_whole() {
        let small = Message::Binary(Bytes::from(vec![7u8; 1024]));
        let out: Vec<Message> = fragments(small.clone(), 1024).collect();
        assert_eq!(out, vec![small]);
        let ping = Message::Ping(Bytes::from(vec![1u8; 100]));
        assert_eq!(fragments(ping.clone(), 10).collect::<Vec<_>>(), vec![ping]);
    }

    #[test]
    fn a_long_binary_message_goes_out_in_fragments_that_rebuild_it() {
        let payload: Vec<u8> = (0..2500u32).map(|i| (i % 251) as u8).collect();
        let out = parts(Message::Binary(Bytes::from(payload.clone())), 1024);
        let shape: Vec<(OpCode, bool, usize)> =
            out.iter().map(|(o, fin, p)| (*o, *fin, p.len())).collect();
        assert_eq!(
            shape,
            vec![
                (OpCode::Data(Data::Binary), false, 1024),
                (OpCode::Data(Data::Continue), false, 1024),
                (OpCode::Data(Data::Continue), true, 452),
            ]
        );
        let joined: Vec<u8> = out.into_iter().flat_map(|(_, _, p)| p).collect();
        assert_eq!(joined, payload);
    }

    #[test]
    fn a_long_text_message_keeps_its_type_in_the_first_fragment() {
        let text = "é".repeat(700); // 1,400 bytes: a fragment may end inside a character
        let out = parts(Message::Text(Utf8Bytes::from(text.clone())), 1001);
        assert_eq!(out.len(), 2);
        assert_eq!((out[0].0, out[0].1), (OpCode::Data(Data::Text), false));
        assert_eq!((out[1].0, out[1].1), (OpCode::Data(Data::Continue), true));
        let joined: Vec<u8> = out.into_iter().flat_map(|(_, _, p)| p).collect();
        assert_eq!(String::from_utf8(joined).unwrap(), text);
    }
}
