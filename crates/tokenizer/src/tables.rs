//! The word lists and character tables behind the news rules.
//!
//! Every list is matched case-sensitively and exactly: `Dec` is a month but
//! `dec` is not, `No` is "number" only before a digit. The lists are short
//! on purpose; each entry trades a missed sentence break for a saved false
//! one, so an entry earns its place only when the abbreviation is common in
//! news copy and rarely a sentence-final word.

use document::TokenKind;

/// Abbreviations that do not end a sentence, whatever follows: titles and
/// prefixes that always stand before a name or a number. Keeping `Mr.`
/// here (rather than with the "may end" group) is what lets `Mr. He
/// Lifeng` survive: `He` is both a common sentence opener and a surname.
pub(crate) fn is_title(word: &str) -> bool {
    matches!(
        word,
        "Mr" | "Mrs"
            | "Ms"
            | "Messrs"
            | "Mmes"
            | "Mme"
            | "Mlle"
            | "Dr"
            | "Drs"
            | "Prof"
            | "Profs"
            | "Gen"
            | "Gens"
            | "Lt"
            | "Col"
            | "Maj"
            | "Capt"
            | "Cmdr"
            | "Cdr"
            | "Adm"
            | "Sgt"
            | "Cpl"
            | "Pvt"
            | "Pte"
            | "Brig"
            | "Gov"
            | "Govs"
            | "Sen"
            | "Sens"
            | "Rep"
            | "Reps"
            | "Pres"
            | "Supt"
            | "Insp"
            | "Det"
            | "Hon"
            | "Rev"
            | "Revd"
            | "Fr"
            | "Amb"
            | "Atty"
            | "Mt"
            | "Ft"
            | "vs"
            | "v"
            | "cf"
            | "viz"
            | "approx"
            | "e.g"
            | "i.e"
    )
}

/// Abbreviations that keep their period but may end a sentence: months,
/// company and address suffixes, and those AP-style US state abbreviations
/// that are not also words or names (`Mass.`, `Ore.`, `Ill.`, `Wash.` are
/// left out: a sentence ends with them more often than a state is meant).
fn is_terminal_abbreviation(word: &str) -> bool {
    matches!(
        word,
        "Jan"
            | "Feb"
            | "Mar"
            | "Apr"
            | "Jun"
            | "Jul"
            | "Aug"
            | "Sep"
            | "Sept"
            | "Oct"
            | "Nov"
            | "Dec"
            | "Inc"
            | "Corp"
            | "Ltd"
            | "Co"
            | "Cos"
            | "Bros"
            | "Jr"
            | "Sr"
            | "St"
            | "Ave"
            | "Blvd"
            | "Rd"
            | "Dept"
            | "Univ"
            | "Assn"
            | "Esq"
            | "Ph.D"
            | "etc"
            | "al"
            | "Ala"
            | "Ariz"
            | "Calif"
            | "Colo"
            | "Conn"
            | "Fla"
            | "Ky"
            | "Md"
            | "Mich"
            | "Minn"
            | "Mont"
            | "Neb"
            | "Nev"
            | "Okla"
            | "Tenn"
            | "Vt"
            | "Wis"
            | "Wyo"
    )
}

/// Abbreviations that are only abbreviations before a number (`No. 10`,
/// `Fig. 3`); elsewhere `No.` is the word "no" ending a sentence.
pub(crate) fn takes_number(word: &str) -> bool {
    matches!(
        word,
        "No" | "Nos" | "no" | "nos" | "Fig" | "Figs" | "fig" | "Vol" | "vol" | "pp" | "Art"
    )
}

/// Words whose period is part of the token (besides initials and dotted
/// acronyms, which are recognised by shape).
pub(crate) fn is_abbreviation(word: &str) -> bool {
    is_title(word) || is_terminal_abbreviation(word)
}

/// Abbreviations that never end a sentence, for the sentence splitter.
pub(crate) fn never_ends_sentence(word: &str) -> bool {
    is_title(word) || takes_number(word)
}

