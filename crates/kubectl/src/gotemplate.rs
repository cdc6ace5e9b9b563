//! kubectl's Go templates (`-o go-template=…`, `--template`, `-o go-template-file=…`): a subset of
//! Go's text/template written for the playground, evaluated over the object's JSON the way
//! kubectl evaluates it (apimachinery's JSON decoding: whole numbers are `int64`, other numbers
//! `float64`; `missingkey=default`, so a missing key prints `<no value>`).
//!
//! Supported: text with `{{- -}}` trim markers and `{{/* comments */}}`; fields `.a.b`, `.`, `$`,
//! variables (`$x := …`, `$x = …`), chains `(…).a`, literals (strings with Go escapes, raw
//! strings, characters, numbers, `true`/`false`/`nil`), pipelines `a | b`, `if`/`else if`/`else`,
//! `range` (`$i, $v :=`, `else`, `break`, `continue`), `with`/`else with`, `define`, `template`,
//! `block`, and the functions `and or not len index slice print printf println eq ne lt le gt ge
//! html js urlquery` plus kubectl's `exists` and `base64decode`. Errors are worded as Go's
//! (`template: output:1: function "foo" not defined`, `template: output:1:2: executing "output"
//! at <…>: …`). Evaluation is bounded: nesting, template recursion and the number of steps.

use std::borrow::Cow;
use std::collections::BTreeMap;

use serde_json::{Map, Value};

/// The name kubectl gives its template; it appears in every error.
const NAME: &str = "output";
/// Deepest parenthesis / control-structure nesting the parser accepts.
const MAX_PARSE_DEPTH: usize = 100;
/// Deepest `{{template}}` recursion at run time.
const MAX_EXEC_DEPTH: usize = 100;
/// Most evaluation steps one execution may take (a template calling itself twice per level
/// would otherwise run for ever).
const MAX_STEPS: u64 = 2_000_000;
/// Largest `range N` over an integer.
const MAX_RANGE_INT: i64 = 100_000;

// ---------------------------------------------------------------------------------------------
// Syntax tree

#[derive(Debug, Clone, PartialEq)]
enum Node {
    Text(String),
    Action {
        pos: usize,
        pipe: Pipe,
    },
    If(Branch),
    Range(Branch),
    With(Branch),
    Template {
        pos: usize,
        name: String,
        pipe: Option<Pipe>,
    },
    Break,
    Continue,
}

#[derive(Debug, Clone, PartialEq)]
struct Branch {
    pos: usize,
    pipe: Pipe,
    list: Vec<Node>,
    else_list: Option<Vec<Node>>,
}

#[derive(Debug, Clone, PartialEq)]
struct Pipe {
    pos: usize,
    is_assign: bool,
    decl: Vec<String>,
    cmds: Vec<Command>,
}

#[derive(Debug, Clone, PartialEq)]
struct Command {
    pos: usize,
    args: Vec<Arg>,
}

#[derive(Debug, Clone, PartialEq)]
enum Arg {
    Field {
        pos: usize,
        path: Vec<String>,
    },
    Variable {
        pos: usize,
        name: String,
        path: Vec<String>,
    },
    Dot {
        pos: usize,
    },
    Ident {
        pos: usize,
        name: String,
    },
    Str {
        pos: usize,
        quoted: String,
        value: String,
    },
    Number {
        pos: usize,
        text: String,
        value: Number,
    },
    Bool {
        pos: usize,
        value: bool,
    },
    Nil {
        pos: usize,
    },
    Pipe {
        pos: usize,
        pipe: Box<Pipe>,
    },
    Chain {
        pos: usize,
        node: Box<Arg>,
        path: Vec<String>,
    },
}

#[derive(Debug, Clone, Copy, PartialEq)]
enum Number {
    Int(i64),
    Float(f64),
    /// A literal too big for any Go type the template engine uses.
    Overflow,
}

impl Arg {
    fn pos(&self) -> usize {
        match self {
            Arg::Field { pos, .. }
            | Arg::Variable { pos, .. }
            | Arg::Dot { pos }
            | Arg::Ident { pos, .. }
            | Arg::Str { pos, .. }
            | Arg::Number { pos, .. }
            | Arg::Bool { pos, .. }
            | Arg::Nil { pos }
            | Arg::Pipe { pos, .. }
            | Arg::Chain { pos, .. } => *pos,
        }
    }
}

impl std::fmt::Display for Arg {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Arg::Field { path, .. } => {
                for p in path {
                    write!(f, ".{p}")?;
                }
                Ok(())
            }
            Arg::Variable { name, path, .. } => {
                write!(f, "{name}")?;
                for p in path {
                    write!(f, ".{p}")?;
                }
                Ok(())
            }
            Arg::Dot { .. } => write!(f, "."),
            Arg::Ident { name, .. } => write!(f, "{name}"),
            Arg::Str { quoted, .. } => write!(f, "{quoted}"),
            Arg::Number { text, .. } => write!(f, "{text}"),
            Arg::Bool { value, .. } => write!(f, "{value}"),
            Arg::Nil { .. } => write!(f, "nil"),
            Arg::Pipe { pipe, .. } => write!(f, "({pipe})"),
            Arg::Chain { node, path, .. } => {
                match node.as_ref() {
                    Arg::Pipe { .. } => write!(f, "{node}")?,
                    other => write!(f, "({other})")?,
                }
                for p in path {
                    write!(f, ".{p}")?;
                }
                Ok(())
            }
        }
    }
}

impl std::fmt::Display for Command {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        for (i, arg) in self.args.iter().enumerate() {
            if i > 0 {
                write!(f, " ")?;
            }
            write!(f, "{arg}")?;
        }
        Ok(())
    }
}

impl std::fmt::Display for Pipe {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        if !self.decl.is_empty() {
            write!(f, "{}", self.decl.join(", "))?;
            write!(f, "{}", if self.is_assign { " = " } else { " := " })?;
        }
        for (i, cmd) in self.cmds.iter().enumerate() {
            if i > 0 {
                write!(f, " | ")?;
            }
            write!(f, "{cmd}")?;
        }
        Ok(())
    }
}

// ---------------------------------------------------------------------------------------------
// Lexer

