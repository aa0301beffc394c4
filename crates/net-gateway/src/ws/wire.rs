//! Frames ↔ messages, in the form the client chose: binary (`STAR` frames) or JSON text.

use protocol::{ClientMessage, DecodeError, DecodeLimits, EncodeOptions, ServerMessage};
use tokio_tungstenite::tungstenite::Message;

use super::frames::Encoded;

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
pub fn encode(msg: &ServerMessage, form: Form, opts: &EncodeOptions) -> Option<Encoded> {
    let res = match form {
        Form::Binary => protocol::encode(msg, opts).map(|payload| Encoded {
            text: false,
            payload,
        }),
        Form::Text => protocol::to_json(msg).map(|s| Encoded {
            text: true,
            payload: s.into_bytes(),
        }),
    };
    match res {
        Ok(m) => Some(m),
        Err(e) => {
            tracing::error!(message = msg.name(), error = %e, "could not encode a server message");
            None
        }
    }
}