/// Capitalised words that typically open a sentence and hardly ever
/// continue a name. After an abbreviation that may end a sentence (`U.S.`,
/// `Inc.`, `Dec.`, an initial) only one of these makes a new sentence:
/// `U.S. dollars` and `U.S. President` stay together, `U.S. The` splits.
pub(crate) fn is_sentence_starter(word: &str) -> bool {
    matches!(
        word,
        "The"
            | "A"
            | "An"
            | "He"
            | "She"
            | "It"
            | "They"
            | "We"
            | "I"
            | "You"
            | "His"
            | "Her"
            | "Its"
            | "Their"
            | "Our"
            | "My"
            | "Your"
            | "This"
            | "That"
            | "These"
            | "Those"
            | "There"
            | "Here"
            | "In"
            | "On"
            | "At"
            | "For"
            | "But"
            | "And"
            | "Or"
            | "So"
            | "If"
            | "When"
            | "While"
            | "After"
            | "Before"
            | "As"
            | "However"
            | "Meanwhile"
            | "Also"
            | "Some"
            | "Many"
            | "Most"
            | "According"
            | "Yet"
            | "Now"
            | "Then"
            | "Last"
            | "Earlier"
            | "Later"
            | "Both"
            | "What"
            | "Why"
            | "How"
            | "Who"
            | "Where"
            | "Since"
            | "Although"
            | "Though"
            | "Despite"
            | "Under"
            | "With"
            | "From"
            | "By"
            | "Still"
            | "Such"
            | "Mr."
            | "Mrs."
            | "Ms."
            | "Dr."
    )
}

/// Lower-case words a paragraph cannot end with: when a line ends with one,
/// the next line continues the sentence even if it starts with a capital
/// (`... said on` / `Saturday that ...` in hard-wrapped copy).
pub(crate) fn is_dangling_word(word: &str) -> bool {
    matches!(
        word,
        "the"
            | "a"
            | "an"
            | "of"
            | "to"
            | "in"
            | "on"
            | "at"
            | "by"
            | "for"
            | "from"
            | "with"
            | "and"
            | "or"
            | "but"
            | "nor"
            | "as"
            | "that"
            | "than"
            | "into"
            | "onto"
            | "over"
            | "under"
            | "about"
            | "after"
            | "before"
            | "between"
            | "his"
            | "her"
            | "its"
            | "their"
            | "our"
            | "my"
            | "your"
            | "this"
            | "these"
            | "those"
            | "is"
            | "are"
            | "was"
            | "were"
            | "be"
            | "been"
            | "has"
            | "have"
            | "had"
            | "will"
            | "would"
            | "could"
            | "should"
            | "can"
            | "may"
            | "might"
            | "must"
            | "not"
    )
}

/// Letter suffixes split off a number: multipliers (`1.5bn` → `1.5` `bn`)
/// and units (`500km`, `5pm`), so that the number token is always a bare
/// number. Single letters are matched case-sensitively so that `5G` and
/// `3D` stay whole; longer units match in any case (`10GB`, `3GHz`).
pub(crate) fn is_unit(suffix: &str) -> bool {
    if matches!(suffix, "m" | "k" | "b" | "p" | "g" | "h") {
        return true;
    }
    const UNITS: &[&str] = &[
        "bn", "mn", "mln", "bln", "tn", "trn", "pc", "pct", "km", "kg", "cm", "mm", "mg", "lb",
        "lbs", "oz", "ft", "mph", "kmh", "kph", "ml", "hz", "khz", "mhz", "ghz", "kb", "mb", "gb",
        "tb", "kw", "mw", "gw", "kwh", "mwh", "gwh", "am", "pm", "hr", "hrs", "min", "mins", "sec",
        "secs", "yr", "yrs",
    ];
    suffix.len() >= 2 && UNITS.iter().any(|unit| unit.eq_ignore_ascii_case(suffix))
}

/// Suffixes that keep a number whole: ordinals and decades (`21st`, `1990s`).
pub(crate) fn is_ordinal(suffix: &str) -> bool {
    ["st", "nd", "rd", "th", "s"].iter().any(|ordinal| ordinal.eq_ignore_ascii_case(suffix))
}