#[derive(Debug, Clone, PartialEq)]
enum Tok {
    Text(String),
    LeftDelim,
    RightDelim,
    Space,
    Field(String),
    Variable(String),
    Dot,
    Ident(String),
    Keyword(&'static str),
    Str(String, String),
    Char(String, i64),
    Number(String),
    Bool(bool),
    Nil,
    Pipe,
    LeftParen,
    RightParen,
    Declare,
    Assign,
    Comma,
    /// Any other printable ASCII character.
    Other(char),
    Eof,
    Error(String),
}

impl Tok {
    /// How Go's parser names a token in `unexpected … in …` messages.
    fn describe(&self) -> String {
        let quoted = |s: &str| {
            if s.chars().count() > 10 {
                let short: String = s.chars().take(10).collect();
                format!("{}...", go_quote(&short))
            } else {
                go_quote(s)
            }
        };
        match self {
            Tok::Eof => "EOF".to_string(),
            Tok::Error(message) => message.clone(),
            Tok::Keyword(k) => format!("<{k}>"),
            Tok::Text(s) => quoted(s),
            Tok::LeftDelim => quoted("{{"),
            Tok::RightDelim => quoted("}}"),
            Tok::Space => quoted(" "),
            Tok::Field(s) | Tok::Variable(s) | Tok::Ident(s) | Tok::Number(s) => quoted(s),
            Tok::Str(raw, _) | Tok::Char(raw, _) => quoted(raw),
            Tok::Dot => quoted("."),
            Tok::Bool(b) => quoted(if *b { "true" } else { "false" }),
            Tok::Nil => quoted("nil"),
            Tok::Pipe => quoted("|"),
            Tok::LeftParen => quoted("("),
            Tok::RightParen => quoted(")"),
            Tok::Declare => quoted(":="),
            Tok::Assign => quoted("="),
            Tok::Comma => quoted(","),
            Tok::Other(c) => quoted(&c.to_string()),
        }
    }
}

const KEYWORDS: &[&str] = &[
    "block", "break", "continue", "define", "else", "end", "if", "range", "template", "with",
];

fn is_space(c: char) -> bool {
    matches!(c, ' ' | '\t' | '\r' | '\n')
}

fn is_alnum(c: char) -> bool {
    c == '_' || c.is_alphanumeric()
}

/// Splits template text into tokens with their byte positions. Errors end the stream.
fn lex(text: &str) -> Vec<(usize, Tok)> {
    let mut tokens: Vec<(usize, Tok)> = Vec::new();
    let mut i = 0;
    let bytes = text.as_bytes();
    let mut trim_next_text = false;
    'outer: loop {
        // Text up to the next action.
        let start = i;
        let next = text[i..].find("{{").map(|o| i + o);
        let end = next.unwrap_or(text.len());
        let mut chunk = &text[start..end];
        if trim_next_text {
            chunk = chunk.trim_start_matches(is_space);
            trim_next_text = false;
        }
        let Some(delim) = next else {
            if !chunk.is_empty() {
                tokens.push((start, Tok::Text(chunk.to_string())));
            }
            tokens.push((text.len(), Tok::Eof));
            return tokens;
        };
        // `{{- ` trims the text before it.
        let trim_left =
            text[delim + 2..].starts_with('-') && text[delim + 3..].starts_with(is_space);
        if trim_left {
            chunk = chunk.trim_end_matches(is_space);
        }
        if !chunk.is_empty() {
            tokens.push((start, Tok::Text(chunk.to_string())));
        }
        i = delim + 2;
        if trim_left {
            i += 2;
        }
        // Comments.
        if text[i..].starts_with("/*") {
            let Some(close) = text[i + 2..].find("*/") else {
                tokens.push((delim, Tok::Error("unclosed comment".to_string())));
                return tokens;
            };
            i = i + 2 + close + 2;
            if text[i..].starts_with(" -}}") {
                i += 4;
                trim_next_text = true;
            } else if text[i..].starts_with("}}") {
                i += 2;
            } else {
                tokens.push((
                    delim,
                    Tok::Error("comment ends before closing delimiter".to_string()),
                ));
                return tokens;
            }
            continue;
        }
        tokens.push((delim, Tok::LeftDelim));
        let mut paren_depth = 0usize;
        loop {
            // Right delimiter, possibly with a trim marker.
            if text[i..].starts_with(" -}}")
                || text[i..].starts_with("\t-}}")
                || text[i..].starts_with("\n-}}")
                || text[i..].starts_with("\r-}}")
            {
                tokens.push((i + 1, Tok::RightDelim));
                i += 4;
                trim_next_text = true;
                if paren_depth > 0 {
                    tokens.push((i, Tok::Error("unclosed left paren".to_string())));
                    return tokens;
                }
                continue 'outer;
            }
            if text[i..].starts_with("}}") {
                if paren_depth > 0 {
                    tokens.push((i, Tok::Error("unclosed left paren".to_string())));
                    return tokens;
                }
                tokens.push((i, Tok::RightDelim));
                i += 2;
                continue 'outer;
            }
            let Some(c) = text[i..].chars().next() else {
                tokens.push((i, Tok::Error("unclosed action".to_string())));
                return tokens;
            };
            let at = i;
            match c {
                c if is_space(c) => {
                    let mut j = i;
                    while let Some(c) = text[j..].chars().next().filter(|c| is_space(*c)) {
                        j += c.len_utf8();
                    }
                    // The last space before `-}}` belongs to the trim marker.
                    if text[j..].starts_with("-}}") {
                        j -= 1;
                    }
                    if j > i {
                        tokens.push((at, Tok::Space));
                    }
                    i = j;
                    let _ = c;
                }
                '=' => {
                    i += 1;
                    tokens.push((at, Tok::Assign));
                }
                ':' => {
                    if bytes.get(i + 1) == Some(&b'=') {
                        i += 2;
                        tokens.push((at, Tok::Declare));
                    } else {
                        tokens.push((at, Tok::Error("expected :=".to_string())));
                        return tokens;
                    }
                }
                '|' => {
                    i += 1;
                    tokens.push((at, Tok::Pipe));
                }
                ',' => {
                    i += 1;
                    tokens.push((at, Tok::Comma));
                }
                '(' => {
                    i += 1;
                    paren_depth += 1;
                    tokens.push((at, Tok::LeftParen));
                }
                ')' => {
                    i += 1;
                    if paren_depth == 0 {
                        tokens.push((at, Tok::Error("unexpected right paren".to_string())));
                        return tokens;
                    }
                    paren_depth -= 1;
                    tokens.push((at, Tok::RightParen));
                }
                '"' => {
                    i += 1;
                    loop {
                        match text[i..].chars().next() {
                            Some('\\') => {
                                i += 1;
                                match text[i..].chars().next() {
                                    Some('\n') | None => {
                                        tokens.push((
                                            at,
                                            Tok::Error("unterminated quoted string".to_string()),
                                        ));
                                        return tokens;
                                    }
                                    Some(c) => i += c.len_utf8(),
                                }
                            }
                            Some('"') => {
                                i += 1;
                                break;
                            }
                            Some('\n') | None => {
                                tokens.push((
                                    at,
                                    Tok::Error("unterminated quoted string".to_string()),
                                ));
                                return tokens;
                            }
                            Some(c) => i += c.len_utf8(),
                        }
                    }
                    let raw = &text[at..i];
                    match unquote(&raw[1..raw.len() - 1]) {
                        Some(value) => tokens.push((at, Tok::Str(raw.to_string(), value))),
                        None => {
                            tokens.push((at, Tok::Error("invalid syntax".to_string())));
                            return tokens;
                        }
                    }
                }
                '`' => {
                    let Some(close) = text[i + 1..].find('`') else {
                        tokens.push((at, Tok::Error("unterminated raw quoted string".to_string())));
                        return tokens;
                    };
                    i = i + 1 + close + 1;
                    let raw = &text[at..i];
                    tokens.push((
                        at,
                        Tok::Str(raw.to_string(), raw[1..raw.len() - 1].to_string()),
                    ));
                }
                '\'' => {
                    i += 1;
                    loop {
                        match text[i..].chars().next() {
                            Some('\\') => {
                                i += 1;
                                if let Some(c) = text[i..].chars().next() {
                                    i += c.len_utf8();
                                }
                            }
                            Some('\'') => {
                                i += 1;
                                break;
                            }
                            Some('\n') | None => {
                                tokens.push((
                                    at,
                                    Tok::Error("unterminated character constant".to_string()),
                                ));
                                return tokens;
                            }
                            Some(c) => i += c.len_utf8(),
                        }
                    }
                    let raw = &text[at..i];
                    let inner = unquote(&raw[1..raw.len() - 1]);
                    match inner.as_deref().map(|s| {
                        let mut chars = s.chars();
                        (chars.next(), chars.next())
                    }) {
                        Some((Some(c), None)) => {
                            tokens.push((at, Tok::Char(raw.to_string(), c as i64)))
                        }
                        _ => {
                            tokens.push((
                                at,
                                Tok::Error(format!("malformed character constant: {raw}")),
                            ));
                            return tokens;
                        }
                    }
                }
                '$' => {
                    i += 1;
                    while let Some(c) = text[i..].chars().next().filter(|c| is_alnum(*c)) {
                        i += c.len_utf8();
                    }
                    tokens.push((at, Tok::Variable(text[at..i].to_string())));
                }
                '.' if !text[i + 1..].starts_with(|c: char| c.is_ascii_digit()) => {
                    i += 1;
                    while let Some(c) = text[i..].chars().next().filter(|c| is_alnum(*c)) {
                        i += c.len_utf8();
                    }
                    if i == at + 1 {
                        tokens.push((at, Tok::Dot));
                    } else {
                        tokens.push((at, Tok::Field(text[at + 1..i].to_string())));
                    }
                }
                c if c == '.' || c == '+' || c == '-' || c.is_ascii_digit() => {
                    i = scan_number(text, i);
                    if text[i..].starts_with(is_alnum) {
                        let mut j = i;
                        while let Some(c) = text[j..].chars().next().filter(|c| is_alnum(*c)) {
                            j += c.len_utf8();
                        }
                        tokens.push((
                            at,
                            Tok::Error(format!("bad number syntax: {}", go_quote(&text[at..j]))),
                        ));
                        return tokens;
                    }
                    tokens.push((at, Tok::Number(text[at..i].to_string())));
                }
                c if is_alnum(c) => {
                    while let Some(c) = text[i..].chars().next().filter(|c| is_alnum(*c)) {
                        i += c.len_utf8();
                    }
                    let word = &text[at..i];
                    let tok = match word {
                        "true" => Tok::Bool(true),
                        "false" => Tok::Bool(false),
                        "nil" => Tok::Nil,
                        w => match KEYWORDS.iter().find(|k| **k == w) {
                            Some(k) => Tok::Keyword(k),
                            None => Tok::Ident(w.to_string()),
                        },
                    };
                    tokens.push((at, tok));
                }
                c if c.is_ascii() && !c.is_ascii_control() => {
                    i += 1;
                    tokens.push((at, Tok::Other(c)));
                }
                c => {
                    tokens.push((
                        at,
                        Tok::Error(format!(
                            "unrecognized character in action: U+{:04X} {}",
                            c as u32,
                            go_quote_rune(c)
                        )),
                    ));
                    return tokens;
                }
            }
            // Fields, variables and words must end at a terminator.
            if matches!(
                tokens.last(),
                Some((
                    _,
                    Tok::Field(_)
                        | Tok::Variable(_)
                        | Tok::Ident(_)
                        | Tok::Keyword(_)
                        | Tok::Bool(_)
                        | Tok::Nil
                        | Tok::Dot
                ))
            ) {
                if let Some(c) = text[i..].chars().next() {
                    let terminator =
                        is_space(c) || matches!(c, '.' | ',' | '|' | ':' | ')' | '(' | '}');
                    if !terminator {
                        tokens.push((
                            i,
                            Tok::Error(format!(
                                "bad character U+{:04X} {}",
                                c as u32,
                                go_quote_rune(c)
                            )),
                        ));
                        return tokens;
                    }
                }
            }
        }
    }
}

/// Where a Go number literal starting at `i` ends (sign, base prefixes, `_`, fraction,
/// exponent, imaginary `i`).
fn scan_number(text: &str, mut i: usize) -> usize {
    let b = text.as_bytes();
    if matches!(b.get(i), Some(b'+' | b'-')) {
        i += 1;
    }
    let mut digits: &[u8] = b"0123456789_";
    let mut exp: &[u8] = b"eE";
    if b.get(i) == Some(&b'0') {
        match b.get(i + 1) {
            Some(b'x' | b'X') => {
                i += 2;
                digits = b"0123456789abcdefABCDEF_";
                exp = b"pP";
            }
            Some(b'o' | b'O') => {
                i += 2;
                digits = b"01234567_";
                exp = b"";
            }
            Some(b'b' | b'B') => {
                i += 2;
                digits = b"01_";
                exp = b"";
            }
            _ => {}
        }
    }
    while b.get(i).is_some_and(|c| digits.contains(c)) {
        i += 1;
    }
    if b.get(i) == Some(&b'.') {
        i += 1;
        while b.get(i).is_some_and(|c| digits.contains(c)) {
            i += 1;
        }
    }
    if !exp.is_empty() && b.get(i).is_some_and(|c| exp.contains(c)) {
        i += 1;
        if matches!(b.get(i), Some(b'+' | b'-')) {
            i += 1;
        }
        while b.get(i).is_some_and(|c| c.is_ascii_digit() || *c == b'_') {
            i += 1;
        }
    }
    if b.get(i) == Some(&b'i') {
        i += 1;
    }
    i
}

/// Interprets a Go number literal as the template engine's constant.
fn parse_number(text: &str) -> Option<Number> {
    let clean: String = text.chars().filter(|c| *c != '_').collect();
    let (negative, digits) = match clean.as_bytes().first() {
        Some(b'-') => (true, &clean[1..]),
        Some(b'+') => (false, &clean[1..]),
        _ => (false, clean.as_str()),
    };
    if digits.is_empty() || digits.ends_with('i') {
        return None;
    }
    let lower = digits.to_ascii_lowercase();
    let radix_int = |body: &str, radix: u32| -> Option<Number> {
        let n = i128::from_str_radix(body, radix).ok()?;
        let n = if negative { -n } else { n };
        Some(i64::try_from(n).map_or(Number::Overflow, Number::Int))
    };
    if let Some(hex) = lower.strip_prefix("0x") {
        return radix_int(hex, 16);
    }
    if let Some(oct) = lower.strip_prefix("0o") {
        return radix_int(oct, 8);
    }
    if let Some(bin) = lower.strip_prefix("0b") {
        return radix_int(bin, 2);
    }
    if digits.contains(['.', 'e', 'E']) {
        let f: f64 = digits.parse().ok()?;
        return Some(Number::Float(if negative { -f } else { f }));
    }
    if digits.len() > 1 && digits.starts_with('0') {
        return radix_int(&digits[1..], 8);
    }
    if !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    radix_int(digits, 10).or(Some(Number::Overflow))
}

/// Go's interpretation of the escapes inside a double-quoted string (or a character constant).
fn unquote(s: &str) -> Option<String> {
    let mut out = String::new();
    let mut chars = s.chars().peekable();
    while let Some(c) = chars.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        let escape = chars.next()?;
        let mut hex = |n: usize| -> Option<u32> {
            let mut value = 0u32;
            for _ in 0..n {
                value = value * 16 + chars.next()?.to_digit(16)?;
            }
            Some(value)
        };
        match escape {
            'a' => out.push('\u{7}'),
            'b' => out.push('\u{8}'),
            'f' => out.push('\u{c}'),
            'n' => out.push('\n'),
            'r' => out.push('\r'),
            't' => out.push('\t'),
            'v' => out.push('\u{b}'),
            '\\' => out.push('\\'),
            '"' => out.push('"'),
            '\'' => out.push('\''),
            'x' => out.push(char::from_u32(hex(2)?)?),
            'u' => out.push(char::from_u32(hex(4)?)?),
            'U' => out.push(char::from_u32(hex(8)?)?),
            '0'..='7' => {
                let mut value = escape.to_digit(8)?;
                for _ in 0..2 {
                    value = value * 8 + chars.next()?.to_digit(8)?;
                }
                out.push(char::from_u32(value)?);
            }
            _ => return None,
        }
    }
    Some(out)
}

// ---------------------------------------------------------------------------------------------
// Parser

struct Parser {
    tokens: Vec<(usize, Tok)>,
    index: usize,
    text_len: usize,
    line_starts: Vec<usize>,
    vars: Vec<String>,
    range_depth: usize,
    depth: usize,
    defines: BTreeMap<String, Vec<Node>>,
}

/// How a list of nodes ended.
enum ListEnd {
    End,
    Else(usize),
    Eof,
}

impl Parser {
    fn line_of(&self, pos: usize) -> usize {
        self.line_starts.partition_point(|&s| s <= pos).max(1)
    }

