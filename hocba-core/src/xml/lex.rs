//! A small, strict XML 1.0 tokenizer for records: elements, attributes, text, CDATA, comments,
//! processing instructions and the XML declaration. Document type declarations are reported
//! (and refused by the reader); entity references other than the five predefined ones and
//! character references are refused when text is decoded.
//!
//! It works on a `&str` (UTF-8 already checked), allocates nothing for markup, and finds text
//! with `memchr`-style scans, so a 40 KB base64 photo costs little more than a copy.

use std::borrow::Cow;

use crate::error::ParseErrorKind as K;
use crate::model::is_xml_char;

/// A token and where it starts (byte offset).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Tok<'i> {
    /// `<?xml …?>`: the pseudo-attributes.
    Decl(&'i str),
    /// `<name attrs>` or `<name attrs/>`.
    Start {
        name: &'i str,
        attrs: &'i str,
        empty: bool,
    },
    /// `</name>`.
    End(&'i str),
    /// Character data, raw (references not yet decoded; `refs`: it has an `&`).
    Text { raw: &'i str, refs: bool },
    /// White space only, followed by markup (indentation between elements).
    Space(&'i str),
    /// `<![CDATA[…]]>`: the content.
    CData(&'i str),
    /// `<!--…-->`.
    Comment,
    /// `<?target …?>` other than the declaration.
    Pi,
    /// `<!DOCTYPE`.
    DocType,
    /// End of input.
    Eof,
}

/// A lexical error: its kind and byte offset.
pub(crate) type LexError = (K, usize);

pub(crate) struct Lexer<'i> {
    src: &'i str,
    pos: usize,
}

fn syntax(msg: impl Into<String>, at: usize) -> LexError {
    (K::Syntax(msg.into()), at)
}

fn find(hay: &[u8], from: usize, needle: u8) -> Option<usize> {
    memchr::memchr(needle, hay.get(from..)?).map(|p| p + from)
}

/// XML 1.0 name characters, loosely for non-ASCII (which XML allows widely).
fn is_name_start(c: char) -> bool {
    c.is_ascii_alphabetic() || c == '_' || c == ':' || (!c.is_ascii() && c.is_alphabetic())
}

fn is_name_char(c: char) -> bool {
    is_name_start(c)
        || c.is_ascii_digit()
        || c == '-'
        || c == '.'
        || (!c.is_ascii() && !c.is_whitespace())
}

/// ASCII name characters (letters, digits, `_ - . :`), by byte: one load per character.
static ASCII_NAME_CHAR: [bool; 256] = {
    let mut t = [false; 256];
    let mut i = 0;
    while i < 128 {
        let b = i as u8;
        t[i] = b.is_ascii_alphanumeric() || matches!(b, b'_' | b'-' | b'.' | b':');
        i += 1;
    }
    t
};

/// Is `b` one of the 64 characters of base64's alphabet (`A–Z a–z 0–9 + /`)?
fn is_base64(b: u8) -> bool {
    // `/` (0x2F) and the digits (0x30–0x39) are one range.
    ((b | 0x20).wrapping_sub(b'a') < 26) | (b.wrapping_sub(b'/') < 11) | (b == b'+')
}

/// The length of the run of base64 alphabet characters at the start of `b`: 32 bytes at a time,
/// without early exits inside a block, so that the compiler vectorises it (photos are ~40 KB).
fn base64_prefix(b: &[u8]) -> usize {
    const BLOCK: usize = 256;
    let mut n = 0;
    for block in b.chunks_exact(BLOCK) {
        if block
            .iter()
            .fold(0u8, |acc, &x| acc | u8::from(!is_base64(x)))
            != 0
        {
            break;
        }
        n += BLOCK;
    }
    n + b[n..].iter().take_while(|&&x| is_base64(x)).count()
}

/// The length of the text at the start of `b` when it is shorter than 32 bytes, all printable
/// ASCII other than `>` and `&`, and followed by `<`; `None` otherwise (other characters, a
/// longer text, or fewer than 8 bytes left to read). Eight bytes at a time with the bit tricks
/// for "has a zero byte" and "has a byte less than n": a two-letter code costs one word, where
/// `memchr3` and the plain-text check cost about 150 instructions whatever the length.
///
/// Both tricks can mark a byte wrongly only above a byte they marked rightly (the borrow of a
/// subtraction runs upwards), so the lowest marked byte of a word is always a right one.
fn short_ascii_text(b: &[u8]) -> Option<usize> {
    const ONES: u64 = 0x0101_0101_0101_0101;
    const HIGH: u64 = 0x8080_8080_8080_8080;
    let zero_byte = |v: u64| v.wrapping_sub(ONES) & !v & HIGH;
    for k in 0..4 {
        let w = u64::from_le_bytes(b.get(8 * k..8 * k + 8)?.try_into().ok()?);
        let marked = zero_byte(w ^ (ONES * u64::from(b'<')))
            | zero_byte(w ^ (ONES * u64::from(b'>')))
            | zero_byte(w ^ (ONES * u64::from(b'&')))
            // Bytes below 0x20 (control characters, tab and line feed included: the general
            // path takes those), and bytes from 0x80 (non-ASCII).
            | (w.wrapping_sub(ONES * 0x20) & !w & HIGH)
            | (w & HIGH);
        if marked != 0 {
            let i = 8 * k + (marked.trailing_zeros() / 8) as usize;
            return (b[i] == b'<').then_some(i);
        }
    }
    None
}

/// Equality for the short strings of markup (names), without a call to `memcmp`: by 8-byte
/// words (the last one overlapping the one before), or two overlapping 4-byte words, or bytes
/// below 4. A name of format v1 costs one to four word comparisons instead of a loop per byte.
pub(crate) fn same(a: &[u8], b: &[u8]) -> bool {
    let n = a.len();
    if n != b.len() {
        return false;
    }
    if n >= 8 {
        let mut i = 0;
        while i + 8 < n {
            if word(a, i) != word(b, i) {
                return false;
            }
            i += 8;
        }
        word(a, n - 8) == word(b, n - 8)
    } else if n >= 4 {
        half(a, 0) == half(b, 0) && half(a, n - 4) == half(b, n - 4)
    } else {
        a.iter().zip(b).all(|(x, y)| x == y)
    }
}

/// The 8 bytes of `b` from `at` (which the caller keeps in bounds) as a word; 0 when out of
/// bounds, so that a caller's mistake is a mismatch, never a panic.
fn word(b: &[u8], at: usize) -> u64 {
    b.get(at..at + 8)
        .and_then(|w| w.try_into().ok())
        .map_or(0, u64::from_le_bytes)
}

/// [`word`] for 4 bytes.
fn half(b: &[u8], at: usize) -> u32 {
    b.get(at..at + 4)
        .and_then(|w| w.try_into().ok())
        .map_or(0, u32::from_le_bytes)
}

pub(crate) fn is_space(b: u8) -> bool {
    matches!(b, b' ' | b'\t' | b'\n' | b'\r')
}

/// Checks a name; returns its length in bytes at the start of `s`.
fn name_len(s: &str) -> usize {
    let mut chars = s.char_indices();
    match chars.next() {
        Some((_, c)) if is_name_start(c) => {}
        _ => return 0,
    }
    for (i, c) in chars {
        if !is_name_char(c) {
            return i;
        }
    }
    s.len()
}

impl<'i> Lexer<'i> {
    pub(crate) fn new(src: &'i str) -> Self {
        Lexer { src, pos: 0 }
    }

    /// The offset of the next token.
    pub(crate) fn pos(&self) -> usize {
        self.pos
    }

    pub(crate) fn next(&mut self) -> Result<Tok<'i>, LexError> {
        let b = self.src.as_bytes();
        let start = self.pos;
        if start >= b.len() {
            return Ok(Tok::Eof);
        }
        if b[start] != b'<' {
            let i = self.indent_end(start);
            if i > start {
                self.pos = i;
                return Ok(Tok::Space(&self.src[start..i]));
            }
            // One pass to the next '<', noting '>' (for ']]>') and '&' (references) on the way.
            let mut end = b.len();
            let mut refs = false;
            for at in memchr::memchr3_iter(b'<', b'>', b'&', &b[start..]) {
                let at = start + at;
                match b[at] {
                    b'<' => {
                        end = at;
                        break;
                    }
                    b'&' => refs = true,
                    _ => {
                        if at >= start + 2 && &b[at - 2..at] == b"]]" {
                            return Err(syntax("']]>' is not allowed in text", at - 2));
                        }
                    }
                }
            }
            self.pos = end;
            return Ok(Tok::Text {
                raw: &self.src[start..end],
                refs,
            });
        }
        match b.get(start + 1) {
            None => Err((K::UnexpectedEof, b.len())),
            Some(b'/') => self.end_tag(start),
            Some(b'!') => self.bang(start),
            Some(b'?') => self.pi(start),
            Some(_) => self.start_tag(start),
        }
    }

    /// The end of the indentation at `start`: white space up to a `<` (between elements), found
    /// without a search, runs of spaces eight at a time. `start` when there is none, or when the
    /// white space is followed by anything but markup (then it is part of a text).
    fn indent_end(&self, start: usize) -> usize {
        let b = self.src.as_bytes();
        // The usual indentation, a line feed and spaces up to '<', by words: the spaces are the
        // low zero bytes of the word XOR eight spaces.
        let mut i = start + usize::from(b.get(start) == Some(&b'\n'));
        while let Some(w) = b.get(i..i + 8) {
            let x = u64::from_le_bytes([w[0], w[1], w[2], w[3], w[4], w[5], w[6], w[7]])
                ^ 0x2020_2020_2020_2020;
            if x != 0 {
                i += (x.trailing_zeros() / 8) as usize;
                break;
            }
            i += 8;
        }
        if i > start && b.get(i) == Some(&b'<') {
            return i;
        }
        // Anything else (tabs, carriage returns, blank lines, the end of the input): by bytes.
        let mut i = start;
        loop {
            if let Some(w) = b.get(i..i + 8) {
                if w == b"        " {
                    i += 8;
                    continue;
                }
            }
            if i < b.len() && is_space(b[i]) {
                i += 1;
                continue;
            }
            break;
        }
        if b.get(i) == Some(&b'<') {
            i
        } else {
            start
        }
    }

    /// Moves past indentation (the `Space` token [`Lexer::next`] would return), if any: for a
    /// reader that ignores it, without building the token.
    pub(crate) fn skip_indent(&mut self) {
        self.pos = self.indent_end(self.pos);
    }

    /// At the content of a leaf element — text with no reference, no `>` and nothing that
    /// normalisation could change ([`plain_text`](crate::model::plain_text)), directly followed
    /// by `</name>` for exactly this `name` (the element that is open): that text and the offset
    /// of its end tag, with the lexer moved past the end tag. Otherwise `None`, and nothing
    /// moved. One search and one check instead of a text token, an end token and the
    /// normalisation of a one-piece text; the answer is the text those would give.
    pub(crate) fn plain_text_then_end(&mut self, name: &str) -> Option<(&'i str, usize)> {
        let b = self.src.as_bytes();
        let start = self.pos;
        let rest = b.get(start..)?;
        // Codes, numbers and dates are short ASCII: a few words settle them. Otherwise the first
        // of '<', '>' (perhaps of ']]>') and '&' (a reference) must be '<', and the text plain.
        let (lt, checked) = match short_ascii_text(rest) {
            Some(n) => (start + n, true),
            None => (start + memchr::memchr3(b'<', b'>', b'&', rest)?, false),
        };
        let n = name.len();
        let t = b.get(lt..lt + n + 3)?;
        let end_tag =
            t[0] == b'<' && t[1] == b'/' && t[n + 2] == b'>' && same(&t[2..n + 2], name.as_bytes());
        if !end_tag || !(checked || crate::model::plain_text(&b[start..lt])) {
            return None;
        }
        self.pos = lt + n + 3;
        Some((&self.src[start..lt], lt))
    }

    /// At text that is canonical base64 — groups of four alphabet characters, at most two `=`
    /// at the end, no white space — directly followed by an end tag: that text, with the lexer
    /// moved past it. Otherwise `None`, and nothing moved. One pass does the work of the text
    /// search, the reference decoding and the normalisation check (the text has no `<`, `&`,
    /// `]`, `>`, control or non-ASCII character), and establishes what the photo rule needs.
    pub(crate) fn base64_text(&mut self) -> Option<&'i str> {
        let start = self.pos;
        let rest = self.src.as_bytes().get(start..)?;
        let mut n = base64_prefix(rest);
        for _ in 0..2 {
            if rest.get(n) == Some(&b'=') {
                n += 1;
            }
        }
        if n == 0 || !n.is_multiple_of(4) || !rest[n..].starts_with(b"</") {
            return None;
        }
        self.pos = start + n;
        Some(&self.src[start..start + n])
    }

    /// At `<name>` or `<name/>` for one of `names` (tried from `first` on, then from the
    /// start, as the reader's search does): the index of that name and whether the element is
    /// empty, with the lexer moved past the tag. Otherwise `None`, and nothing moved. The
    /// names are ASCII name characters, which `>` and `/` cannot continue, so a hit is the
    /// start tag [`Lexer::next`] would return for that name, without attributes; the member
    /// a canonical document has next costs a comparison instead of a name scan.
    pub(crate) fn start_tag_of(&mut self, names: &[&str], first: usize) -> Option<(usize, bool)> {
        let b = self.src.as_bytes();
        let at = self.pos;
        let tag = b.get(at + 1..)?;
        if b.get(at) != Some(&b'<') {
            return None;
        }
        let first = first.min(names.len());
        for k in (first..names.len()).chain(0..first) {
            let name = names[k].as_bytes();
            let n = name.len();
            let Some(head) = tag.get(..n) else {
                continue;
            };
            if !same(head, name) {
                continue;
            }
            match (tag.get(n), tag.get(n + 1)) {
                (Some(b'>'), _) => {
                    self.pos = at + n + 2;
                    return Some((k, false));
                }
                (Some(b'/'), Some(b'>')) => {
                    self.pos = at + n + 3;
                    return Some((k, true));
                }
                _ => return None,
            }
        }
        None
    }

    /// At `</name>` for exactly this `name` (the element that is open): moves past it. The
    /// common end tag costs one comparison instead of a name scan and a match.
    pub(crate) fn end_tag_of(&mut self, name: &str) -> bool {
        let n = name.len();
        let hit = self
            .src
            .as_bytes()
            .get(self.pos..self.pos + n + 3)
            .is_some_and(|t| {
                t[0] == b'<'
                    && t[1] == b'/'
                    && t[n + 2] == b'>'
                    && same(&t[2..n + 2], name.as_bytes())
            });
        if hit {
            self.pos += n + 3;
        }
        hit
    }

    fn eof(&self) -> LexError {
        (K::UnexpectedEof, self.src.len())
    }

    /// The length of the name at `at`: a fast path for ASCII names, the full rule otherwise.
    fn name_at(&self, at: usize) -> usize {
        let b = self.src.as_bytes();
        let mut i = at;
        if i < b.len() && (b[i].is_ascii_alphabetic() || b[i] == b'_') {
            i += 1;
            while i < b.len() && ASCII_NAME_CHAR[usize::from(b[i])] {
                i += 1;
            }
            if i >= b.len() || b[i] < 0x80 {
                return i - at;
            }
        }
        self.src.get(at..).map_or(0, name_len)
    }

    fn end_tag(&mut self, start: usize) -> Result<Tok<'i>, LexError> {
        let b = self.src.as_bytes();
        let n = self.name_at(start + 2);
        if n == 0 {
            return Err(if start + 2 >= b.len() {
                self.eof()
            } else {
                syntax("an end tag needs a name", start)
            });
        }
        let mut i = start + 2 + n;
        while i < b.len() && is_space(b[i]) {
            i += 1;
        }
        match b.get(i) {
            None => Err(self.eof()),
            Some(b'>') => {
                self.pos = i + 1;
                Ok(Tok::End(&self.src[start + 2..start + 2 + n]))
            }
            Some(_) => Err(syntax("unexpected characters in an end tag", start)),
        }
    }

    fn bang(&mut self, start: usize) -> Result<Tok<'i>, LexError> {
        let rest = &self.src[start..];
        if let Some(after) = rest.strip_prefix("<!--") {
            let end = after.find("-->").ok_or_else(|| self.eof())?;
            if after[..end].contains("--") || after[..end].ends_with('-') {
                return Err(syntax("'--' is not allowed inside a comment", start));
            }
            self.pos = start + 4 + end + 3;
            return Ok(Tok::Comment);
        }
        if let Some(after) = rest.strip_prefix("<![CDATA[") {
            let end = after.find("]]>").ok_or_else(|| self.eof())?;
            self.pos = start + 9 + end + 3;
            return Ok(Tok::CData(&after[..end]));
        }
        if rest.starts_with("<!DOCTYPE") {
            return Ok(Tok::DocType);
        }
        if "<!DOCTYPE".starts_with(rest)
            || "<![CDATA[".starts_with(rest)
            || "<!--".starts_with(rest)
        {
            return Err(self.eof());
        }
        Err(syntax("unexpected '<!' markup", start))
    }

    fn pi(&mut self, start: usize) -> Result<Tok<'i>, LexError> {
        let after = &self.src[start + 2..];
        let end = after.find("?>").ok_or_else(|| self.eof())?;
        let body = &after[..end];
        let n = name_len(body);
        if n == 0 {
            return Err(syntax(
                "a processing instruction needs a target name",
                start,
            ));
        }
        self.pos = start + 2 + end + 2;
        let target = &body[..n];
        if target == "xml" {
            return Ok(Tok::Decl(&body[n..]));
        }
        if target.eq_ignore_ascii_case("xml") {
            return Err(syntax("reserved processing instruction target", start));
        }
        Ok(Tok::Pi)
    }

    fn start_tag(&mut self, start: usize) -> Result<Tok<'i>, LexError> {
        let b = self.src.as_bytes();
        let n = self.name_at(start + 1);
        if n == 0 {
            return Err(syntax(
                "'<' must start a tag; write &lt; for a literal '<'",
                start,
            ));
        }
        let name_end = start + 1 + n;
        // The common case: `<name>` or `<name/>`.
        match b.get(name_end) {
            Some(b'>') => {
                self.pos = name_end + 1;
                return Ok(Tok::Start {
                    name: &self.src[start + 1..name_end],
                    attrs: "",
                    empty: false,
                });
            }
            Some(b'/') if b.get(name_end + 1) == Some(&b'>') => {
                self.pos = name_end + 2;
                return Ok(Tok::Start {
                    name: &self.src[start + 1..name_end],
                    attrs: "",
                    empty: true,
                });
            }
            _ => {}
        }
        // Attributes up to '>' outside quotes.
        let mut i = name_end;
        let mut quote: Option<u8> = None;
        loop {
            let Some(&c) = b.get(i) else {
                return Err(self.eof());
            };
            match quote {
                Some(q) if c == q => quote = None,
                Some(_) if c == b'<' => {
                    return Err(syntax("'<' is not allowed in an attribute value", i))
                }
                Some(_) => {}
                None if c == b'"' || c == b'\'' => quote = Some(c),
                None if c == b'>' => break,
                None => {}
            }
            i += 1;
        }
        let empty = i > name_end && b[i - 1] == b'/';
        let attrs_end = if empty { i - 1 } else { i };
        self.pos = i + 1;
        Ok(Tok::Start {
            name: &self.src[start + 1..name_end],
            attrs: &self.src[name_end..attrs_end],
            empty,
        })
    }
}