/// Apostrophe clitics split off as their own token (`Libya` `'s`, `they` `'re`).
pub(crate) fn is_clitic(word: &str) -> bool {
    ["s", "m", "d", "ll", "re", "ve"].iter().any(|clitic| clitic.eq_ignore_ascii_case(word))
}

/// The kind of a one-byte ASCII token that is not a letter or digit.
/// Unicode calls `#`, `%`, `&` and `@` punctuation, but for extraction they
/// behave like `$`: they qualify a number or a name, so they are symbols.
pub(crate) fn ascii_kind(byte: u8) -> TokenKind {
    match byte {
        b'#' | b'$' | b'%' | b'&' | b'+' | b'<' | b'=' | b'>' | b'@' | b'^' | b'|' | b'~' => {
            TokenKind::Symbol
        }
        0x00..=0x1F | 0x7F => TokenKind::Symbol,
        _ => TokenKind::Punct,
    }
}

/// Unicode punctuation (General Category P*) outside ASCII, approximated
/// by the blocks news text actually uses; anything else that is neither a
/// letter nor a digit is a symbol.
pub(crate) fn is_punctuation(c: char) -> bool {
    let code = u32::from(c);
    match code {
        // Fullwidth forms mirror ASCII.
        0xFF01..=0xFF5E => {
            u8::try_from(code - 0xFEE0).is_ok_and(|byte| ascii_kind(byte) == TokenKind::Punct)
        }
        0x00A1 | 0x00A7 | 0x00AB | 0x00B6 | 0x00B7 | 0x00BB | 0x00BF => true,
        0x037E | 0x0387 | 0x055A..=0x055F | 0x0589 | 0x058A => true,
        0x05BE | 0x05C0 | 0x05C3 | 0x05C6 | 0x05F3 | 0x05F4 => true,
        0x0609 | 0x060A | 0x060C | 0x060D | 0x061B | 0x061D..=0x061F | 0x066A..=0x066D => true,
        0x06D4 | 0x0964 | 0x0965 | 0x0970 | 0x0E4F | 0x0E5A | 0x0E5B => true,
        0x2010..=0x2027 | 0x2030..=0x2043 | 0x2045..=0x2051 | 0x2053..=0x205E => true,
        0x207D | 0x207E | 0x208D | 0x208E | 0x2308..=0x230B | 0x2329 | 0x232A => true,
        0x2768..=0x2775 | 0x27C5 | 0x27C6 | 0x27E6..=0x27EF | 0x2983..=0x2998 => true,
        0x29D8..=0x29DB | 0x29FC | 0x29FD | 0x2E00..=0x2E4F => true,
        0x3001..=0x3003 | 0x3008..=0x3011 | 0x3014..=0x301F | 0x3030 | 0x303D => true,
        0x30A0 | 0x30FB | 0xFE10..=0xFE19 | 0xFE30..=0xFE52 | 0xFE54..=0xFE61 => true,
        0xFE63 | 0xFE68 | 0xFE6A | 0xFE6B | 0xFF5F..=0xFF65 => true,
        _ => false,
    }
}

/// Sentence-final marks of scripts without letter case (CJK, Arabic,
/// Devanagari): nothing after them can say "this continues", so they
/// always end a sentence.
pub(crate) fn is_strong_terminator(token: &str) -> bool {
    matches!(token, "。" | "｡" | "！" | "？" | "．" | "؟" | "۔" | "।" | "॥" | "‼" | "⁇" | "⁈" | "⁉")
}

/// Marks that close a quotation or a parenthesis and so belong to the
/// sentence that ends just before them (`positive."`, `dollars.)`).
pub(crate) fn is_closer(token: &str) -> bool {
    matches!(
        token,
        "\"" | "'"
            | ")"
            | "]"
            | "}"
            | "”"
            | "’"
            | "»"
            | "›"
            | "」"
            | "』"
            | "）"
            | "］"
            | "｝"
            | "〕"
            | "】"
            | "〉"
            | "》"
            | "〗"
            | "＂"
            | "＇"
    )
}