    fn error<T>(&self, pos: usize, message: impl Into<String>) -> Result<T, String> {
        Err(format!(
            "template: {NAME}:{}: {}",
            self.line_of(pos),
            message.into()
        ))
    }

    fn peek(&self) -> &(usize, Tok) {
        let last = self.tokens.len() - 1;
        &self.tokens[self.index.min(last)]
    }

    fn next(&mut self) -> (usize, Tok) {
        let token = self.peek().clone();
        if self.index < self.tokens.len() {
            self.index += 1;
        }
        if let Tok::Error(message) = &token.1 {
            // Lexing errors surface where they are met.
            let _ = message;
        }
        token
    }

    fn next_non_space(&mut self) -> (usize, Tok) {
        loop {
            let token = self.next();
            if token.1 != Tok::Space {
                return token;
            }
        }
    }

    fn peek_non_space(&mut self) -> (usize, Tok) {
        while self.peek().1 == Tok::Space {
            self.index += 1;
        }
        self.peek().clone()
    }

    fn unexpected<T>(&self, token: &(usize, Tok), context: &str) -> Result<T, String> {
        if let Tok::Error(message) = &token.1 {
            return self.error(token.0, message.clone());
        }
        self.error(
            token.0,
            format!("unexpected {} in {context}", token.1.describe()),
        )
    }

    fn expect_right_delim(&mut self, context: &str) -> Result<(), String> {
        let token = self.next_non_space();
        match token.1 {
            Tok::RightDelim => Ok(()),
            _ => self.unexpected(&token, context),
        }
    }

    /// Parses nodes until `{{end}}`, `{{else}}` or the end of input.
    fn list(&mut self) -> Result<(Vec<Node>, ListEnd), String> {
        let mut nodes = Vec::new();
        loop {
            let (pos, tok) = self.next();
            match tok {
                Tok::Eof => return Ok((nodes, ListEnd::Eof)),
                Tok::Text(t) => nodes.push(Node::Text(t)),
                Tok::Error(message) => return self.error(pos, message),
                Tok::LeftDelim => {
                    let (kpos, keyword) = self.peek_non_space();
                    match keyword {
                        Tok::Keyword("end") => {
                            self.next();
                            self.expect_right_delim("end")?;
                            return Ok((nodes, ListEnd::End));
                        }
                        Tok::Keyword("else") => {
                            self.next();
                            return Ok((nodes, ListEnd::Else(kpos)));
                        }
                        _ => nodes.push(self.action(pos)?),
                    }
                }
                other => return self.unexpected(&(pos, other), "input"),
            }
        }
    }

    fn action(&mut self, delim_pos: usize) -> Result<Node, String> {
        let (pos, tok) = self.peek_non_space();
        match tok {
            Tok::Keyword("if") => {
                self.next();
                self.branch(pos, "if").map(Node::If)
            }
            Tok::Keyword("range") => {
                self.next();
                self.branch(pos, "range").map(Node::Range)
            }
            Tok::Keyword("with") => {
                self.next();
                self.branch(pos, "with").map(Node::With)
            }
            Tok::Keyword("break") | Tok::Keyword("continue") => {
                self.next();
                let word = if tok == Tok::Keyword("break") {
                    "break"
                } else {
                    "continue"
                };
                if self.range_depth == 0 {
                    return self.error(pos, format!("{{{{{word}}}}} outside {{{{range}}}}"));
                }
                let token = self.next_non_space();
                if token.1 != Tok::RightDelim {
                    return self.unexpected(&token, &format!("{{{{{word}}}}}"));
                }
                Ok(if word == "break" {
                    Node::Break
                } else {
                    Node::Continue
                })
            }
            Tok::Keyword("template") => {
                self.next();
                self.template_call(pos, "template clause")
            }
            Tok::Keyword("define") | Tok::Keyword("block") => {
                self.next();
                let is_block = tok == Tok::Keyword("block");
                let context = if is_block {
                    "block clause"
                } else {
                    "define clause"
                };
                if !is_block && (self.depth > 0 || self.range_depth > 0 || self.vars.len() > 1) {
                    return self.error(pos, "unexpected <define> in command");
                }
                let name_token = self.next_non_space();
                let name = match name_token.1 {
                    Tok::Str(_, value) => value,
                    _ => return self.unexpected(&name_token, context),
                };
                let call = if is_block {
                    let pipe = self.pipeline(context, Tok::RightDelim)?;
                    Some(Node::Template {
                        pos,
                        name: name.clone(),
                        pipe: Some(pipe),
                    })
                } else {
                    self.expect_right_delim(context)?;
                    None
                };
                let saved = std::mem::replace(&mut self.vars, vec!["$".to_string()]);
                let saved_range = std::mem::replace(&mut self.range_depth, 0);
                let (body, end) = self.list()?;
                self.vars = saved;
                self.range_depth = saved_range;
                match end {
                    ListEnd::End => {}
                    ListEnd::Else(p) => return self.error(p, "unexpected {{else}}"),
                    ListEnd::Eof => return self.error(self.text_len, "unexpected EOF"),
                }
                self.defines.insert(name, body);
                Ok(call.unwrap_or(Node::Text(String::new())))
            }
            Tok::Keyword(k) => self.error(pos, format!("unexpected <{k}> in command")),
            _ => {
                let pipe = self.pipeline("command", Tok::RightDelim)?;
                let _ = delim_pos;
                Ok(Node::Action { pos, pipe })
            }
        }
    }

    fn template_call(&mut self, pos: usize, context: &str) -> Result<Node, String> {
        let name_token = self.next_non_space();
        let pos = name_token.0.max(pos);
        let name = match name_token.1 {
            Tok::Str(_, value) => value,
            _ => return self.unexpected(&name_token, context),
        };
        let (_, next) = self.peek_non_space();
        let pipe = if next == Tok::RightDelim {
            self.next();
            None
        } else {
            Some(self.pipeline(context, Tok::RightDelim)?)
        };
        Ok(Node::Template { pos, name, pipe })
    }

    fn branch(&mut self, pos: usize, context: &'static str) -> Result<Branch, String> {
        self.depth += 1;
        if self.depth > MAX_PARSE_DEPTH {
            return self.error(pos, "max expression depth exceeded");
        }
        let vars_mark = self.vars.len();
        let pipe = self.pipeline(context, Tok::RightDelim)?;
        if context == "range" {
            self.range_depth += 1;
        }
        let (list, end) = self.list()?;
        if context == "range" {
            self.range_depth -= 1;
        }
        let else_list = match end {
            ListEnd::End => None,
            ListEnd::Eof => return self.error(self.text_len, "unexpected EOF"),
            ListEnd::Else(else_pos) => {
                let (p, next) = self.peek_non_space();
                // `{{else if …}}` / `{{else with …}}` nest a branch that shares our {{end}}.
                if (context == "if" && next == Tok::Keyword("if"))
                    || (context == "with" && next == Tok::Keyword("with"))
                {
                    self.next();
                    let inner = self.branch(p, context)?;
                    let node = if context == "if" {
                        Node::If(inner)
                    } else {
                        Node::With(inner)
                    };
                    Some(vec![node])
                } else {
                    let token = self.next_non_space();
                    if token.1 != Tok::RightDelim {
                        return self.unexpected(&token, "else");
                    }
                    let (list, end) = self.list()?;
                    match end {
                        ListEnd::End => Some(list),
                        ListEnd::Else(p) => return self.error(p, "expected end; found {{else}}"),
                        ListEnd::Eof => {
                            return self.error(self.text_len.max(else_pos), "unexpected EOF")
                        }
                    }
                }
            }
        };
        self.vars.truncate(vars_mark);
        self.depth -= 1;
        Ok(Branch {
            pos,
            pipe,
            list,
            else_list,
        })
    }

    /// A pipeline up to `end` (`}}` or `)`), with an optional declaration.
    fn pipeline(&mut self, context: &str, end: Tok) -> Result<Pipe, String> {
        let (pos, _) = self.peek_non_space();
        let mut pipe = Pipe {
            pos,
            is_assign: false,
            decl: Vec::new(),
            cmds: Vec::new(),
        };
        // Declarations: `$x :=`, `$x =`, `$i, $v :=` (the latter in range only).
        let start = self.index;
        if let (_, Tok::Variable(name)) = self.peek_non_space() {
            self.next();
            let (_, after) = self.peek_non_space();
            match after {
                Tok::Declare | Tok::Assign => {
                    self.next();
                    pipe.is_assign = after == Tok::Assign;
                    if pipe.is_assign && !self.vars.contains(&name) {
                        return self.error(pos, format!("undefined variable \"{name}\""));
                    }
                    pipe.decl.push(name);
                }
                Tok::Comma if context == "range" => {
                    self.next();
                    let second = self.next_non_space();
                    let (Tok::Variable(second_name), (_, Tok::Declare | Tok::Assign)) =
                        (second.1.clone(), self.peek_non_space())
                    else {
                        return self.error(second.0, "range can only initialize variables");
                    };
                    let op = self.next();
                    pipe.is_assign = op.1 == Tok::Assign;
                    pipe.decl.push(name);
                    pipe.decl.push(second_name);
                }
                _ => self.index = start,
            }
        }
        loop {
            let (tpos, tok) = self.peek_non_space();
            if tok == end {
                self.next();
                if pipe.cmds.is_empty() {
                    return self.error(tpos, format!("missing value for {context}"));
                }
                break;
            }
            match tok {
                Tok::Error(message) => return self.error(tpos, message),
                Tok::Eof => return self.error(tpos, "unclosed action"),
                Tok::RightDelim | Tok::RightParen => return self.unexpected(&(tpos, tok), context),
                _ => {}
            }
            let cmd = self.command()?;
            pipe.cmds.push(cmd);
        }
        for name in &pipe.decl {
            if !pipe.is_assign {
                self.vars.push(name.clone());
            }
        }
        // A declared variable's value must come from a command, not from `nil` alone etc.; Go
        // checks non-executable first words here.
        for (i, cmd) in pipe.cmds.iter().enumerate() {
            if i > 0 {
                if let Some(first) = cmd.args.first() {
                    if matches!(
                        first,
                        Arg::Bool { .. }
                            | Arg::Dot { .. }
                            | Arg::Nil { .. }
                            | Arg::Number { .. }
                            | Arg::Str { .. }
                    ) {
                        return self.error(
                            first.pos(),
                            format!("non executable command in pipeline stage {}", i + 1),
                        );
                    }
                }
            }
        }
        Ok(pipe)
    }

    fn command(&mut self) -> Result<Command, String> {
        let (pos, _) = self.peek_non_space();
        let mut cmd = Command {
            pos,
            args: Vec::new(),
        };
        loop {
            self.peek_non_space();
            let operand = self.operand()?;
            if let Some(arg) = operand {
                cmd.args.push(arg);
            }
            let token = self.peek().clone();
            match token.1 {
                Tok::Space => continue,
                Tok::RightDelim | Tok::RightParen => break,
                Tok::Pipe => {
                    self.next();
                    break;
                }
                _ => return self.unexpected(&token, "operand"),
            }
        }
        if cmd.args.is_empty() {
            return self.error(pos, "empty command");
        }
        Ok(cmd)
    }

