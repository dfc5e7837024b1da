//! SyncML, as Windows MDM profiles write it: `<Add>`, `<Replace>`, `<Exec>` commands, each with
//! items that target a node by `<LocURI>` and carry `<Meta><Format>` and `<Data>`. Files come
//! as a bare list of commands (Fleet), wrapped in `<Atomic>`, or in a whole
//! `<SyncML><SyncBody>` message (Microsoft's examples).
//!
//! Read tolerantly: a bare list has several root elements, and Microsoft's own example writes
//! a placeholder that looks like a tag inside its LocURIs (`SCEP/<InsertUniqueIDHere>/Install`),
//! so markup inside `<LocURI>` and `<Data>` is kept as text and closing tags close the nearest
//! element of their name.

use quick_xml::events::Event;

use super::xml::{Events, resolve_reference};
use super::{Comment, Limits, ParseError};
use crate::source::Span;

/// The elements that make a file SyncML when one of them is its first element.
pub const ROOTS: &[&str] = &[
    "SyncML", "SyncBody", "Atomic", "Sequence", "Add", "Replace", "Exec",
];

/// Text inside an element: its value (entities decoded) and where its content is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Text {
    pub value: String,
    pub span: Span,
}

/// One `<Item>` of a command.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Item {
    /// The item element.
    pub span: Span,
    /// `<Target><LocURI>`.
    pub target: Option<Text>,
    /// `<Meta><Format>`.
    pub format: Option<Text>,
    pub data: Option<Text>,
}

/// One command (`Add`, `Replace`, `Exec`, `Delete`, `Get`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Command {
    pub verb: String,
    /// The command's opening tag.
    pub span: Span,
    /// The whole command element.
    pub extent: Span,
    pub items: Vec<Item>,
}

/// A SyncML file, as far as a linter needs it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SyncMl {
    pub commands: Vec<Command>,
    /// The elements around commands, outermost first, with their opening tags: `SyncML`,
    /// `SyncBody`, `Atomic`, `Sequence`. Empty for a bare list.
    pub wrappers: Vec<(String, Span)>,
    /// Names of elements at the top level, in order, with their opening tags.
    pub top_level: Vec<(String, Span)>,
    /// An XML declaration or processing instruction, which some MDMs refuse (Fleet).
    pub declaration: Option<Span>,
    pub comments: Vec<Comment>,
}

const COMMANDS: &[&str] = &["Add", "Replace", "Exec", "Delete", "Get"];
const WRAPPERS: &[&str] = &["SyncML", "SyncBody", "Atomic", "Sequence"];

/// What is being collected for the element on top of the stack.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Collect {
    None,
    Target,
    Format,
    Data,
}

struct Open {
    name: String,
    collect: Collect,
    content_start: usize,
}

