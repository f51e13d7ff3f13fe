//! Column definitions (`ColumnDefinition41`) and the in-place rewrite of MatrixOne's type codes.
//!
//! Layout: six length-encoded strings (catalog, schema, table, org_table, name, org_name), the
//! length of the fixed fields (0x0C), then character set (2 bytes), column length (4), type (1),
//! flags (2), decimals (1) and two filler bytes.

use super::wire::lenenc;

/// MatrixOne's `MYSQL_TYPE_TEXT` (pkg/defines/type.go).
pub(crate) const MO_TEXT: u8 = 0xF1;
/// MatrixOne's `MYSQL_TYPE_UUID`.
pub(crate) const MO_UUID: u8 = 0xF3;
/// MatrixOne's `MYSQL_TYPE_BOOL`.
pub(crate) const MO_BOOL: u8 = 0xF4;

const TYPE_TINY: u8 = 0x01;
const TYPE_BLOB: u8 = 0xFC;
const TYPE_VAR_STRING: u8 = 0xFD;

/// `binary`: the character set of byte strings.
const CHARSET_BINARY: u16 = 63;
/// `utf8_general_ci`, what MatrixOne sends for its text columns (`charsetVarchar`,
/// pkg/frontend/mysql_protocol.go); the server sends text in the connection's character set.
const CHARSET_TEXT: u16 = 33;

const FLAG_BLOB: u16 = 16;
const FLAG_BINARY: u16 = 128;

/// What [`rewrite`] did to a column definition.
#[derive(Debug, PartialEq, Eq)]
pub(crate) enum Rewrite {
    /// A type the driver reads; left as it was (also a definition the relay cannot parse).
    Kept,
    /// A MatrixOne type, now the MySQL type it is sent as.
    Mapped,
    /// A type code the driver does not know: the column's label and the code.
    Unknown { column: String, code: u8 },
}

/// Whether sqlx-mysql knows the type code (`ColumnType::try_from_u16`).
pub(crate) fn driver_reads(code: u8) -> bool {
    matches!(code, 0x00..=0x0D | 0x0F | 0x10 | 0xF5..=0xFF)
}

/// Offset of the fixed fields (character set first) and the column's label.
fn fixed_fields(def: &[u8]) -> Option<(usize, String)> {
    let mut at = 0;
    let mut label = String::new();
    for field in 0..6 {
        let (len, size) = lenenc(def.get(at..)?)?;
        let start = at + size;
        let end = start.checked_add(usize::try_from(len).ok()?)?;
        if field == 4 {
            label = String::from_utf8_lossy(def.get(start..end)?).into_owned();
        }
        at = end;
    }
    // The fixed fields' length, always 0x0C; anything else is a layout the relay does not know.
    (def.get(at) == Some(&0x0C) && def.len() >= at + 1 + 10).then_some((at + 1, label))
}