    fn operand(&mut self) -> Result<Option<Arg>, String> {
        let Some(node) = self.term()? else {
            return Ok(None);
        };
        if let Tok::Field(_) = self.peek().1 {
            let chain_pos = self.peek().0;
            let mut path = Vec::new();
            while let (_, Tok::Field(name)) = self.peek().clone() {
                self.next();
                path.push(name);
            }
            return Ok(Some(match node {
                Arg::Field {
                    path: mut first, ..
                } => {
                    first.extend(path);
                    Arg::Field {
                        pos: chain_pos,
                        path: first,
                    }
                }
                Arg::Variable {
                    name,
                    path: mut first,
                    ..
                } => {
                    first.extend(path);
                    Arg::Variable {
                        pos: chain_pos,
                        name,
                        path: first,
                    }
                }
                Arg::Bool { .. }
                | Arg::Str { .. }
                | Arg::Number { .. }
                | Arg::Nil { .. }
                | Arg::Dot { .. } => {
                    return self.error(
                        chain_pos,
                        format!("unexpected . after term {}", go_quote(&node.to_string())),
                    );
                }
                other => Arg::Chain {
                    pos: chain_pos,
                    node: Box::new(other),
                    path,
                },
            }));
        }
        Ok(Some(node))
    }

    fn term(&mut self) -> Result<Option<Arg>, String> {
        let (pos, tok) = self.next_non_space();
        Ok(Some(match tok {
            Tok::Ident(name) => {
                if !is_function(&name) {
                    return self.error(pos, format!("function \"{name}\" not defined"));
                }
                Arg::Ident { pos, name }
            }
            Tok::Dot => Arg::Dot { pos },
            Tok::Nil => Arg::Nil { pos },
            Tok::Variable(name) => {
                if !self.vars.contains(&name) {
                    return self.error(pos, format!("undefined variable \"{name}\""));
                }
                Arg::Variable {
                    pos,
                    name,
                    path: Vec::new(),
                }
            }
            Tok::Field(name) => Arg::Field {
                pos,
                path: vec![name],
            },
            Tok::Bool(value) => Arg::Bool { pos, value },
            Tok::Char(text, value) => Arg::Number {
                pos,
                text,
                value: Number::Int(value),
            },
            Tok::Number(text) => match parse_number(&text) {
                Some(value) => Arg::Number { pos, text, value },
                None => {
                    return self.error(pos, format!("illegal number syntax: {}", go_quote(&text)))
                }
            },
            Tok::LeftParen => {
                self.depth += 1;
                if self.depth > MAX_PARSE_DEPTH {
                    return self.error(pos, "max expression depth exceeded");
                }
                let pipe = self.pipeline("parenthesized pipeline", Tok::RightParen)?;
                self.depth -= 1;
                Arg::Pipe {
                    pos,
                    pipe: Box::new(pipe),
                }
            }
            Tok::Str(quoted, value) => Arg::Str { pos, quoted, value },
            Tok::Error(message) => return self.error(pos, message),
            other => {
                self.index -= 1;
                let _ = other;
                return Ok(None);
            }
        }))
    }
}

const FUNCTIONS: &[&str] = &[
    "and",
    "base64decode",
    "call",
    "eq",
    "exists",
    "ge",
    "gt",
    "html",
    "index",
    "js",
    "le",
    "len",
    "lt",
    "ne",
    "not",
    "or",
    "print",
    "printf",
    "println",
    "slice",
    "urlquery",
];

fn is_function(name: &str) -> bool {
    FUNCTIONS.contains(&name)
}

/// A parsed template, ready to run against objects.
#[derive(Debug, Clone, PartialEq)]
pub struct GoTemplate {
    text: String,
    nodes: Vec<Node>,
    defines: BTreeMap<String, Vec<Node>>,
    line_starts: Vec<usize>,
    missing_key_error: bool,
}

impl GoTemplate {
    /// Parses a template; the error reads like Go's (`template: output:1: …`).
    pub fn parse(text: &str) -> Result<GoTemplate, String> {
        let mut line_starts = vec![0];
        line_starts.extend(text.match_indices('\n').map(|(i, _)| i + 1));
        let mut parser = Parser {
            tokens: lex(text),
            index: 0,
            text_len: text.len(),
            line_starts: line_starts.clone(),
            vars: vec!["$".to_string()],
            range_depth: 0,
            depth: 0,
            defines: BTreeMap::new(),
        };
        let (nodes, end) = parser.list()?;
        match end {
            ListEnd::Eof => {}
            ListEnd::End => {
                // Find the `end` keyword position for the line number.
                let pos = parser.tokens[..parser.index.min(parser.tokens.len())]
                    .iter()
                    .rev()
                    .find(|(_, t)| *t == Tok::Keyword("end"))
                    .map_or(0, |(p, _)| *p);
                return parser.error(pos, "unexpected {{end}}");
            }
            ListEnd::Else(pos) => return parser.error(pos, "unexpected {{else}}"),
        }
        Ok(GoTemplate {
            text: text.to_string(),
            nodes,
            defines: parser.defines,
            line_starts,
            missing_key_error: false,
        })
    }

    /// `--allow-missing-template-keys=false`: a missing key is an error instead of `<no value>`.
    pub fn missing_keys_are_errors(mut self, yes: bool) -> GoTemplate {
        self.missing_key_error = yes;
        self
    }

    /// Runs the template. On failure returns what was printed so far and Go's error text.
    pub fn execute(&self, data: &Value) -> Result<String, (String, String)> {
        let mut state = State {
            template: self,
            out: String::new(),
            vars: vec![("$".to_string(), V::plain(Val::from_json(data)))],
            node: None,
            steps: 0,
            depth: 0,
        };
        match state.walk_list(&self.nodes, &V::plain(Val::from_json(data))) {
            Ok(_) => Ok(state.out),
            Err(Flow::Error(message)) => Err((state.out, message)),
            Err(Flow::Break | Flow::Continue) => Ok(state.out),
        }
    }

    fn location(&self, pos: usize) -> String {
        let line = self.line_starts.partition_point(|&s| s <= pos).max(1);
        let col = pos - self.line_starts[line - 1];
        format!("{NAME}:{line}:{col}")
    }
}

/// What kubectl prints for a go-template: the output, or (stdout so far with its debugging
/// dump, stderr) on failure.
pub fn render_for_kubectl(template: &GoTemplate, data: &Value) -> Result<String, (String, String)> {
    template.execute(data).map_err(|(mut out, error)| {
        let raw = serde_json::to_string(data).unwrap_or_default();
        out.push_str(&format!(
            "Error executing template: {error}. Printing more information for debugging the template:\n\ttemplate was:\n\t\t{}\n\traw data was:\n\t\t{raw}\n\tobject given to template engine was:\n\t\t{}\n\n",
            template.text,
            format_value(&Val::from_json(data), &Spec::default()),
        ));
        let stderr = format!(
            "error: error executing template {}: {error}\n",
            go_quote(&template.text)
        );
        (out, stderr)
    })
}

// ---------------------------------------------------------------------------------------------
// Values