pub fn parse(text: &str, limits: &Limits) -> Result<SyncMl, ParseError> {
    let mut events = Events::tolerant(text);
    let mut stack: Vec<Open> = Vec::new();
    let mut file = SyncMl {
        commands: Vec::new(),
        wrappers: Vec::new(),
        top_level: Vec::new(),
        declaration: None,
        comments: Vec::new(),
    };
    let mut item: Option<Item> = None;
    let mut collected = String::new();
    let mut elements = 0usize;

    loop {
        let (event, span) = events.next()?;
        let collecting = stack.last().map_or(Collect::None, |o| o.collect);
        match event {
            Event::Start(start) => {
                let name = start.name().as_ref().to_owned();
                if collecting != Collect::None {
                    // Markup inside a LocURI or Data is part of its text (`<InsertUniqueIDHere>`).
                    collected.push_str(&text[span.clone()]);
                    continue;
                }
                elements += 1;
                if stack.len() >= limits.max_depth || elements > limits.max_values {
                    return Err(ParseError::at(
                        "the SyncML is nested too deeply or has too many elements",
                        span,
                    ));
                }
                open_element(&mut file, &mut item, &stack, &name, &span);
                let parent = stack.last().map(|o| o.name.as_str());
                let collect = match (parent, name.as_str()) {
                    (Some("Target"), "LocURI") => Collect::Target,
                    (Some("Meta"), "Format") => Collect::Format,
                    (Some("Item"), "Data") => Collect::Data,
                    _ => Collect::None,
                };
                if collect != Collect::None {
                    collected.clear();
                }
                stack.push(Open {
                    name,
                    collect,
                    content_start: span.end,
                });
            }
            Event::Empty(start) => {
                let name = start.name().as_ref().to_owned();
                if collecting != Collect::None {
                    collected.push_str(&text[span.clone()]);
                    continue;
                }
                open_element(&mut file, &mut item, &stack, &name, &span);
                if name == "Data"
                    && stack.last().is_some_and(|o| o.name == "Item")
                    && let Some(item) = item.as_mut()
                {
                    item.data = Some(Text {
                        value: String::new(),
                        span: span.end..span.end,
                    });
                }
                if name == "Item" {
                    close_item(&mut file, &mut item, span.end);
                }
            }
            Event::End(end) => {
                let name = end.name().as_ref().to_owned();
                let Some(depth) = stack.iter().rposition(|o| o.name == name) else {
                    if collecting != Collect::None {
                        collected.push_str(&text[span.clone()]);
                        continue;
                    }
                    return Err(ParseError::at(
                        "malformed XML: a closing tag has no matching opening tag",
                        span,
                    ));
                };
                if collecting != Collect::None && depth + 1 != stack.len() {
                    // `</X>` of markup inside a LocURI or Data.
                    collected.push_str(&text[span.clone()]);
                    continue;
                }
                let open = stack.split_off(depth).remove(0);
                if COMMANDS.contains(&name.as_str())
                    && stack.iter().all(|o| !COMMANDS.contains(&o.name.as_str()))
                    && let Some(command) = file.commands.last_mut()
                {
                    command.extent = command.span.start..span.end;
                }
                if open.collect != Collect::None
                    && let Some(item) = item.as_mut()
                {
                    let value = Text {
                        value: std::mem::take(&mut collected),
                        span: open.content_start..span.start,
                    };
                    match open.collect {
                        Collect::Target => item.target = Some(value),
                        Collect::Format => item.format = Some(value),
                        Collect::Data => item.data = Some(value),
                        Collect::None => {}
                    }
                }
                if name == "Item" {
                    close_item(&mut file, &mut item, span.end);
                }
            }
            Event::Text(t) => {
                if collecting != Collect::None {
                    collected.push_str(&t.xml10_content());
                }
            }
            Event::CData(c) => {
                if collecting != Collect::None {
                    collected.push_str(&c);
                }
            }
            Event::GeneralRef(r) => {
                if collecting != Collect::None {
                    match resolve_reference(&r) {
                        Some(c) => collected.push(c),
                        None => collected.push_str(&text[span.clone()]),
                    }
                }
            }
            Event::Comment(c) => file.comments.push(Comment {
                text: c.to_string(),
                span: Some(span),
            }),
            Event::Decl(_) | Event::PI(_) => {
                file.declaration.get_or_insert(span);
            }
            Event::DocType(_) => {}
            Event::Eof => break,
        }
    }
    if let Some(open) = stack.last() {
        return Err(ParseError::at(
            format!(
                "the file ends inside a <{}> element (truncated?)",
                if open.name.len() <= 40 {
                    open.name.as_str()
                } else {
                    "…"
                }
            ),
            text.len().saturating_sub(1)..text.len(),
        ));
    }
    if file.top_level.is_empty() {
        return Err(ParseError::new("the file holds no XML element", None));
    }
    Ok(file)
}

