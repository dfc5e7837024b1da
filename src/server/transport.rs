//! Standard input and output as an LSP connection. lsp-server's own stdio transport allocates
//! whatever `Content-Length` a client sends and stops at the first message it cannot parse,
//! putting the message in its error; this one bounds each message, skips what is not JSON-RPC,
//! and never repeats a message's text (a document holds a challenge).

use std::io::{self, BufRead, Read, Write};
use std::thread::JoinHandle;

use lsp_server::{Connection, Message};

/// The largest message read: a document at the largest size sceplint checks, JSON-escaped.
const MAX_MESSAGE: usize = 64 << 20;
/// The longest header line read.
const MAX_HEADER: u64 = 1024;

/// The connection, and the reader and writer threads behind it.
pub fn stdio() -> (Connection, JoinHandle<()>, JoinHandle<()>) {
    let (server, transport) = Connection::memory();
    let Connection { sender, receiver } = transport;
    let reader = std::thread::spawn(move || {
        let stdin = io::stdin();
        let mut input = stdin.lock();
        while let Ok(Some(body)) = read_frame(&mut input) {
            let Some(body) = body else { continue };
            let Ok(message) = serde_json::from_slice::<Message>(&body) else {
                continue;
            };
            let exit = matches!(&message, Message::Notification(n) if n.method == "exit");
            if sender.send(message).is_err() || exit {
                break;
            }
        }
    });
    let writer = std::thread::spawn(move || {
        // The protocol's channel: what the server sends is sealed (`run::seal`) before it
        // becomes a message.
        #[allow(clippy::disallowed_methods)]
        let stdout = io::stdout();
        let mut output = stdout.lock();
        for message in receiver {
            if message.write(&mut output).is_err() {
                break;
            }
        }
        let _ = output.flush();
    });
    (server, reader, writer)
}

/// The next message's body: `Ok(None)` at the end of input, `Ok(Some(None))` for a message
/// skipped (no length, or longer than [`MAX_MESSAGE`], whose body is read and dropped).
fn read_frame(input: &mut impl BufRead) -> io::Result<Option<Option<Vec<u8>>>> {
    let mut length: Option<u64> = None;
    loop {
        let mut line = Vec::new();
        if input
            .by_ref()
            .take(MAX_HEADER)
            .read_until(b'\n', &mut line)?
            == 0
        {
            return Ok(None);
        }
        let line = String::from_utf8_lossy(&line);
        let line = line.trim_end();
        if line.is_empty() {
            break;
        }
        if let Some((name, value)) = line.split_once(':')
            && name.trim().eq_ignore_ascii_case("content-length")
        {
            length = value.trim().parse().ok();
        }
    }
    let Some(length) = length else {
        return Ok(Some(None));
    };
    if length > MAX_MESSAGE as u64 {
        io::copy(&mut input.by_ref().take(length), &mut io::sink())?;
        return Ok(Some(None));
    }
    let mut body = vec![0; length as usize];
    input.read_exact(&mut body)?;
    Ok(Some(Some(body)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn frames_are_bounded_and_bad_ones_skipped() {
        let text = "Content-Length: 2\r\n\r\n{}Content-Length: 99999999999\r\n\r\nxyz";
        let mut input = io::Cursor::new(text.as_bytes());
        assert_eq!(read_frame(&mut input).unwrap(), Some(Some(b"{}".to_vec())));
        assert_eq!(read_frame(&mut input).unwrap(), Some(None));
        assert_eq!(read_frame(&mut input).unwrap(), None);
        let mut no_length = io::Cursor::new(&b"X-Other: 1\r\n\r\n"[..]);
        assert_eq!(read_frame(&mut no_length).unwrap(), Some(None));
    }
}