/// A Go value as the template engine sees it.
#[derive(Debug, Clone, PartialEq)]
enum Val<'a> {
    /// The zero `reflect.Value`: a missing key. Prints `<no value>`.
    Invalid,
    /// A nil `interface{}` (JSON null). Prints `<nil>` inside maps.
    Nil,
    Bool(bool),
    /// Go `int` (template constants, `len`).
    Int(i64),
    /// Go `int64` (whole numbers in the object).
    Int64(i64),
    /// Go `uint8` (a byte indexed out of a string).
    Uint8(u8),
    Float(f64),
    Str(Cow<'a, str>),
    Map(&'a Map<String, Value>),
    List(&'a [Value]),
}

/// A value with its static type: values read out of maps and lists have type `interface {}`,
/// which Go names in some errors.
#[derive(Debug, Clone, PartialEq)]
struct V<'a> {
    val: Val<'a>,
    boxed: bool,
}

impl<'a> V<'a> {
    fn plain(val: Val<'a>) -> V<'a> {
        V { val, boxed: false }
    }
    fn boxed(val: Val<'a>) -> V<'a> {
        V { val, boxed: true }
    }
    fn static_type(&self) -> String {
        if self.boxed {
            "interface {}".to_string()
        } else {
            self.val.type_name().to_string()
        }
    }
}

impl<'a> Val<'a> {
    fn from_json(value: &'a Value) -> Val<'a> {
        match value {
            Value::Null => Val::Nil,
            Value::Bool(b) => Val::Bool(*b),
            Value::Number(n) => match n.as_i64() {
                Some(i) => Val::Int64(i),
                None => Val::Float(n.as_f64().unwrap_or(0.0)),
            },
            Value::String(s) => Val::Str(Cow::Borrowed(s.as_str())),
            Value::Array(items) => Val::List(items.as_slice()),
            Value::Object(map) => Val::Map(map),
        }
    }

    fn type_name(&self) -> &'static str {
        match self {
            Val::Invalid | Val::Nil => "<nil>",
            Val::Bool(_) => "bool",
            Val::Int(_) => "int",
            Val::Int64(_) => "int64",
            Val::Uint8(_) => "uint8",
            Val::Float(_) => "float64",
            Val::Str(_) => "string",
            Val::Map(_) => "map[string]interface {}",
            Val::List(_) => "[]interface {}",
        }
    }

    fn truth(&self) -> bool {
        match self {
            Val::Invalid | Val::Nil => false,
            Val::Bool(b) => *b,
            Val::Int(i) | Val::Int64(i) => *i != 0,
            Val::Uint8(u) => *u != 0,
            Val::Float(f) => *f != 0.0,
            Val::Str(s) => !s.is_empty(),
            Val::Map(m) => !m.is_empty(),
            Val::List(l) => !l.is_empty(),
        }
    }

    fn as_int(&self) -> Option<i64> {
        match self {
            Val::Int(i) | Val::Int64(i) => Some(*i),
            Val::Uint8(u) => Some(i64::from(*u)),
            _ => None,
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Go's fmt, the part templates use

#[derive(Debug, Clone, Default)]
struct Spec {
    minus: bool,
    plus: bool,
    zero: bool,
    space: bool,
    sharp: bool,
    width: Option<usize>,
    precision: Option<usize>,
    verb: char,
}

fn pad(s: String, spec: &Spec) -> String {
    let Some(width) = spec.width else {
        return s;
    };
    let len = s.chars().count();
    if len >= width {
        return s;
    }
    let fill = width - len;
    if spec.minus {
        format!("{s}{}", " ".repeat(fill))
    } else if spec.zero && s.starts_with(|c: char| c.is_ascii_digit() || c == '-' || c == '+') {
        // Zero padding goes after the sign.
        match s.strip_prefix('-').or_else(|| s.strip_prefix('+')) {
            Some(rest) => format!("{}{}{rest}", &s[..1], "0".repeat(fill)),
            None => format!("{}{s}", "0".repeat(fill)),
        }
    } else {
        format!("{}{s}", " ".repeat(fill))
    }
}

/// `%v` of a float64: strconv's shortest 'g' form, exponent when it is < -4 or >= 6.
fn format_float_v(f: f64) -> String {
    format_float_g(f, None, 6)
}

/// Go's %g: shortest digits (or `precision` significant digits), %e form when the exponent is
/// < -4 or >= the limit.
fn format_float_g(f: f64, precision: Option<usize>, shortest_limit: i32) -> String {
    if f.is_nan() {
        return "NaN".to_string();
    }
    if f.is_infinite() {
        return if f > 0.0 { "+Inf" } else { "-Inf" }.to_string();
    }
    let sci = match precision {
        Some(p) => format!("{:.*e}", p.max(1) - 1, f),
        None => format!("{f:e}"),
    };
    let (mantissa, exp) = sci.split_once('e').unwrap_or((sci.as_str(), "0"));
    let exp: i32 = exp.parse().unwrap_or(0);
    let (negative, mantissa) = match mantissa.strip_prefix('-') {
        Some(m) => (true, m),
        None => (false, mantissa),
    };
    let mut digits: String = mantissa.chars().filter(|c| *c != '.').collect();
    if precision.is_some() {
        while digits.len() > 1 && digits.ends_with('0') {
            digits.pop();
        }
    }
    let limit = match precision {
        Some(p) => p.max(1) as i32,
        None => shortest_limit,
    };
    let sign = if negative { "-" } else { "" };
    if exp < -4 || exp >= limit {
        let (first, rest) = digits.split_at(1);
        let rest = if rest.is_empty() {
            String::new()
        } else {
            format!(".{rest}")
        };
        let esign = if exp < 0 { '-' } else { '+' };
        return format!("{sign}{first}{rest}e{esign}{:02}", exp.abs());
    }
    if exp < 0 {
        return format!("{sign}0.{}{digits}", "0".repeat((-exp - 1) as usize));
    }
    let point = (exp + 1) as usize;
    if digits.len() <= point {
        format!("{sign}{digits}{}", "0".repeat(point - digits.len()))
    } else {
        format!("{sign}{}.{}", &digits[..point], &digits[point..])
    }
}

fn format_float_e(f: f64, precision: usize, upper: bool) -> String {
    let s = format!("{:.*e}", precision, f);
    let (mantissa, exp) = s.split_once('e').unwrap_or((s.as_str(), "0"));
    let exp: i32 = exp.parse().unwrap_or(0);
    let esign = if exp < 0 { '-' } else { '+' };
    let e = if upper { 'E' } else { 'e' };
    format!("{mantissa}{e}{esign}{:02}", exp.abs())
}

/// strconv.Quote.
fn go_quote(s: &str) -> String {
    let mut out = String::from("\"");
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            '\r' => out.push_str("\\r"),
            '\u{7}' => out.push_str("\\a"),
            '\u{8}' => out.push_str("\\b"),
            '\u{c}' => out.push_str("\\f"),
            '\u{b}' => out.push_str("\\v"),
            c if (c as u32) < 0x20 || c as u32 == 0x7f => {
                out.push_str(&format!("\\x{:02x}", c as u32))
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

fn go_quote_rune(c: char) -> String {
    match c {
        '\'' => "'\\''".to_string(),
        '\\' => "'\\\\'".to_string(),
        '\n' => "'\\n'".to_string(),
        '\t' => "'\\t'".to_string(),
        '\r' => "'\\r'".to_string(),
        c if (c as u32) < 0x20 => format!("'\\x{:02x}'", c as u32),
        c => format!("'{c}'"),
    }
}

/// `%!d(string=x)`: a verb that does not fit its operand.
fn bad_verb(val: &Val<'_>, spec: &Spec) -> String {
    match val {
        Val::Invalid | Val::Nil => format!("%!{}(<nil>)", spec.verb),
        _ => {
            let inner = Spec {
                verb: 'v',
                ..spec.clone()
            };
            format!(
                "%!{}({}={})",
                spec.verb,
                val.type_name(),
                format_value(val, &inner)
            )
        }
    }
}

fn format_int(i: i128, spec: &Spec) -> Option<String> {
    let sign = if i < 0 {
        "-"
    } else if spec.plus {
        "+"
    } else if spec.space {
        " "
    } else {
        ""
    };
    let magnitude = i.unsigned_abs();
    let body = match spec.verb {
        'd' | 'v' => magnitude.to_string(),
        'x' => format!("{}{magnitude:x}", if spec.sharp { "0x" } else { "" }),
        'X' => format!("{}{magnitude:X}", if spec.sharp { "0X" } else { "" }),
        'o' => format!("{}{magnitude:o}", if spec.sharp { "0" } else { "" }),
        'O' => format!("0o{magnitude:o}"),
        'b' => format!("{magnitude:b}"),
        'c' => {
            return u32::try_from(i)
                .ok()
                .and_then(char::from_u32)
                .map(|c| pad(c.to_string(), spec))
        }
        'q' => {
            return u32::try_from(i)
                .ok()
                .and_then(char::from_u32)
                .map(|c| pad(go_quote_rune(c), spec))
        }
        'U' => return Some(pad(format!("U+{:04X}", i), spec)),
        _ => return None,
    };
    let body = match spec.precision {
        Some(p) if body.len() < p => format!("{}{body}", "0".repeat(p - body.len())),
        _ => body,
    };
    Some(pad(format!("{sign}{body}"), spec))
}

fn format_value(val: &Val<'_>, spec: &Spec) -> String {
    let verb = if spec.verb == '\0' { 'v' } else { spec.verb };
    let spec = &Spec {
        verb,
        ..spec.clone()
    };
    match val {
        Val::Invalid | Val::Nil => match verb {
            'v' => pad("<nil>".to_string(), spec),
            _ => bad_verb(val, spec),
        },
        Val::Bool(b) => match verb {
            'v' | 't' => pad(b.to_string(), spec),
            _ => bad_verb(val, spec),
        },
        Val::Int(i) | Val::Int64(i) => {
            format_int(i128::from(*i), spec).unwrap_or_else(|| bad_verb(val, spec))
        }
        Val::Uint8(u) => format_int(i128::from(*u), spec).unwrap_or_else(|| bad_verb(val, spec)),
        Val::Float(f) => {
            let body = match verb {
                'v' => Some(format_float_v(*f)),
                'g' => Some(format_float_g(*f, spec.precision, 6)),
                'G' => Some(format_float_g(*f, spec.precision, 6).to_uppercase()),
                'e' | 'E' => Some(format_float_e(*f, spec.precision.unwrap_or(6), verb == 'E')),
                'f' | 'F' => Some(format!("{:.*}", spec.precision.unwrap_or(6), f)),
                _ => None,
            };
            match body {
                Some(mut body) => {
                    if spec.plus && !body.starts_with('-') {
                        body.insert(0, '+');
                    }
                    pad(body, spec)
                }
                None => bad_verb(val, spec),
            }
        }
        Val::Str(s) => match verb {
            'v' | 's' => {
                let s: String = match spec.precision {
                    Some(p) => s.chars().take(p).collect(),
                    None => s.to_string(),
                };
                pad(s, spec)
            }
            'q' => pad(go_quote(s), spec),
            'x' => pad(s.bytes().map(|b| format!("{b:02x}")).collect(), spec),
            'X' => pad(s.bytes().map(|b| format!("{b:02X}")).collect(), spec),
            _ => bad_verb(val, spec),
        },
        Val::Map(map) => {
            // fmt prints maps with sorted keys; the verb applies to keys and values.
            let items: Vec<String> = map
                .iter()
                .map(|(k, v)| {
                    format!(
                        "{}:{}",
                        format_value(&Val::Str(Cow::Borrowed(k)), spec),
                        format_value(&Val::from_json(v), spec)
                    )
                })
                .collect();
            format!("map[{}]", items.join(" "))
        }
        Val::List(items) => {
            let items: Vec<String> = items
                .iter()
                .map(|v| format_value(&Val::from_json(v), spec))
                .collect();
            format!("[{}]", items.join(" "))
        }
    }
}

/// fmt.Sprintf with Go's verbs, flags, widths and its `%!verb(…)` complaints.
fn sprintf(format: &str, args: &[Val<'_>]) -> String {
    let mut out = String::new();
    let mut chars = format.chars().peekable();
    let mut next_arg = 0;
    while let Some(c) = chars.next() {
        if c != '%' {
            out.push(c);
            continue;
        }
        let mut spec = Spec::default();
        loop {
            match chars.peek() {
                Some('-') => spec.minus = true,
                Some('+') => spec.plus = true,
                Some('0') => spec.zero = true,
                Some(' ') => spec.space = true,
                Some('#') => spec.sharp = true,
                _ => break,
            }
            chars.next();
        }
        let number = |chars: &mut std::iter::Peekable<std::str::Chars<'_>>| {
            let mut n: Option<usize> = None;
            while let Some(d) = chars.peek().and_then(|c| c.to_digit(10)) {
                n = Some(
                    n.unwrap_or(0)
                        .saturating_mul(10)
                        .saturating_add(d as usize)
                        .min(10_000),
                );
                chars.next();
            }
            n
        };
        if chars.peek() == Some(&'*') {
            chars.next();
            spec.width = args
                .get(next_arg)
                .and_then(Val::as_int)
                .map(|w| w.clamp(0, 10_000) as usize);
            next_arg += 1;
        } else {
            spec.width = number(&mut chars);
        }
        if chars.peek() == Some(&'.') {
            chars.next();
            spec.precision = Some(number(&mut chars).unwrap_or(0));
        }
        let Some(verb) = chars.next() else {
            out.push_str("%!(NOVERB)");
            break;
        };
        if verb == '%' {
            out.push('%');
            continue;
        }
        spec.verb = verb;
        let Some(arg) = args.get(next_arg) else {
            out.push_str(&format!("%!{verb}(MISSING)"));
            continue;
        };
        next_arg += 1;
        if verb == 'T' {
            out.push_str(&pad(arg.type_name().to_string(), &spec));
            continue;
        }
        out.push_str(&format_value(arg, &spec));
    }
    if next_arg < args.len() {
        let extra: Vec<String> = args[next_arg..]
            .iter()
            .map(|a| match a {
                Val::Invalid | Val::Nil => "<nil>".to_string(),
                a => format!("{}={}", a.type_name(), format_value(a, &Spec::default())),
            })
            .collect();
        out.push_str(&format!("%!(EXTRA {})", extra.join(", ")));
    }
    out
}

/// fmt.Sprint: a space between operands when neither is a string.
fn sprint(args: &[Val<'_>]) -> String {
    let mut out = String::new();
    for (i, arg) in args.iter().enumerate() {
        let is_string = matches!(arg, Val::Str(_));
        if i > 0 && !is_string && !matches!(args[i - 1], Val::Str(_)) {
            out.push(' ');
        }
        out.push_str(&format_value(arg, &Spec::default()));
    }
    out
}

// ---------------------------------------------------------------------------------------------
// Execution

enum Flow {
    Break,
    Continue,
    Error(String),
}

struct State<'t, 'a> {
    template: &'t GoTemplate,
    out: String,
    vars: Vec<(String, V<'a>)>,
    /// The node being evaluated (position, text), for error messages.
    node: Option<(usize, String)>,
    steps: u64,
    depth: usize,
}

type R<T> = Result<T, Flow>;

impl<'t, 'a> State<'t, 'a>
where
    't: 'a,
{
    fn at(&mut self, pos: usize, text: impl FnOnce() -> String) {
        self.node = Some((pos, text()));
    }

    fn fail<T>(&self, message: impl Into<String>) -> R<T> {
        let message = message.into();
        Err(Flow::Error(match &self.node {
            Some((pos, context)) => format!(
                "template: {}: executing \"{NAME}\" at <{context}>: {message}",
                self.template.location(*pos)
            ),
            None => format!("template: {NAME}: {message}"),
        }))
    }

    fn step(&mut self) -> R<()> {
        self.steps += 1;
        if self.steps > MAX_STEPS || self.out.len() > 64 * 1024 * 1024 {
            return self.fail("template execution exceeded the playground's limit");
        }
        Ok(())
    }

    fn walk_list(&mut self, nodes: &'t [Node], dot: &V<'a>) -> R<()> {
        for node in nodes {
            self.walk(node, dot)?;
        }
        Ok(())
    }

    fn walk(&mut self, node: &'t Node, dot: &V<'a>) -> R<()> {
        self.step()?;
        match node {
            Node::Text(t) => self.out.push_str(t),
            Node::Action { pos, pipe } => {
                self.at(*pos, || format!("{{{{{pipe}}}}}"));
                let value = self.pipeline(pipe, dot)?;
                if pipe.decl.is_empty() {
                    let text = match &value.val {
                        Val::Invalid => "<no value>".to_string(),
                        v => format_value(v, &Spec::default()),
                    };
                    self.out.push_str(&text);
                }
            }
            Node::If(branch) | Node::With(branch) => {
                let mark = self.vars.len();
                let value = self.pipeline(&branch.pipe, dot)?;
                let result = if value.val.truth() {
                    let new_dot = if matches!(node, Node::With(_)) {
                        value
                    } else {
                        dot.clone()
                    };
                    self.walk_list(&branch.list, &new_dot)
                } else if let Some(else_list) = &branch.else_list {
                    self.walk_list(else_list, dot)
                } else {
                    Ok(())
                };
                self.vars.truncate(mark);
                result?;
            }
            Node::Range(branch) => {
                let mark = self.vars.len();
                let value = self.pipeline(&branch.pipe, dot)?;
                // The pipeline declared its variables; range re-assigns them per element.
                self.vars.truncate(mark);
                let items: Vec<(V<'a>, V<'a>)> = match &value.val {
                    Val::List(items) => items
                        .iter()
                        .enumerate()
                        .map(|(i, v)| (V::plain(Val::Int(i as i64)), V::boxed(Val::from_json(v))))
                        .collect(),
                    Val::Map(map) => map
                        .iter()
                        .map(|(k, v)| {
                            (
                                V::plain(Val::Str(Cow::Borrowed(k.as_str()))),
                                V::boxed(Val::from_json(v)),
                            )
                        })
                        .collect(),
                    Val::Int(n) | Val::Int64(n) => {
                        // Each element is at least one step: past the limit, fail up front
                        // instead of building the list.
                        if *n > MAX_RANGE_INT {
                            return self.fail("template execution exceeded the playground's limit");
                        }
                        (0..(*n).max(0))
                            .map(|i| (V::plain(Val::Int(i)), V::plain(Val::Int(i))))
                            .collect()
                    }
                    Val::Invalid | Val::Nil => Vec::new(),
                    other => {
                        let shown = format_value(other, &Spec::default());
                        return self.fail(format!("range can't iterate over {shown}"));
                    }
                };
                if items.is_empty() {
                    if let Some(else_list) = &branch.else_list {
                        self.walk_list(else_list, dot)?;
                    }
                    return Ok(());
                }
                for (key, element) in items {
                    self.step()?;
                    let mark = self.vars.len();
                    match branch.pipe.decl.as_slice() {
                        [v] => self.declare(v, element.clone(), branch.pipe.is_assign),
                        [k, v] => {
                            self.declare(k, key, branch.pipe.is_assign);
                            self.declare(v, element.clone(), branch.pipe.is_assign);
                        }
                        _ => {}
                    }
                    let result = self.walk_list(&branch.list, &element);
                    self.vars.truncate(mark);
                    match result {
                        Ok(()) | Err(Flow::Continue) => {}
                        Err(Flow::Break) => break,
                        Err(e) => return Err(e),
                    }
                }
            }
            Node::Template { pos, name, pipe } => {
                self.at(*pos, || match pipe {
                    Some(p) => format!("{{{{template {} {p}}}}}", go_quote(name)),
                    None => format!("{{{{template {}}}}}", go_quote(name)),
                });
                let Some(body) = self.template.defines.get(name) else {
                    return self.fail(format!("template {} not defined", go_quote(name)));
                };
                let new_dot = match pipe {
                    Some(p) => self.pipeline(p, dot)?,
                    None => V::plain(Val::Invalid),
                };
                self.depth += 1;
                if self.depth > MAX_EXEC_DEPTH {
                    return self.fail(format!(
                        "exceeded maximum template depth ({MAX_EXEC_DEPTH})"
                    ));
                }
                let saved =
                    std::mem::replace(&mut self.vars, vec![("$".to_string(), new_dot.clone())]);
                let result = self.walk_list(body, &new_dot);
                self.vars = saved;
                self.depth -= 1;
                result?;
            }
            Node::Break => return Err(Flow::Break),
            Node::Continue => return Err(Flow::Continue),
        }
        Ok(())
    }

    fn declare(&mut self, name: &str, value: V<'a>, assign: bool) {
        if assign {
            if let Some(slot) = self.vars.iter_mut().rev().find(|(n, _)| n == name) {
                slot.1 = value;
                return;
            }
        }
        self.vars.push((name.to_string(), value));
    }

    fn pipeline(&mut self, pipe: &'t Pipe, dot: &V<'a>) -> R<V<'a>> {
        let mut value: Option<V<'a>> = None;
        for cmd in &pipe.cmds {
            let result = self.command(cmd, dot, value.take())?;
            // Go digs the value out of an interface{} after each command.
            let val = match result.val {
                Val::Nil => Val::Invalid,
                v => v,
            };
            value = Some(V::plain(val));
        }
        let value = value.unwrap_or(V::plain(Val::Invalid));
        for name in &pipe.decl {
            self.declare(name, value.clone(), pipe.is_assign);
        }
        Ok(value)
    }

    fn command(&mut self, cmd: &'t Command, dot: &V<'a>, last: Option<V<'a>>) -> R<V<'a>> {
        self.step()?;
        let first = &cmd.args[0];
        match first {
            Arg::Field { pos, path } => {
                let has_args = cmd.args.len() > 1 || last.is_some();
                self.at(*pos, || first.to_string());
                self.field_chain(dot.clone(), path, has_args)
            }
            Arg::Chain { pos, node, path } => {
                let has_args = cmd.args.len() > 1 || last.is_some();
                let base = self.arg_value(node, dot)?;
                self.at(*pos, || first.to_string());
                self.field_chain(base, path, has_args)
            }
            Arg::Variable { pos, name, path } => {
                let has_args = cmd.args.len() > 1 || last.is_some();
                self.at(*pos, || first.to_string());
                let base = self.variable(name)?;
                if path.is_empty() {
                    if has_args {
                        return self.fail(format!("can't give argument to non-function {name}"));
                    }
                    return Ok(base);
                }
                self.field_chain(base, path, has_args)
            }
            Arg::Pipe { pos, pipe } => {
                if cmd.args.len() > 1 || last.is_some() {
                    self.at(*pos, || first.to_string());
                    return self.fail(format!("can't give argument to non-function {first}"));
                }
                let mark = self.vars.len();
                let v = self.pipeline(pipe, dot);
                self.vars.truncate(mark);
                v
            }
            Arg::Ident { pos, name } => {
                self.at(*pos, || name.clone());
                self.call(name, cmd, dot, last)
            }
            other => {
                self.at(other.pos(), || other.to_string());
                if cmd.args.len() > 1 || last.is_some() {
                    return self.fail(format!("can't give argument to non-function {other}"));
                }
                match other {
                    Arg::Nil { .. } => self.fail("nil is not a command"),
                    _ => self.arg_value(other, dot),
                }
            }
        }
    }

    fn variable(&self, name: &str) -> R<V<'a>> {
        match self.vars.iter().rev().find(|(n, _)| n == name) {
            Some((_, v)) => Ok(v.clone()),
            None => self.fail(format!("undefined variable: {name}")),
        }
    }

    fn field_chain(&mut self, mut receiver: V<'a>, path: &[String], has_args: bool) -> R<V<'a>> {
        for (i, name) in path.iter().enumerate() {
            let last = i + 1 == path.len();
            receiver = self.field(receiver, name, last && has_args)?;
        }
        Ok(receiver)
    }

    fn field(&mut self, receiver: V<'a>, name: &str, has_args: bool) -> R<V<'a>> {
        match receiver.val {
            Val::Invalid => {
                if self.template.missing_key_error {
                    return self.fail(format!("nil data; no entry for key {}", go_quote(name)));
                }
                Ok(V::plain(Val::Invalid))
            }
            Val::Nil => self.fail(format!(
                "nil pointer evaluating {}.{name}",
                receiver.static_type()
            )),
            Val::Map(map) => {
                if has_args {
                    return self.fail(format!("{name} is not a method but has arguments"));
                }
                match map.get(name) {
                    Some(v) => Ok(V::boxed(Val::from_json(v))),
                    None if self.template.missing_key_error => {
                        self.fail(format!("map has no entry for key {}", go_quote(name)))
                    }
                    None => Ok(V::plain(Val::Invalid)),
                }
            }
            _ => self.fail(format!(
                "can't evaluate field {name} in type {}",
                receiver.static_type()
            )),
        }
    }

    /// An argument's value (Go's evalArg for interface{} / reflect.Value parameters).
    fn arg_value(&mut self, arg: &'t Arg, dot: &V<'a>) -> R<V<'a>> {
        self.at(arg.pos(), || arg.to_string());
        match arg {
            Arg::Dot { .. } => Ok(dot.clone()),
            Arg::Nil { .. } => Ok(V::plain(Val::Nil)),
            Arg::Field { path, .. } => self.field_chain(dot.clone(), path, false),
            Arg::Variable { name, path, .. } => {
                let base = self.variable(name)?;
                self.field_chain(base, path, false)
            }
            Arg::Pipe { pipe, .. } => {
                let mark = self.vars.len();
                let v = self.pipeline(pipe, dot);
                self.vars.truncate(mark);
                v
            }
            Arg::Chain { node, path, .. } => {
                let base = self.arg_value(node, dot)?;
                self.at(arg.pos(), || arg.to_string());
                self.field_chain(base, path, false)
            }
            Arg::Ident { name, .. } => {
                // A bare function name as an argument is a call without arguments.
                self.call_bare(name)
            }
            Arg::Str { value, .. } => Ok(V::plain(Val::Str(Cow::Borrowed(value.as_str())))),
            Arg::Bool { value, .. } => Ok(V::plain(Val::Bool(*value))),
            Arg::Number { text, value, .. } => match value {
                Number::Int(i) => Ok(V::plain(Val::Int(*i))),
                Number::Float(f) => Ok(V::plain(Val::Float(*f))),
                Number::Overflow => self.fail(format!("{text} overflows int")),
            },
        }
    }

    fn call_bare(&mut self, name: &str) -> R<V<'a>> {
        match name {
            "print" => Ok(V::plain(Val::Str(Cow::Borrowed("")))),
            "println" => Ok(V::plain(Val::Str(Cow::Borrowed("\n")))),
            _ => self.fail(format!(
                "wrong number of args for {name}: want at least 1 got 0"
            )),
        }
    }

    fn call(
        &mut self,
        name: &'t str,
        cmd: &'t Command,
        dot: &V<'a>,
        last: Option<V<'a>>,
    ) -> R<V<'a>> {
        let arg_nodes = &cmd.args[1..];
        let cmd_text = || cmd.to_string();
        // `and` and `or` evaluate lazily.
        if name == "and" || name == "or" {
            let count = arg_nodes.len() + usize::from(last.is_some());
            if count == 0 {
                self.at(cmd.pos, cmd_text);
                return self.fail(format!(
                    "wrong number of args for {name}: want at least 1 got 0"
                ));
            }
            let mut result = V::plain(Val::Invalid);
            for node in arg_nodes {
                result = self.arg_value(node, dot)?;
                if result.val.truth() == (name == "or") {
                    return Ok(result);
                }
            }
            if let Some(last) = last {
                result = last;
            }
            return Ok(result);
        }
        let mut args: Vec<V<'a>> = Vec::with_capacity(arg_nodes.len() + 1);
        for node in arg_nodes {
            args.push(self.arg_value(node, dot)?);
        }
        if let Some(last) = last {
            args.push(last);
        }
        self.at(cmd.pos, cmd_text);
        let vals: Vec<Val<'a>> = args.iter().map(|v| v.val.clone()).collect();
        let want = |n: usize, exact: bool| -> Result<(), String> {
            if (exact && vals.len() != n) || (!exact && vals.len() < n) {
                Err(format!(
                    "wrong number of args for {name}: want {}{n} got {}",
                    if exact { "" } else { "at least " },
                    vals.len()
                ))
            } else {
                Ok(())
            }
        };
        let result: Result<Val<'a>, String> = (|| match name {
            "not" => {
                want(1, true)?;
                Ok(Val::Bool(!vals[0].truth()))
            }
            "len" => {
                want(1, true)?;
                match &vals[0] {
                    Val::Str(s) => Ok(Val::Int(s.len() as i64)),
                    Val::Map(m) => Ok(Val::Int(m.len() as i64)),
                    Val::List(l) => Ok(Val::Int(l.len() as i64)),
                    Val::Nil => Err("error calling len: len of nil pointer".to_string()),
                    Val::Invalid => Err(
                        "error calling len: reflect: call of reflect.Value.Type on zero Value"
                            .to_string(),
                    ),
                    other => Err(format!(
                        "error calling len: len of type {}",
                        other.type_name()
                    )),
                }
            }
            "index" => {
                want(1, false)?;
                index(&vals[0], &vals[1..]).map_err(|e| format!("error calling index: {e}"))
            }
            "slice" => {
                want(1, false)?;
                slice(&vals[0], &vals[1..]).map_err(|e| format!("error calling slice: {e}"))
            }
            "print" => Ok(Val::Str(Cow::Owned(sprint(&vals)))),
            "println" => {
                let parts: Vec<String> = vals
                    .iter()
                    .map(|v| format_value(v, &Spec::default()))
                    .collect();
                Ok(Val::Str(Cow::Owned(format!("{}\n", parts.join(" ")))))
            }
            "printf" => {
                want(1, false)?;
                let format = match &vals[0] {
                    Val::Str(s) => s.to_string(),
                    other => return Err(type_error(other, "string")),
                };
                Ok(Val::Str(Cow::Owned(sprintf(&format, &vals[1..]))))
            }
            "eq" => {
                want(1, false)?;
                if vals.len() == 1 {
                    return Err("error calling eq: missing argument for comparison".to_string());
                }
                for other in &vals[1..] {
                    if compare_eq(&vals[0], other).map_err(|e| format!("error calling eq: {e}"))? {
                        return Ok(Val::Bool(true));
                    }
                }
                Ok(Val::Bool(false))
            }
            "ne" => {
                want(2, true)?;
                compare_eq(&vals[0], &vals[1])
                    .map(|b| Val::Bool(!b))
                    .map_err(|e| format!("error calling ne: {e}"))
            }
            "lt" | "le" | "gt" | "ge" => {
                want(2, true)?;
                let ordering = compare_order(&vals[0], &vals[1])
                    .map_err(|e| format!("error calling {name}: {e}"))?;
                let equal = compare_eq(&vals[0], &vals[1]).unwrap_or(false);
                Ok(Val::Bool(match name {
                    "lt" => ordering,
                    "le" => ordering || equal,
                    "gt" => !ordering && !equal,
                    _ => !ordering,
                }))
            }
            "html" => Ok(Val::Str(Cow::Owned(html_escape(&sprint_escaper(&vals))))),
            "js" => Ok(Val::Str(Cow::Owned(js_escape(&sprint_escaper(&vals))))),
            "urlquery" => Ok(Val::Str(Cow::Owned(query_escape(&sprint_escaper(&vals))))),
            "call" => Err("error calling call: call of nil".to_string()),
            "exists" => {
                want(1, false)?;
                Ok(Val::Bool(exists(&vals[0], &vals[1..])))
            }
            "base64decode" => {
                want(1, true)?;
                let text = match &vals[0] {
                    Val::Str(s) => s.to_string(),
                    Val::Invalid => return Err("invalid value; expected string".to_string()),
                    other => return Err(type_error(other, "string")),
                };
                base64_decode(&text)
                    .map(|s| Val::Str(Cow::Owned(s)))
                    .map_err(|e| format!("error calling base64decode: base64 decode failed: {e}"))
            }
            other => Err(format!("function \"{other}\" not defined")),
        })();
        match result {
            Ok(val) => {
                let boxed = name == "index";
                Ok(V { val, boxed })
            }
            Err(message) => self.fail(message),
        }
    }
}

fn type_error(value: &Val<'_>, expected: &str) -> String {
    format!(
        "wrong type for value; expected {expected}; got {}",
        value.type_name()
    )
}

fn index<'a>(item: &Val<'a>, indexes: &[Val<'a>]) -> Result<Val<'a>, String> {
    let mut item = item.clone();
    if matches!(item, Val::Invalid | Val::Nil) {
        return Err("index of untyped nil".to_string());
    }
    for index in indexes {
        item = match &item {
            Val::List(items) => {
                let i = index_arg(index, items.len())?;
                Val::from_json(&items[i])
            }
            Val::Str(s) => {
                let i = index_arg(index, s.len())?;
                Val::Uint8(s.as_bytes()[i])
            }
            Val::Map(map) => match index {
                Val::Str(key) => map.get(key.as_ref()).map_or(Val::Nil, Val::from_json),
                Val::Invalid | Val::Nil => {
                    return Err("value is nil; should be of type string".to_string())
                }
                other => {
                    return Err(format!(
                        "value has type {}; should be string",
                        other.type_name()
                    ))
                }
            },
            Val::Nil => return Err("index of nil pointer".to_string()),
            other => return Err(format!("can't index item of type {}", other.type_name())),
        };
    }
    Ok(item)
}

fn index_arg(index: &Val<'_>, len: usize) -> Result<usize, String> {
    let Some(i) = index.as_int() else {
        return Err(match index {
            Val::Invalid | Val::Nil => "cannot index slice/array with nil".to_string(),
            other => format!("cannot index slice/array with type {}", other.type_name()),
        });
    };
    if i < 0 || i as u64 >= len as u64 {
        return Err(format!("index out of range: {i}"));
    }
    Ok(i as usize)
}

fn slice<'a>(item: &Val<'a>, indexes: &[Val<'a>]) -> Result<Val<'a>, String> {
    if indexes.len() > 2 {
        return Err(format!("too many slice indexes: {}", indexes.len()));
    }
    let len = match item {
        Val::Str(s) => s.len(),
        Val::List(l) => l.len(),
        Val::Invalid | Val::Nil => return Err("slice of untyped nil".to_string()),
        other => return Err(format!("can't slice item of type {}", other.type_name())),
    };
    let mut bounds = [0, len];
    for (i, index) in indexes.iter().enumerate() {
        let Some(n) = index.as_int() else {
            return Err(format!(
                "cannot index slice/array with type {}",
                index.type_name()
            ));
        };
        if n < 0 || n as u64 > len as u64 {
            return Err(format!("index out of range: {n}"));
        }
        bounds[i] = n as usize;
    }
    if bounds[0] > bounds[1] {
        return Err(format!(
            "invalid slice index: {} > {}",
            bounds[0], bounds[1]
        ));
    }
    match item {
        Val::Str(s) => match s.get(bounds[0]..bounds[1]) {
            Some(sub) => Ok(Val::Str(Cow::Owned(sub.to_string()))),
            None => Ok(Val::Str(Cow::Owned(
                String::from_utf8_lossy(&s.as_bytes()[bounds[0]..bounds[1]]).into_owned(),
            ))),
        },
        Val::List(l) => Ok(Val::List(&l[bounds[0]..bounds[1]])),
        _ => Ok(Val::Invalid),
    }
}

fn exists(item: &Val<'_>, indexes: &[Val<'_>]) -> bool {
    let mut current = item.clone();
    for index in indexes {
        current = match (&current, index) {
            (Val::Map(map), Val::Str(key)) => match map.get(key.as_ref()) {
                Some(v) => Val::from_json(v),
                None => return false,
            },
            (Val::List(items), i) => match i.as_int() {
                Some(i) if i >= 0 && (i as usize) < items.len() => {
                    Val::from_json(&items[i as usize])
                }
                _ => return false,
            },
            _ => return false,
        };
    }
    true
}

#[derive(PartialEq)]
enum Kind {
    Invalid,
    Bool,
    Int,
    Float,
    Str,
    Other,
}

fn kind(v: &Val<'_>) -> Kind {
    match v {
        Val::Invalid | Val::Nil => Kind::Invalid,
        Val::Bool(_) => Kind::Bool,
        Val::Int(_) | Val::Int64(_) => Kind::Int,
        Val::Uint8(_) => Kind::Int,
        Val::Float(_) => Kind::Float,
        Val::Str(_) => Kind::Str,
        Val::Map(_) | Val::List(_) => Kind::Other,
    }
}

fn compare_eq(a: &Val<'_>, b: &Val<'_>) -> Result<bool, String> {
    let (ka, kb) = (kind(a), kind(b));
    if ka != kb {
        if ka == Kind::Invalid || kb == Kind::Invalid {
            return Ok(false);
        }
        return Err(format!(
            "incompatible types for comparison: {} and {}",
            a.type_name(),
            b.type_name()
        ));
    }
    Ok(match (a, b) {
        (Val::Bool(x), Val::Bool(y)) => x == y,
        (Val::Float(x), Val::Float(y)) => x == y,
        (Val::Str(x), Val::Str(y)) => x == y,
        _ if ka == Kind::Int => a.as_int() == b.as_int(),
        _ if ka == Kind::Invalid => true,
        _ => {
            return Err(format!(
                "non-comparable type {}: {}",
                format_value(b, &Spec::default()),
                b.type_name()
            ))
        }
    })
}

/// Whether a < b, with Go's errors for types that do not order.
fn compare_order(a: &Val<'_>, b: &Val<'_>) -> Result<bool, String> {
    let (ka, kb) = (kind(a), kind(b));
    if matches!(ka, Kind::Invalid | Kind::Other) || matches!(kb, Kind::Invalid | Kind::Other) {
        return Err("invalid type for comparison".to_string());
    }
    if ka != kb {
        return Err(format!(
            "incompatible types for comparison: {} and {}",
            a.type_name(),
            b.type_name()
        ));
    }
    match (a, b) {
        (Val::Float(x), Val::Float(y)) => Ok(x < y),
        (Val::Str(x), Val::Str(y)) => Ok(x < y),
        (Val::Bool(_), _) => Err("invalid type for comparison".to_string()),
        _ => Ok(a.as_int() < b.as_int()),
    }
}

/// The escapers format a single string argument as is, anything else as fmt.Sprint does.
fn sprint_escaper(args: &[Val<'_>]) -> String {
    match args {
        [Val::Str(s)] => s.to_string(),
        _ => sprint(args),
    }
}

fn html_escape(s: &str) -> String {
    let mut out = String::new();
    for c in s.chars() {
        match c {
            '\0' => out.push('\u{FFFD}'),
            '"' => out.push_str("&#34;"),
            '\'' => out.push_str("&#39;"),
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            c => out.push(c),
        }
    }
    out
}

fn js_escape(s: &str) -> String {
    let mut out = String::new();
    for c in s.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            '\'' => out.push_str("\\'"),
            '"' => out.push_str("\\\""),
            '<' => out.push_str("\\u003C"),
            '>' => out.push_str("\\u003E"),
            '&' => out.push_str("\\u0026"),
            '=' => out.push_str("\\u003D"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if (c as u32) < 0x20 => out.push_str(&format!("\\u{:04X}", c as u32)),
            c => out.push(c),
        }
    }
    out
}

fn query_escape(s: &str) -> String {
    let mut out = String::new();
    for b in s.bytes() {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                out.push(b as char)
            }
            b' ' => out.push('+'),
            b => out.push_str(&format!("%{b:02X}")),
        }
    }
    out
}

/// Go's base64.StdEncoding.DecodeString, with its error text.
fn base64_decode(text: &str) -> Result<String, String> {
    use base64::Engine;
    // Go ignores \r and \n in the input.
    let cleaned: String = text.chars().filter(|c| *c != '\r' && *c != '\n').collect();
    match base64::engine::general_purpose::STANDARD.decode(cleaned.as_bytes()) {
        Ok(bytes) => Ok(String::from_utf8_lossy(&bytes).into_owned()),
        Err(e) => {
            let offset = model::decode::go_base64_error_offset(text).unwrap_or(match e {
                base64::DecodeError::InvalidByte(at, _)
                | base64::DecodeError::InvalidLastSymbol(at, _) => at,
                base64::DecodeError::InvalidLength(len) => len - len % 4,
                base64::DecodeError::InvalidPadding => cleaned.find('=').unwrap_or(0),
            });
            Err(format!("illegal base64 data at input byte {offset}"))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn deployment() -> Value {
        json!({
            "apiVersion": "apps/v1",
            "kind": "Deployment",
            "metadata": {"name": "x", "labels": {"app": "x"}},
            "spec": {
                "replicas": 1,
                "selector": {"matchLabels": {"app": "x"}},
                "strategy": {},
                "template": {
                    "metadata": {"labels": {"app": "x"}},
                    "spec": {"containers": [{"image": "nginx", "name": "nginx", "ports": [{"containerPort": 80}], "resources": {}}]}
                }
            },
            "status": {}
        })
    }

    fn run(template: &str) -> String {
        match GoTemplate::parse(template) {
            Ok(t) => match t.execute(&deployment()) {
                Ok(out) => out,
                Err((out, e)) => format!("{out}ERR {e}"),
            },
            Err(e) => format!("PARSE {e}"),
        }
    }

    // Expected outputs below were produced by real kubectl 1.37 on the same object.
    #[test]
    fn matches_kubectl() {
        let cases: &[(&str, &str)] = &[
            ("{{.spec.template.spec.containers}}", "[map[image:nginx name:nginx ports:[map[containerPort:80]] resources:map[]]]"),
            ("{{.metadata.name.foo}}", "ERR template: output:1:11: executing \"output\" at <.metadata.name.foo>: can't evaluate field foo in type interface {}"),
            (
                "{{printf \"%d %s %v %q %5d|%-4s|%x\" .metadata.name 3 .metadata.labels .metadata.labels .spec.template.spec.containers 1 \"ab\"}}",
                "%!d(string=x) %!s(int=3) map[app:x] map[\"app\":\"x\"] [map[%!d(string=image):%!d(string=nginx) %!d(string= name):%!d(string=nginx) %!d(string=ports):[map[%!d(string=containerPort):   80]] %!d(string=resources):map[]]]|%!s(int=1   )|6162",
            ),
            ("{{range $k, $v := .spec.template.spec.containers}}{{$k}}={{$v}};{{end}}", "0=map[image:nginx name:nginx ports:[map[containerPort:80]] resources:map[]];"),
            ("{{len .metadata.labels}} {{index .spec.template.spec.containers 0 \"name\"}} {{index .spec.template.spec.containers 5}}", "1 nginx ERR template: output:1:77: executing \"output\" at <index .spec.template.spec.containers 5>: error calling index: index out of range: 5"),
            ("{{eq 1.0 1}}", "ERR template: output:1:2: executing \"output\" at <eq 1.0 1>: error calling eq: incompatible types for comparison: float64 and int"),
            ("{{print 1 2 \"a\" 3 4}}|{{println 1 \"x\"}}", "1 2a3 4|1 x\n"),
            ("{{.metadata.annotations}} {{.status}}", "<no value> map[]"),
            ("{{with .nope}}a{{else}}b{{end}} {{if and 1 0}}y{{else if 1}}z{{end}}", "b z"),
            ("{{ $x := 3 }}{{ $x }}{{- \" a \" -}} b {{/* c */}} {{\"\\t\"}}", "3 a b  \t"),
            ("{{ base64decode \"aGk=\" }}{{ base64decode \"x\" }}", "hiERR template: output:1:28: executing \"output\" at <base64decode \"x\">: error calling base64decode: base64 decode failed: illegal base64 data at input byte 0"),
            ("{{exists . \"spec\" \"template\"}}", "true"),
            ("{{ range .metadata.name }}{{end}}", "ERR template: output:1:18: executing \"output\" at <.metadata.name>: range can't iterate over x"),
            ("{{ not 0 }} {{ and 1 2 }} {{ or 0 \"\" }} {{ lt 1 2.5 }}", "true 2  ERR template: output:1:43: executing \"output\" at <lt 1 2.5>: error calling lt: incompatible types for comparison: int and float64"),
            ("{{ .spec.template.spec.containers.x }}", "ERR template: output:1:8: executing \"output\" at <.spec.template.spec.containers.x>: can't evaluate field x in type interface {}"),
            ("{{ index .metadata.labels \"zz\" }}x", "<no value>x"),
            ("{{ 1e7 }} {{ 1.5 }} {{ 07 }} {{ 0x10 }} {{ -3 }} {{ 1e21 }} {{ 0.000001 }}", "1e+07 1.5 7 16 -3 1e+21 1e-06"),
            ("{{ .a.b | printf \"%s\" }}", "%!s(<nil>)"),
            ("{{ printf \"%d\" }}", "%!d(MISSING)"),
            ("{{ html \"<a>\" }} {{ js \"a'b\" }} {{ urlquery \"a b\" }} {{ slice \"abc\" 1 2 }}", "&lt;a&gt; a\\'b a+b b"),
            ("{{len .nope}}", "ERR template: output:1:2: executing \"output\" at <len .nope>: error calling len: reflect: call of reflect.Value.Type on zero Value"),
            ("{{.nope | len}}", "ERR template: output:1:10: executing \"output\" at <len>: error calling len: reflect: call of reflect.Value.Type on zero Value"),
            ("{{len 3}}", "ERR template: output:1:2: executing \"output\" at <len 3>: error calling len: len of type int"),
            ("{{ lt .nope 1 }}", "ERR template: output:1:3: executing \"output\" at <lt .nope 1>: error calling lt: invalid type for comparison"),
            ("{{eq .nope \"x\"}} {{eq .nope .nope2}}", "false true"),
            ("{{index .nope \"a\"}}", "ERR template: output:1:2: executing \"output\" at <index .nope \"a\">: error calling index: index of untyped nil"),
            ("{{index . \"metadata\" \"name\"}} {{index \"abc\" 1}}", "x 98"),
            ("{{range $i, $c := .spec.template.spec.containers}}{{$i}}{{$c.name}}{{else}}none{{end}}{{range .nope}}x{{else}}empty{{end}}", "0nginxempty"),
            ("{{range .metadata.labels}}{{.}}{{end}}", "x"),
            ("{{ .metadata.labels.app | printf \"%s-%s\" \"a\" }}", "a-x"),
            ("{{ $.kind }}{{ with $x := .metadata }}{{ $x.name }}{{ end }}", "Deploymentx"),
            ("{{ if eq .kind \"Deployment\" \"Pod\" }}yes{{ end }}", "yes"),
            (
                "{{ printf \"%v %t %5.2f %03d %-5d| %+d %x %X %o %c %U %e %g\" true true 3.14159 7 7 7 255 255 8 65 65 1234.5 0.5 }}",
                "true true  3.14 007 7    | +7 ff FF 10 A U+0041 1.234500e+03 0.5",
            ),
            ("{{\"a\\nb\"}} {{`raw\\n`}} {{ 'a' }}", "a\nb raw\\n 97"),
            ("{{ .spec.replicas }} {{ printf \"%T %T %T\" .spec.replicas 1 . }}", "1 int64 int map[string]interface {}"),
            ("{{ .metadata.labels.app.x }}", "ERR template: output:1:12: executing \"output\" at <.metadata.labels.app.x>: can't evaluate field x in type interface {}"),
            ("{{ nil }}", "ERR template: output:1:3: executing \"output\" at <nil>: nil is not a command"),
            ("{{ .Foo }}", "<no value>"),
            ("{{ template \"x\" }}", "ERR template: output:1:12: executing \"output\" at <{{template \"x\"}}>: template \"x\" not defined"),
            ("{{ define \"x\" }}X{{ end }}{{ template \"x\" . }}", "X"),
            ("{{ break }}", "PARSE template: output:1: {{break}} outside {{range}}"),
            ("{{ range .spec.template.spec.containers }}{{ break }}{{ end }}ok", "ok"),
            ("{{foo .spec.replicas 1}}", "PARSE template: output:1: function \"foo\" not defined"),
            ("{{.spec.containers[0]}}", "PARSE template: output:1: bad character U+005B '['"),
            ("{{ .spec.containers.0 }}", "PARSE template: output:1: unexpected \".0\" in operand"),
            ("{{ end }}", "PARSE template: output:1: unexpected {{end}}"),
            ("{{ if }}", "PARSE template: output:1: missing value for if"),
            ("{{ $y }}", "PARSE template: output:1: undefined variable \"$y\""),
            ("{{.metadata.name}", "PARSE template: output:1: unexpected \"}\" in operand"),
        ];
        let mut failures = Vec::new();
        for (template, expected) in cases {
            let got = run(template);
            if got != *expected {
                failures.push(format!("{template}\n  want {expected:?}\n  got  {got:?}"));
            }
        }
        assert!(failures.is_empty(), "{}", failures.join("\n"));
    }

    #[test]
    fn garbage_never_panics() {
        let pieces = [
            "{{", "}}", "-", " ", ".", "$", "(", ")", "\"", "`", "'", "|", "range", "if", "end",
            "else", "a", "1", "=", ":=", ",", "/*", "*/", "\n", "é", "0x", "e",
        ];
        let mut seed = 7u64;
        for _ in 0..20_000 {
            let mut text = String::new();
            for _ in 0..(seed % 12) {
                seed = seed
                    .wrapping_mul(6364136223846793005)
                    .wrapping_add(1442695040888963407);
                text.push_str(pieces[(seed >> 33) as usize % pieces.len()]);
            }
            seed = seed.wrapping_mul(6364136223846793005).wrapping_add(1);
            if let Ok(t) = GoTemplate::parse(&text) {
                let _ = t.execute(&deployment());
            }
        }
    }

    #[test]
    fn ranges_over_integers_are_bounded() {
        assert_eq!(run("{{range 3}}{{.}}{{end}}"), "012");
        assert!(run("{{range 1000000000}}x{{end}}").starts_with("ERR "));
        assert!(
            run("{{range $i := 99999}}{{range $j := 99999}}{{end}}{{end}}").starts_with("ERR ")
        );
    }

    #[test]
    fn recursion_is_bounded() {
        let t = GoTemplate::parse(
            "{{define \"r\"}}{{template \"r\" .}}{{template \"r\" .}}{{end}}{{template \"r\" .}}",
        )
        .unwrap();
        assert!(t.execute(&deployment()).is_err());
        let deep = "{{(1)}}";
        assert!(GoTemplate::parse(deep).is_ok());
        let deeper = format!("{{{{{}1{}}}}}", "(".repeat(500), ")".repeat(500));
        assert!(GoTemplate::parse(&deeper).is_err());
    }
}