/// Notes an element that opens outside any collected text.
fn open_element(
    file: &mut SyncMl,
    item: &mut Option<Item>,
    stack: &[Open],
    name: &str,
    span: &Span,
) {
    if stack.is_empty() {
        file.top_level.push((name.to_owned(), span.clone()));
    }
    let in_wrappers = stack.iter().all(|o| WRAPPERS.contains(&o.name.as_str()));
    if in_wrappers && WRAPPERS.contains(&name) {
        file.wrappers.push((name.to_owned(), span.clone()));
    }
    if COMMANDS.contains(&name) && stack.iter().all(|o| !COMMANDS.contains(&o.name.as_str())) {
        file.commands.push(Command {
            verb: name.to_owned(),
            span: span.clone(),
            extent: span.clone(),
            items: Vec::new(),
        });
    }
    if name == "Item"
        && stack
            .last()
            .is_some_and(|o| COMMANDS.contains(&o.name.as_str()))
    {
        *item = Some(Item {
            span: span.clone(),
            ..Item::default()
        });
    }
}

fn close_item(file: &mut SyncMl, item: &mut Option<Item>, end: usize) {
    if let (Some(mut done), Some(command)) = (item.take(), file.commands.last_mut()) {
        done.span = done.span.start..end;
        command.items.push(done);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse_ok(text: &str) -> SyncMl {
        parse(text, &Limits::default()).expect("parses")
    }

    const ITEM: &str = "<Item><Target><LocURI>./User/Vendor/MSFT/ClientCertificateInstall/SCEP/A/Install/KeyLength</LocURI></Target><Meta><Format xmlns=\"syncml:metinf\">int</Format></Meta><Data>2048</Data></Item>";

    #[test]
    fn reads_a_bare_list_of_commands() {
        let text = format!(
            "<Replace><CmdID>1</CmdID>{ITEM}</Replace>\n<!-- c -->\n<Exec><CmdID>2</CmdID><Item><Target><LocURI>./User/x/Install/Enroll</LocURI></Target></Item></Exec>"
        );
        let file = parse_ok(&text);
        assert_eq!(file.commands.len(), 2);
        assert!(file.wrappers.is_empty());
        assert_eq!(file.top_level.len(), 2);
        let item = &file.commands[0].items[0];
        assert!(
            item.target
                .as_ref()
                .unwrap()
                .value
                .ends_with("/Install/KeyLength")
        );
        assert_eq!(item.format.as_ref().unwrap().value, "int");
        let data = item.data.as_ref().unwrap();
        assert_eq!(data.value, "2048");
        assert_eq!(&text[data.span.clone()], "2048");
        assert_eq!(file.commands[1].verb, "Exec");
        assert_eq!(file.comments.len(), 1);
    }

    #[test]
    fn reads_wrapped_messages_and_placeholders_inside_locuris() {
        let text = "<?xml version=\"1.0\"?><SyncML><SyncBody><Atomic><Add><CmdID>1</CmdID><Item><Target><LocURI>./Device/Vendor/MSFT/ClientCertificateInstall/SCEP/<InsertUniqueIDHere>/Install/KeyUsage</LocURI></Target><Data>160</Data></Item></Add></Atomic><Final/></SyncBody></SyncML>";
        let file = parse_ok(text);
        let names: Vec<&str> = file.wrappers.iter().map(|(n, _)| n.as_str()).collect();
        assert_eq!(names, ["SyncML", "SyncBody", "Atomic"]);
        assert!(file.declaration.is_some());
        let target = file.commands[0].items[0].target.as_ref().unwrap();
        assert_eq!(
            target.value,
            "./Device/Vendor/MSFT/ClientCertificateInstall/SCEP/<InsertUniqueIDHere>/Install/KeyUsage"
        );
        assert_eq!(&text[target.span.clone()], target.value);
    }

    #[test]
    fn entities_and_cdata_are_decoded() {
        let text = "<Add><Item><Target><LocURI>./User/a&amp;b</LocURI></Target><Data><![CDATA[x<y]]>&lt;z</Data></Item></Add>";
        let file = parse_ok(text);
        let item = &file.commands[0].items[0];
        assert_eq!(item.target.as_ref().unwrap().value, "./User/a&b");
        assert_eq!(item.data.as_ref().unwrap().value, "x<y<z");
    }

    #[test]
    fn broken_files_are_errors_with_a_place() {
        for text in ["<Add><Item><Target>", "<Add></Replace>", "<Add><Item <"] {
            let error = parse(text, &Limits::default()).expect_err(text);
            assert!(error.span.is_some(), "{text}");
        }
    }
}
