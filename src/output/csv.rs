//! A small RFC 4180 CSV reader for the tables `kinsight run --format csv` writes (the
//! inverse of [`super::Table::to_csv`]).
//!
//! The engine's CSV tables are plain: a header row, comma-separated fields, fields with a
//! comma, quote or line break enclosed in double quotes (a quote doubled inside), `\n` or
//! `\r\n` line ends. That is all this reads; no crate is needed for it.

/// Parses `text` into the header and the data records. Blank lines are skipped.
///
/// # Errors
/// A message naming the line when a quoted field is not closed, or a record has more
/// fields than the header.
pub fn parse_csv(text: &str) -> Result<(Vec<String>, Vec<Vec<String>>), String> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut records: Vec<(usize, Vec<String>)> = Vec::new();
    let mut record: Vec<String> = Vec::new();
    let mut field = String::new();
    let mut chars = text.chars().peekable();
    let mut line = 1;
    let mut start_line = 1;
    let mut quoted = false;
    let mut touched = false;
    while let Some(c) = chars.next() {
        if quoted {
            match c {
                '"' if chars.peek() == Some(&'"') => {
                    chars.next();
                    field.push('"');
                }
                '"' => quoted = false,
                '\n' => {
                    line += 1;
                    field.push(c);
                }
                _ => field.push(c),
            }
            continue;
        }
        match c {
            '"' if field.is_empty() => {
                quoted = true;
                touched = true;
            }
            ',' => {
                record.push(std::mem::take(&mut field));
                touched = true;
            }
            '\r' if chars.peek() == Some(&'\n') => {}
            '\n' => {
                if touched || !field.is_empty() {
                    record.push(std::mem::take(&mut field));
                    records.push((start_line, std::mem::take(&mut record)));
                }
                touched = false;
                line += 1;
                start_line = line;
            }
            _ => {
                field.push(c);
                touched = true;
            }
        }
    }
    if quoted {
        return Err(format!(
            "line {start_line}: a quoted field is never closed (missing \")"
        ));
    }
    if touched || !field.is_empty() {
        record.push(field);
        records.push((start_line, record));
    }
    let mut iter = records.into_iter();
    let header = match iter.next() {
        Some((_, h)) => h,
        None => return Err("the file is empty; expected a header row".to_string()),
    };
    let data = iter
        .map(|(at, r)| {
            if r.len() > header.len() {
                Err(format!(
                    "line {at}: {} fields, but the header has {}",
                    r.len(),
                    header.len()
                ))
            } else {
                Ok(r)
            }
        })
        .collect::<Result<Vec<_>, _>>()?;
    Ok((header, data))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_quotes_commas_and_line_ends() {
        let text = "a,b,c\r\n1,\"x, y\",\"say \"\"hi\"\"\"\r\n\n2,,\"two\nlines\"\n";
        let (h, rows) = parse_csv(text).unwrap();
        assert_eq!(h, vec!["a", "b", "c"]);
        assert_eq!(
            rows,
            vec![vec!["1", "x, y", "say \"hi\""], vec!["2", "", "two\nlines"],]
        );
    }

    #[test]
    fn last_line_without_newline_and_trailing_empty_field() {
        let (_, rows) = parse_csv("a,b\n1,").unwrap();
        assert_eq!(rows, vec![vec!["1", ""]]);
    }

    #[test]
    fn errors_name_the_line() {
        assert_eq!(
            parse_csv("a,b\n1,2,3\n").unwrap_err(),
            "line 2: 3 fields, but the header has 2"
        );
        assert!(parse_csv("a\n\"open\n")
            .unwrap_err()
            .starts_with("line 2: a quoted"));
        assert!(parse_csv("").unwrap_err().contains("empty"));
    }
}