/// Maps MatrixOne's type codes in one column definition to the MySQL types they are sent as, in
/// place. An unknown code is reported, and with `lenient` also turned into a binary BLOB (for
/// the definitions of `COM_STMT_PREPARE`, which the driver parses but does not use for rows).
pub(crate) fn rewrite(def: &mut [u8], lenient: bool) -> Rewrite {
    let Some((at, column)) = fixed_fields(def) else { return Rewrite::Kept };
    let (charset_at, type_at, flags_at) = (at, at + 6, at + 7);
    let code = def[type_at];
    let set_charset = |def: &mut [u8], charset: u16| {
        def[charset_at..charset_at + 2].copy_from_slice(&charset.to_le_bytes())
    };
    let flags = u16::from_le_bytes([def[flags_at], def[flags_at + 1]]);
    let set_flags =
        |def: &mut [u8], flags: u16| def[flags_at..flags_at + 2].copy_from_slice(&flags.to_le_bytes());
    let charset = u16::from_le_bytes([def[charset_at], def[charset_at + 1]]);
    match code {
        _ if driver_reads(code) => Rewrite::Kept,
        MO_TEXT => {
            // TEXT, as MatrixOne itself reports it in ordinary results (convertMysqlTextTypeToBlobType).
            def[type_at] = TYPE_BLOB;
            if charset == CHARSET_BINARY {
                set_charset(def, CHARSET_TEXT);
            }
            set_flags(def, (flags | FLAG_BLOB) & !FLAG_BINARY);
            Rewrite::Mapped
        }
        MO_UUID => {
            // Sent as its 36-character text in both protocols; MatrixOne marks it binary.
            def[type_at] = TYPE_VAR_STRING;
            set_charset(def, CHARSET_TEXT);
            set_flags(def, flags & !FLAG_BINARY);
            Rewrite::Mapped
        }
        MO_BOOL => {
            // Sent as one byte (binary protocol) or a number (text): a TINYINT.
            def[type_at] = TYPE_TINY;
            Rewrite::Mapped
        }
        _ => {
            if lenient {
                def[type_at] = TYPE_BLOB;
                set_charset(def, CHARSET_BINARY);
                set_flags(def, flags | FLAG_BLOB | FLAG_BINARY);
            }
            Rewrite::Unknown { column, code }
        }
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    /// A column definition as MatrixOne writes one (`makeColumnDefinition41Payload`).
    pub(crate) fn definition(name: &str, code: u8, charset: u16, flags: u16) -> Vec<u8> {
        let mut p = Vec::new();
        for s in ["def", "db", "t", "t", name, name] {
            p.push(s.len() as u8);
            p.extend_from_slice(s.as_bytes());
        }
        p.push(0x0C);
        p.extend_from_slice(&charset.to_le_bytes());
        p.extend_from_slice(&1024u32.to_le_bytes());
        p.push(code);
        p.extend_from_slice(&flags.to_le_bytes());
        p.extend_from_slice(&[0, 0, 0]);
        p
    }

    fn fields(def: &[u8]) -> (u16, u8, u16) {
        // The fixed fields: character set, length, type, flags, decimals, filler (12 bytes).
        let at = def.len() - 12;
        (
            u16::from_le_bytes([def[at], def[at + 1]]),
            def[at + 6],
            u16::from_le_bytes([def[at + 7], def[at + 8]]),
        )
    }

    #[test]
    fn matrixone_types_become_what_they_are_sent_as() {
        let mut text = definition("tables", MO_TEXT, 33, 0);
        assert_eq!(rewrite(&mut text, false), Rewrite::Mapped);
        assert_eq!(fields(&text), (33, TYPE_BLOB, FLAG_BLOB));

        let mut binary_text = definition("c", MO_TEXT, CHARSET_BINARY, FLAG_BINARY);
        rewrite(&mut binary_text, false);
        assert_eq!(fields(&binary_text), (CHARSET_TEXT, TYPE_BLOB, FLAG_BLOB));

        let mut uuid = definition("id", MO_UUID, CHARSET_BINARY, FLAG_BINARY | 1);
        assert_eq!(rewrite(&mut uuid, false), Rewrite::Mapped);
        assert_eq!(fields(&uuid), (CHARSET_TEXT, TYPE_VAR_STRING, 1));

        let mut flag = definition("ok", MO_BOOL, CHARSET_BINARY, 0);
        rewrite(&mut flag, false);
        assert_eq!(fields(&flag).1, TYPE_TINY);
    }

    #[test]
    fn known_types_and_unparsable_definitions_are_kept() {
        for code in [0x03, 0x0F, 0xF5, 0xFC, 0xFD, 0xFE, 0xFF] {
            let mut def = definition("c", code, 33, 0);
            let before = def.clone();
            assert_eq!(rewrite(&mut def, false), Rewrite::Kept);
            assert_eq!(def, before);
        }
        let mut short = definition("c", MO_TEXT, 33, 0);
        short.truncate(short.len() - 5);
        let before = short.clone();
        assert_eq!(rewrite(&mut short, false), Rewrite::Kept);
        assert_eq!(short, before);
    }

    #[test]
    fn unknown_types_are_named_and_only_made_binary_when_lenient() {
        let mut def = definition("weird", 0xE0, 33, 0);
        let before = def.clone();
        assert_eq!(rewrite(&mut def, false), Rewrite::Unknown { column: "weird".into(), code: 0xE0 });
        assert_eq!(def, before);
        assert_eq!(rewrite(&mut def, true), Rewrite::Unknown { column: "weird".into(), code: 0xE0 });
        assert_eq!(fields(&def), (CHARSET_BINARY, TYPE_BLOB, FLAG_BLOB | FLAG_BINARY));
        for code in [0x0E, 0x11, 0x14, 0xF2] {
            assert!(!driver_reads(code), "{code:#x}");
        }
    }
}
