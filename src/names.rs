//! File names that can be published: the one rule for the names of files
//! the site is made of, shared by the walker (files of `static/`), the id
//! checks and the Markdown dialect (image paths).

/// Whether Windows reserves `name` for a device (`CON`, `PRN`, `AUX`,
/// `NUL`, `COM1`-`COM9`, `LPT1`-`LPT9`, in any case, with or without an
/// extension): a file of that name cannot be created there, so a site with
/// one could not be copied to or served from Windows.
#[must_use]
pub fn is_windows_device_name(name: &str) -> bool {
    let stem = name
        .split('.')
        .next()
        .unwrap_or(name)
        .trim_end_matches(' ')
        .to_ascii_uppercase();
    match stem.as_bytes() {
        b"CON" | b"PRN" | b"AUX" | b"NUL" => true,
        [b'C', b'O', b'M', digit] | [b'L', b'P', b'T', digit] => (b'1'..=b'9').contains(digit),
        _ => false,
    }
}

/// Whether a path component is safe to publish as is: ASCII letters,
/// digits, `.`, `-` and `_`, and not `.` or `..`.
#[must_use]
pub fn is_safe_name(name: &str) -> bool {
    !name.is_empty()
        && name != "."
        && name != ".."
        && name
            .chars()
            .all(|character| character.is_ascii_alphanumeric() || matches!(character, '.' | '-' | '_'))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn publishable_names() {
        assert!(is_safe_name("logo-2.png"));
        for bad in ["..", ".", "a b", "a<b", "é.png", ""] {
            assert!(!is_safe_name(bad), "{bad}");
        }
    }
}