/// An attribute: its name and decoded value.
pub(crate) type Attribute<'a> = (&'a str, Cow<'a, str>);

/// Parses `name="value"` pairs; values are decoded. Offsets in errors are relative to `attrs`.
pub(crate) fn attributes(attrs: &str) -> Result<Vec<Attribute<'_>>, LexError> {
    let mut out: Vec<Attribute<'_>> = Vec::new();
    let b = attrs.as_bytes();
    let mut i = 0;
    loop {
        let had_space = i < b.len() && is_space(b[i]);
        while i < b.len() && is_space(b[i]) {
            i += 1;
        }
        if i >= b.len() {
            return Ok(out);
        }
        if !had_space {
            return Err(syntax("attributes must be separated by white space", i));
        }
        let n = name_len(&attrs[i..]);
        if n == 0 {
            return Err(syntax("an attribute needs a name", i));
        }
        let name = &attrs[i..i + n];
        i += n;
        while i < b.len() && is_space(b[i]) {
            i += 1;
        }
        if b.get(i) != Some(&b'=') {
            return Err(syntax(
                format!("the attribute '{name}' needs '=' and a quoted value"),
                i,
            ));
        }
        i += 1;
        while i < b.len() && is_space(b[i]) {
            i += 1;
        }
        let q = match b.get(i) {
            Some(&q @ (b'"' | b'\'')) => q,
            _ => {
                return Err(syntax(
                    format!("the value of '{name}' must be in quotes"),
                    i,
                ))
            }
        };
        let end = find(b, i + 1, q).ok_or_else(|| syntax("unterminated attribute value", i))?;
        let raw = &attrs[i + 1..end];
        let value = decode(raw).map_err(|(k, at)| (k, i + 1 + at))?;
        if out.iter().any(|(n, _)| *n == name) {
            return Err(syntax(format!("the attribute '{name}' appears twice"), i));
        }
        out.push((name, value));
        i = end + 1;
    }
}

/// Decodes the five predefined entities and character references; refuses any other entity.
/// Offsets in errors are relative to `raw`.
pub(crate) fn decode(raw: &str) -> Result<Cow<'_, str>, (K, usize)> {
    let Some(first) = memchr::memchr(b'&', raw.as_bytes()) else {
        return Ok(Cow::Borrowed(raw));
    };
    let mut out = String::with_capacity(raw.len());
    out.push_str(&raw[..first]);
    let mut i = first;
    while i < raw.len() {
        let rest = &raw[i..];
        if !rest.starts_with('&') {
            let next = rest.find('&').unwrap_or(rest.len());
            out.push_str(&rest[..next]);
            i += next;
            continue;
        }
        let semi = rest.find(';').ok_or_else(|| {
            syntax(
                "'&' must start a reference; write &amp; for a literal '&'",
                i,
            )
        })?;
        let name = &rest[1..semi];
        let ch = match name {
            "lt" => '<',
            "gt" => '>',
            "amp" => '&',
            "quot" => '"',
            "apos" => '\'',
            _ if name.starts_with('#') => {
                let num = &name[1..];
                let v = match num.strip_prefix('x') {
                    Some(hex) if !hex.is_empty() && hex.bytes().all(|b| b.is_ascii_hexdigit()) => {
                        u32::from_str_radix(hex, 16).ok()
                    }
                    None if !num.is_empty() && num.bytes().all(|b| b.is_ascii_digit()) => {
                        num.parse::<u32>().ok()
                    }
                    _ => None,
                };
                match v.and_then(char::from_u32) {
                    Some(c) if is_xml_char(c) => c,
                    Some(c) => {
                        return Err((
                            K::IllegalCharacter {
                                element: String::new(),
                                character: c,
                            },
                            i,
                        ))
                    }
                    None => return Err(syntax(format!("invalid character reference &{name};"), i)),
                }
            }
            _ if name_len(name) == name.len() && !name.is_empty() => {
                return Err((
                    K::EntityNotAllowed {
                        name: name.to_owned(),
                    },
                    i,
                ))
            }
            _ => {
                return Err(syntax(
                    "'&' must start a reference; write &amp; for a literal '&'",
                    i,
                ))
            }
        };
        out.push(ch);
        i += semi + 1;
    }
    Ok(Cow::Owned(out))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn toks(s: &str) -> Vec<Tok<'_>> {
        let mut l = Lexer::new(s);
        let mut v = Vec::new();
        loop {
            match l.next() {
                Ok(Tok::Eof) => return v,
                Ok(t) => v.push(t),
                Err(e) => panic!("{e:?}"),
            }
        }
    }

    #[test]
    fn tokens() {
        let t = toks(
            "<?xml version=\"1.0\"?>\n<a x='1' y=\"a>b\"><b/>t&amp;<!-- c --><![CDATA[<x>]]></a >",
        );
        assert_eq!(t[0], Tok::Decl(" version=\"1.0\""));
        assert_eq!(t[1], Tok::Space("\n"));
        assert_eq!(
            t[2],
            Tok::Start {
                name: "a",
                attrs: " x='1' y=\"a>b\"",
                empty: false
            }
        );
        assert_eq!(
            t[3],
            Tok::Start {
                name: "b",
                attrs: "",
                empty: true
            }
        );
        assert_eq!(
            t[4],
            Tok::Text {
                raw: "t&amp;",
                refs: true
            }
        );
        assert_eq!(t[5], Tok::Comment);
        assert_eq!(t[6], Tok::CData("<x>"));
        assert_eq!(t[7], Tok::End("a"));
    }

    #[test]
    fn errors() {
        let err = |s: &str| {
            let mut l = Lexer::new(s);
            loop {
                match l.next() {
                    Ok(Tok::Eof) => return None,
                    Ok(_) => {}
                    Err(e) => return Some(e),
                }
            }
        };
        assert!(matches!(err("<a"), Some((K::UnexpectedEof, _))));
        assert!(matches!(err("<a x='1"), Some((K::UnexpectedEof, _))));
        assert!(matches!(err("<!-- a -- b -->"), Some((K::Syntax(_), 0))));
        assert!(matches!(err("a ]]> b"), Some((K::Syntax(_), 2))));
        assert!(matches!(err("< a>"), Some((K::Syntax(_), 0))));
        assert!(matches!(err("<a x='<'>"), Some((K::Syntax(_), _))));
    }

    #[test]
    fn same_agrees_with_slice_equality() {
        let a: Vec<u8> = (0..40u8).map(|i| b'a' + i % 26).collect();
        for n in 0..=a.len() {
            let x = &a[..n];
            assert!(same(x, x), "length {n}");
            assert!(!same(x, &a[..n.saturating_sub(1)]) || n == 0);
            for at in 0..n {
                let mut y = x.to_vec();
                y[at] ^= 0x20;
                assert!(!same(x, &y), "length {n}, difference at {at}");
            }
        }
    }

    #[test]
    fn short_ascii_text_agrees_with_the_general_check() {
        // The bytes that matter, at each position of the first three words.
        let specials = [
            b'<', b'>', b'&', b'\t', b'\n', b'\r', 0, 0x1F, 0x20, 0x7E, 0x7F, 0xC3, 0xE1, b']',
        ];
        for len in 0..40 {
            for at in 0..len.min(24) {
                for &x in &specials {
                    let mut v = vec![b'a'; len];
                    v[at] = x;
                    v.extend_from_slice(b"</a>........");
                    let want = memchr::memchr3(b'<', b'>', b'&', &v).filter(|&i| {
                        v[i] == b'<' && v[..i].iter().all(|&c| (0x20..0x80).contains(&c))
                    });
                    match short_ascii_text(&v) {
                        Some(n) => assert_eq!(Some(n), want, "{v:?}"),
                        // Only longer texts (or bytes the general path must see) are left to it.
                        None => assert!(want.is_none_or(|n| n >= 32), "{v:?}"),
                    }
                }
            }
        }
        // Too near the end to read a word: the general path.
        assert_eq!(short_ascii_text(b"ab</a>"), None);
        assert_eq!(short_ascii_text(b"ab</a>xx"), Some(2));
    }

    #[test]
    fn plain_text_then_end_gives_what_the_events_give() {
        fn fast(s: &str) -> Option<(&str, usize)> {
            let mut l = Lexer::new(s);
            let r = l.plain_text_then_end("a");
            if r.is_none() {
                assert_eq!(l.pos(), 0, "moved without an answer: {s:?}");
            }
            r.map(|(t, _)| (t, l.pos()))
        }
        let long = "Đọc đúng, rõ ràng nhưng còn chậm; bài văn viết đủ ý.".repeat(3);
        let cases = [
            "TV</a>   ",
            "</a>      ",
            "2025-2026</a>",
            "HB-56-2026-008315-HB-56-2026-008315</a>",
            "Lê Hoàng Phúc</a>",
            "tab\there</a>  ",
            "line\nend</a>  ",
            "cr\r\nend</a> ",
            "a &amp; b</a>  ",
            "a > b</a>      ",
            "x]]>y</a>      ",
            "e\u{301} combining</a>",
            "ё cyrillic</a>   ",
            "TV</b>   ",
            "TV</ab>  ",
            "TV<![CDATA[x]]></a>",
            "TV<!-- c --></a>",
            "TV<b/></a>",
            "TV",
            &format!("{long}</a>"),
        ];
        for s in cases {
            let got = fast(s);
            // The general path: text events up to the end tag, then normalisation.
            let mut l = Lexer::new(s);
            let mut text = String::new();
            let mut plain = true;
            let want = loop {
                match l.next() {
                    Ok(Tok::Text { raw, refs: false } | Tok::Space(raw)) => text.push_str(raw),
                    Ok(Tok::End("a")) => break Some(l.pos()),
                    _ => {
                        plain = false;
                        break None;
                    }
                }
            };
            if let Some((t, pos)) = got {
                assert!(plain, "{s:?}");
                assert_eq!(Some(pos), want, "{s:?}");
                assert_eq!(t, text, "{s:?}");
                assert_eq!(
                    crate::model::normalize_text(&text).ok().as_deref(),
                    Some(t),
                    "{s:?}"
                );
            }
        }
        assert_eq!(fast("TV</a>   "), Some(("TV", 6)));
        assert_eq!(
            fast(&format!("{long}</a>")).map(|(t, _)| t),
            Some(long.as_str())
        );
        assert_eq!(fast("a &amp; b</a>  "), None);
        assert_eq!(fast("e\u{301} combining</a>"), None);
        assert_eq!(fast("cr\r\nend</a> "), None);
    }

    #[test]
    fn base64_text_only_when_canonical() {
        fn run(s: &str) -> (Option<&str>, usize) {
            let mut l = Lexer::new(s);
            let t = l.base64_text();
            (t, l.pos())
        }
        assert_eq!(run("QUJD</a>"), (Some("QUJD"), 4));
        assert_eq!(run("QUI=</a>"), (Some("QUI="), 4));
        assert_eq!(run("QU==</a>"), (Some("QU=="), 4));
        assert_eq!(run(&format!("{}</a>", "A+/9".repeat(100))).1, 400);
        // Anything else is left to the general path: nothing moved.
        for s in [
            "</a>",
            "QUJ</a>",
            "Q===</a>",
            "QU=D</a>",
            "QU*D</a>",
            "QU\nJD</a>",
            "QUJD <!---->",
            "QUJD&amp;</a>",
            "QUJD",
            "QUJD<b>",
            "QUJDé</a>",
        ] {
            assert_eq!(run(s), (None, 0), "{s:?}");
        }
    }

    #[test]
    fn references_and_attributes() {
        assert_eq!(
            decode("a &lt;b&gt; &#7847; &#x1EA3;").ok().as_deref(),
            Some("a <b> ầ ả")
        );
        assert!(matches!(
            decode("&nbsp;"),
            Err((K::EntityNotAllowed { .. }, 0))
        ));
        assert!(matches!(decode("x & y"), Err((K::Syntax(_), 2))));
        assert!(matches!(
            decode("&#1;"),
            Err((K::IllegalCharacter { .. }, 0))
        ));
        let a = attributes(" xmlns=\"u\" phienBan = '1'").expect("attrs");
        assert_eq!(
            a,
            vec![
                ("xmlns", Cow::Borrowed("u")),
                ("phienBan", Cow::Borrowed("1"))
            ]
        );
        assert!(attributes(" a='1' a='2'").is_err());
        assert!(attributes(" a='1'b='2'").is_err());
        assert!(attributes(" a=1").is_err());
    }
}
