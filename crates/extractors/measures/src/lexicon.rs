//! The words of measures: numerals, number words, multipliers, modifiers,
//! currencies, units and counted nouns.
//!
//! Currency names come from the ISO 4217 table of the `iso_currency`
//! crate (`Libyan dinar` → LYD, `Swiss franc` → CHF), read once into a
//! map; only what the table lacks is written here: the bare heads
//! (`dollars`, `yen`), the prefixed dollar signs (`HK$`), and the
//! English names that differ from ISO's (`U.S. dollars`, `Chinese yuan`).

use std::collections::HashMap;
use std::sync::OnceLock;

use iso_currency::Currency;

use crate::decimal::Decimal;

/// Parses a numeral as written in news: `80000`, `80,000`, `41.18`,
/// `1.234.567`, `1.234,5`, `1,234.5`. `None` for anything ambiguous or
/// malformed (`1,5`, `1,23,4`): such a numeral is not taken for an amount.
///
/// Rules: a separator that occurs more than once, or once alongside the
/// other one and before it, separates thousands, and then every group
/// after the first has exactly three digits; a lone `,` separates thousands
/// only before exactly three digits (`80,000`) and is refused otherwise; a
/// lone `.` is the decimal point, the English reading.
pub fn parse_numeral(text: &str) -> Option<Decimal> {
    let commas = text.bytes().filter(|&b| b == b',').count();
    let dots = text.bytes().filter(|&b| b == b'.').count();
    let (thousands, decimal) = match (commas, dots) {
        (0, 0) => return Decimal::parse_plain(text),
        (0, 1) => return Decimal::parse_plain(text),
        (_, 0) => (',', None),
        (0, _) => ('.', None),
        (_, 1) if text.rfind('.') > text.rfind(',') => (',', Some('.')),
        (1, _) if text.rfind(',') > text.rfind('.') => ('.', Some(',')),
        _ => return None,
    };
    let (integer, fraction) = match decimal {
        Some(point) => text.rsplit_once(point)?,
        None => (text, ""),
    };
    let mut groups = integer.split(thousands);
    let first = groups.next()?;
    if first.is_empty() || first.len() > 3 {
        return None;
    }
    let mut digits = String::with_capacity(text.len());
    digits.push_str(first);
    for group in groups {
        if group.len() != 3 {
            return None;
        }
        digits.push_str(group);
    }
    if !fraction.is_empty() {
        digits.push('.');
        digits.push_str(fraction);
    }
    Decimal::parse_plain(&digits)
}

/// A quick test in front of a scan of a word table: bit `n` of
/// `shapes[first * 26 + last]` is set when an entry of `n` bytes (under 32)
/// starts and ends with those letters. Every entry must start and end with
/// a lower-case ASCII letter (checked when the table is built, at compile
/// time), so a word that `eq_ignore_ascii_case`s an entry passes; nearly
/// every other word fails on its first letter, last letter and length,
/// before any comparison of strings ([`has_shape`]).
pub(crate) type Shapes = [u32; 26 * 26];

/// The [`Shapes`] of a word table.
pub(crate) const fn word_shapes(words: &[&str]) -> Shapes {
    let mut shapes = [0u32; 26 * 26];
    let mut index = 0;
    while index < words.len() {
        add_shape(&mut shapes, words[index]);
        index += 1;
    }
    shapes
}

/// Sets `word`'s bit in a [`Shapes`] table.
const fn add_shape(shapes: &mut Shapes, word: &str) {
    let word = word.as_bytes();
    assert!(!word.is_empty() && word.len() < 32);
    let (first, last) = (word[0], word[word.len() - 1]);
    assert!(first.is_ascii_lowercase() && last.is_ascii_lowercase());
    shapes[(first - b'a') as usize * 26 + (last - b'a') as usize] |= 1 << word.len();
}

/// Whether `word` can equal, ignoring ASCII case, an entry of the table
/// whose [`Shapes`] are `shapes`.
pub(crate) fn has_shape(shapes: &Shapes, word: &[u8]) -> bool {
    let (Some(first), Some(last)) = (word.first(), word.last()) else {
        return false;
    };
    first.is_ascii_alphabetic()
        && last.is_ascii_alphabetic()
        && word.len() < 32
        && shapes[usize::from(first.to_ascii_lowercase() - b'a') * 26
            + usize::from(last.to_ascii_lowercase() - b'a')]
            & (1 << word.len())
            != 0
}

/// A table of phrases (lower-case words) and their values, with what
/// [`PhraseTable::find`] needs to compare only a few entries per lookup:
/// the [`Shapes`] of the first words, and for each letter the entries (at
/// most 128) whose first word starts with it, as a bit mask of indexes.
pub(crate) struct PhraseTable {
    phrases: &'static [(&'static [&'static str], &'static str)],
    shapes: Shapes,
    by_letter: [u128; 26],
}

impl PhraseTable {
    /// Builds the filters of `phrases`, at compile time.
    const fn new(phrases: &'static [(&'static [&'static str], &'static str)]) -> Self {
        assert!(phrases.len() <= 128);
        let mut shapes = [0u32; 26 * 26];
        let mut by_letter = [0u128; 26];
        let mut index = 0;
        while index < phrases.len() {
            let first = phrases[index].0[0];
            add_shape(&mut shapes, first);
            by_letter[(first.as_bytes()[0] - b'a') as usize] |= 1 << index;
            index += 1;
        }
        PhraseTable { phrases, shapes, by_letter }
    }

    /// The first phrase of the table (in table order) that `words` start
    /// with, ASCII case ignored, and its length in words. Only the entries
    /// whose first word has the first letter of `words[0]` are compared, and
    /// none when no first word has its shape.
    fn find(&self, words: &[&str]) -> Option<(&'static str, usize)> {
        let first = words.first().filter(|word| has_shape(&self.shapes, word.as_bytes()))?;
        let letter = first.as_bytes().first()?.to_ascii_lowercase();
        let mut entries = *self.by_letter.get(usize::from(letter.checked_sub(b'a')?))?;
        while entries != 0 {
            let index = entries.trailing_zeros() as usize;
            entries &= entries - 1;
            let Some((phrase, value)) = self.phrases.get(index) else { break };
            let matches = phrase.len() <= words.len()
                && phrase.first().is_some_and(|p| p.len() == first.len())
                && phrase.iter().zip(words).all(|(p, w)| p.eq_ignore_ascii_case(w));
            if matches {
                return Some((*value, phrase.len()));
            }
        }
        None
    }
}

/// Test words around an ASCII `word`: as written, in upper case and title
/// case, with `s` or `é` added, and with each byte changed (to `a`, `e`,
/// `s`, `Z`, `1` or `.`) or removed: the words a quick test in front of a
/// table must answer as the plain scan does.
#[cfg(test)]
pub(crate) fn word_variants(word: &str) -> Vec<String> {
    let mut words = vec![word.to_string(), word.to_ascii_uppercase()];
    let mut title = word.to_string();
    title[..1].make_ascii_uppercase();
    words.push(title);
    words.push(format!("{word}s"));
    words.push(format!("{word}\u{e9}"));
    for at in 0..word.len() {
        for letter in [b'a', b'e', b's', b'Z', b'1', b'.'] {
            let mut changed = word.as_bytes().to_vec();
            changed[at] = letter;
            words.push(String::from_utf8(changed).unwrap());
        }
        words.push(format!("{}{}", &word[..at], &word[at + 1..]));
    }
    words
}

/// Calls `f` with `word` ASCII-lower-cased, in a buffer on the stack when
/// the word is short (every word the callers' tables hold is), as bytes:
/// the same bytes `str::to_ascii_lowercase` gives.
fn with_ascii_lower<R>(word: &str, f: impl FnOnce(&[u8]) -> R) -> R {
    let mut buffer = [0u8; 24];
    match buffer.get_mut(..word.len()) {
        Some(lower) => {
            lower.copy_from_slice(word.as_bytes());
            lower.make_ascii_lowercase();
            f(lower)
        }
        None => f(word.to_ascii_lowercase().as_bytes()),
    }
}

/// The value of a cardinal word (`three`, `twenty`), for numbers written in
/// words.
pub fn cardinal_word(word: &str) -> Option<u32> {
    const WORDS: [&str; 20] = [
        "zero",
        "one",
        "two",
        "three",
        "four",
        "five",
        "six",
        "seven",
        "eight",
        "nine",
        "ten",
        "eleven",
        "twelve",
        "thirteen",
        "fourteen",
        "fifteen",
        "sixteen",
        "seventeen",
        "eighteen",
        "nineteen",
    ];
    const TENS: [&str; 8] =
        ["twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety"];
    if word.len() > 9 {
        return None;
    }
    with_ascii_lower(word, |lower| {
        if let Some(index) = WORDS.iter().position(|w| w.as_bytes() == lower) {
            return u32::try_from(index).ok();
        }
        let index = TENS.iter().position(|w| w.as_bytes() == lower)?;
        u32::try_from(index * 10 + 20).ok()
    })
}

/// A multiplier word and the power of ten it stands for. `spelled` tells a
/// whole word (`million`, valid after a space) from an abbreviation
/// (`m`, `bn`), which is only read glued to the number (`$5m`, `1.5bn`)
/// or in the unambiguous spaced forms (`5 bn`, `5 mln`).
pub fn multiplier(word: &str, glued: bool) -> Option<i32> {
    let power = match word {
        "thousand" | "Thousand" | "THOUSAND" => 3,
        "million" | "Million" | "MILLION" | "millions" => 6,
        "billion" | "Billion" | "BILLION" | "billions" => 9,
        "trillion" | "Trillion" | "TRILLION" => 12,
        "lakh" | "lakhs" | "Lakh" => 5,
        "crore" | "crores" | "Crore" => 7,
        "mn" | "mln" | "Mn" | "MN" => 6,
        "bn" | "bln" | "Bn" | "BN" => 9,
        "tn" | "trn" | "Tn" => 12,
        "m" | "M" if glued => 6,
        "k" | "K" if glued => 3,
        "b" | "B" if glued => 9,
        _ => return None,
    };
    Some(power)
}

/// The modifier phrases of [`modifier`], lower case, longest first.
const MODIFIERS: &[(&[&str], &str)] = &[
    (&["as", "little", "as"], "EQUAL_OR_MORE"),
    (&["as", "few", "as"], "EQUAL_OR_MORE"),
    (&["as", "low", "as"], "EQUAL_OR_MORE"),
    (&["as", "much", "as"], "EQUAL_OR_LESS"),
    (&["as", "many", "as"], "EQUAL_OR_LESS"),
    (&["as", "high", "as"], "EQUAL_OR_LESS"),
    (&["more", "than"], "MORE_THAN"),
    (&["less", "than"], "LESS_THAN"),
    (&["fewer", "than"], "LESS_THAN"),
    (&["up", "to"], "EQUAL_OR_LESS"),
    (&["at", "least"], "EQUAL_OR_MORE"),
    (&["at", "most"], "EQUAL_OR_LESS"),
    (&["close", "to"], "APPROX"),
    (&["an", "estimated"], "APPROX"),
    (&["upwards", "of"], "MORE_THAN"),
    (&["just", "over"], "MORE_THAN"),
    (&["just", "under"], "LESS_THAN"),
    (&["around"], "APPROX"),
    (&["about"], "APPROX"),
    (&["some"], "APPROX"),
    (&["roughly"], "APPROX"),
    (&["approximately"], "APPROX"),
    (&["nearly"], "LESS_THAN"),
    (&["almost"], "LESS_THAN"),
    (&["over"], "MORE_THAN"),
    (&["under"], "LESS_THAN"),
    (&["above"], "MORE_THAN"),
];

/// What a modifier says about the amount, in TimeML's `mod` vocabulary.
pub fn modifier(words: &[&str]) -> Option<(&'static str, usize)> {
    // Longest phrases first; each entry is lower-case words and the `mod`.
    static TABLE: PhraseTable = PhraseTable::new(MODIFIERS);
    TABLE.find(words)
}

/// A currency as far as the text determines it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CurrencyRef {
    /// An ISO 4217 code.
    Code(&'static str),
    /// A bare `$` or `dollars`: USD unless the document names another
    /// dollar (resolved per document).
    BareDollar,
    /// A head with no country (`francs`, `dinars`), given in the singular:
    /// the currency is the one of the country the document names, if it
    /// names exactly one that uses such a currency, and unknown otherwise.
    Unknown(&'static str),
}

/// A currency symbol or prefix written before the amount (`£`, `€`, and
/// the `$` of `US$`, `HK$` with its letters given in `letters`).
pub fn symbol_currency(symbol: &str) -> Option<CurrencyRef> {
    let code = match symbol {
        "$" => return Some(CurrencyRef::BareDollar),
        "£" => "GBP",
        "€" => "EUR",
        "¥" => "JPY",
        "₹" => "INR",
        "₽" => "RUB",
        "₩" => "KRW",
        "₦" => "NGN",
        "₺" => "TRY",
        _ => return None,
    };
    Some(CurrencyRef::Code(code))
}

/// The currency of the letters glued before a `$`: `US$`, `HK$`, `A$`.
pub fn dollar_prefix(letters: &str) -> Option<&'static str> {
    Some(match letters {
        "US" | "U.S." => "USD",
        "HK" => "HKD",
        "A" | "AU" | "AUD" => "AUD",
        "C" | "CA" | "CAD" => "CAD",
        "NZ" => "NZD",
        "S" | "SG" => "SGD",
        "R" => "BRL",
        "NT" => "TWD",
        "Mex" | "MX" => "MXN",
        _ => return None,
    })
}

/// Word prefixes that stand for a currency before the amount (`Rs 500`).
pub fn word_prefix_currency(word: &str) -> Option<&'static str> {
    Some(match word {
        "Rs" | "INR" => "INR",
        "Rp" => "IDR",
        _ => return None,
    })
}

/// An upper-case ISO 4217 code written next to an amount (`USD 5m`,
/// `5m EUR`), checked against the ISO table. A few codes that are also
/// common words in capitals are refused.
pub fn iso_code(word: &str) -> Option<&'static str> {
    if word.len() != 3 || !word.bytes().all(|b| b.is_ascii_uppercase()) {
        return None;
    }
    if matches!(word, "ALL" | "TOP" | "CUP" | "MOP" | "BOB" | "PEN" | "MAD" | "SOS" | "GEL") {
        return None;
    }
    let currency = Currency::from_code(word)?;
    Some(currency.code())
}

/// The singular of a currency head noun (`dollars` → `dollar`), and the
/// currency it means with no country named.
pub fn currency_head(word: &str) -> Option<(&'static str, CurrencyRef)> {
    with_ascii_lower(word, currency_head_lower)
}

fn currency_head_lower(lower: &[u8]) -> Option<(&'static str, CurrencyRef)> {
    use CurrencyRef::{BareDollar, Code, Unknown};
    Some(match lower {
        b"dollar" | b"dollars" => ("dollar", BareDollar),
        b"euro" | b"euros" => ("euro", Code("EUR")),
        b"pound" | b"pounds" => ("pound", Code("GBP")),
        b"sterling" => ("sterling", Code("GBP")),
        b"yen" => ("yen", Code("JPY")),
        b"yuan" => ("yuan", Code("CNY")),
        b"renminbi" | b"rmb" => ("renminbi", Code("CNY")),
        b"rupee" | b"rupees" => ("rupee", Code("INR")),
        b"ruble" | b"rubles" | b"rouble" | b"roubles" => ("ruble", Code("RUB")),
        b"rand" => ("rand", Code("ZAR")),
        b"naira" => ("naira", Code("NGN")),
        b"lira" | b"liras" | b"lire" => ("lira", Code("TRY")),
        b"dinar" | b"dinars" => ("dinar", Unknown("dinar")),
        b"franc" | b"francs" => ("franc", Unknown("franc")),
        b"peso" | b"pesos" => ("peso", Unknown("peso")),
        b"riyal" | b"riyals" => ("riyal", Unknown("riyal")),
        b"dirham" | b"dirhams" => ("dirham", Unknown("dirham")),
        b"shilling" | b"shillings" => ("shilling", Unknown("shilling")),
        b"krona" | b"kronor" => ("krona", Unknown("krona")),
        b"krone" | b"kroner" => ("krone", Unknown("krone")),
        b"crown" | b"crowns" => ("crown", Unknown("crown")),
        b"won" => ("won", Code("KRW")),
        b"real" | b"reais" => ("real", Code("BRL")),
        b"rial" | b"rials" => ("rial", Unknown("rial")),
        b"baht" => ("baht", Code("THB")),
        b"ringgit" => ("ringgit", Code("MYR")),
        b"rupiah" => ("rupiah", Code("IDR")),
        b"hryvnia" | b"hryvnias" => ("hryvnia", Code("UAH")),
        b"zloty" | b"zlotys" => ("zloty", Code("PLN")),
        _ => return None,
    })
}

/// Heads that are ordinary English words too; they need a country
/// (`South Korean won`) or a multiplier (`5 billion won`) to be money.
pub fn head_needs_support(head: &str) -> bool {
    matches!(head, "won" | "real" | "rand")
}

/// Fractional units of a currency: the power of ten and the currency.
pub fn fraction_unit(word: &str) -> Option<(i32, CurrencyRef)> {
    with_ascii_lower(word, |lower| match lower {
        b"cent" | b"cents" => Some((-2, CurrencyRef::BareDollar)),
        b"pence" | b"penny" => Some((-2, CurrencyRef::Code("GBP"))),
        b"kopecks" | b"kopeks" => Some((-2, CurrencyRef::Code("RUB"))),
        _ => None,
    })
}

/// The ISO code of a qualified currency name, `qualifier` being the
/// lower-case words before the singular head (`libyan`, `hong kong`).
pub fn qualified_currency(qualifier: &str, head: &str) -> Option<&'static str> {
    let key = format!("{qualifier} {head}");
    names().get(key.as_str()).copied()
}

/// Every ISO 4217 name, lower case, with the English forms the table
/// lacks; built once.
fn names() -> &'static HashMap<String, &'static str> {
    static NAMES: OnceLock<HashMap<String, &'static str>> = OnceLock::new();
    NAMES.get_or_init(|| {
        let mut names = HashMap::new();
        // The crate's table is reached by numeric code, which needs none of
        // its optional features (the iterator pulls in a derive crate).
        for numeric in 0..1000u16 {
            let Some(currency) = Currency::from_numeric(numeric) else {
                continue;
            };
            if currency.is_fund() || currency.is_special() || currency.is_superseded().is_some() {
                continue;
            }
            let name = currency.name().to_ascii_lowercase();
            // `Swedish krona/kronor` gives `swedish krona`.
            let name = name.split('/').next().unwrap_or_default().trim().to_string();
            names.insert(name, currency.code());
        }
        let extra: &[(&str, &str)] = &[
            ("u.s. dollar", "USD"),
            ("us dollar", "USD"),
            ("american dollar", "USD"),
            ("united states dollar", "USD"),
            ("chinese yuan", "CNY"),
            ("chinese renminbi", "CNY"),
            ("british pound", "GBP"),
            ("pounds sterling", "GBP"),
            ("egyptian pound", "EGP"),
            ("canadian dollar", "CAD"),
            ("taiwan dollar", "TWD"),
            ("new taiwan dollar", "TWD"),
            ("south african rand", "ZAR"),
            ("brazilian real", "BRL"),
            ("turkish lira", "TRY"),
            ("russian ruble", "RUB"),
            ("iranian rial", "IRR"),
            ("saudi riyal", "SAR"),
            ("emirati dirham", "AED"),
            ("uae dirham", "AED"),
            ("swedish krona", "SEK"),
            ("danish krone", "DKK"),
            ("norwegian krone", "NOK"),
            ("mexican peso", "MXN"),
            ("philippine peso", "PHP"),
            ("kenyan shilling", "KES"),
            ("ugandan shilling", "UGX"),
            ("tanzanian shilling", "TZS"),
            ("cfa franc", "XOF"),
            ("norwegian crown", "NOK"),
            ("swedish crown", "SEK"),
            ("danish crown", "DKK"),
            ("czech crown", "CZK"),
            ("south korean won", "KRW"),
            ("korean won", "KRW"),
            ("hong kong dollar", "HKD"),
            ("singapore dollar", "SGD"),
            ("australian dollar", "AUD"),
            ("zimbabwean dollar", "ZWL"),
        ];
        for (name, code) in extra {
            names.insert((*name).to_string(), *code);
        }
        names
    })
}

/// The currencies a word of the text points at, as `(singular head,
/// code)` pairs: a country's name (`kenya` → shilling, KES) or the one-word
/// adjective of an ISO name (`swedish` → krona, SEK). Used to resolve a
/// head written without its country (`100 billion shillings` in a story
/// about Kenya); built once from the ISO table.
pub fn country_hints(word: &str) -> &'static [(&'static str, &'static str)] {
    static HINTS: OnceLock<HashMap<String, Vec<(&'static str, &'static str)>>> = OnceLock::new();
    let hints = HINTS.get_or_init(|| {
        let mut hints: HashMap<String, Vec<(&'static str, &'static str)>> = HashMap::new();
        let mut add = |key: String, head: &'static str, code: &'static str| {
            let entry = hints.entry(key).or_default();
            if !entry.contains(&(head, code)) {
                entry.push((head, code));
            }
        };
        for (name, code) in names() {
            let words: Vec<&str> = name.split(' ').collect();
            let Some((head, _)) = words.last().and_then(|head| currency_head(head)) else {
                continue;
            };
            if let [qualifier, _] = words.as_slice() {
                add((*qualifier).to_string(), head, code);
            }
            let Some(currency) = Currency::from_code(code) else {
                continue;
            };
            for country in currency.used_by() {
                // `Bolivia (Plurinational State of)`, `Korea, Republic of`:
                // only the name before any qualification.
                let country_name = country.name().split([',', '(']).next().unwrap_or_default();
                add(country_name.trim().to_ascii_lowercase(), head, code);
            }
        }
        hints
    });
    if word.len() > 40 {
        return &[];
    }
    hints.get(word.to_ascii_lowercase().as_str()).map_or(&[], Vec::as_slice)
}

/// Whether a head written without its country can be the head of a
/// currency's name: the same word, or a `crown` for a krone or krona.
pub fn same_head(written: &str, named: &str) -> bool {
    written == named || (written == "crown" && matches!(named, "krone" | "krona"))
}

/// The unit phrases of [`unit`], lower case, longest first.
const UNITS: &[(&[&str], &str)] = &[
    (&["square", "kilometres"], "km2"),
    (&["square", "kilometers"], "km2"),
    (&["square", "kilometre"], "km2"),
    (&["square", "km"], "km2"),
    (&["sq", "km"], "km2"),
    (&["square", "miles"], "mi2"),
    (&["square", "metres"], "m2"),
    (&["square", "meters"], "m2"),
    (&["square", "feet"], "ft2"),
    (&["cubic", "metres"], "m3"),
    (&["cubic", "meters"], "m3"),
    (&["cubic", "feet"], "ft3"),
    (&["barrels", "per", "day"], "bbl/d"),
    (&["barrels", "a", "day"], "bbl/d"),
    (&["kilometres", "per", "hour"], "km/h"),
    (&["kilometers", "per", "hour"], "km/h"),
    (&["miles", "per", "hour"], "mph"),
    (&["degrees", "celsius"], "°C"),
    (&["degrees", "fahrenheit"], "°F"),
    (&["degrees", "c"], "°C"),
    (&["degrees", "f"], "°F"),
    (&["km"], "km"),
    (&["kilometres"], "km"),
    (&["kilometers"], "km"),
    (&["kilometre"], "km"),
    (&["kilometer"], "km"),
    (&["metres"], "m"),
    (&["meters"], "m"),
    (&["metre"], "m"),
    (&["meter"], "m"),
    (&["centimetres"], "cm"),
    (&["centimeters"], "cm"),
    (&["cm"], "cm"),
    (&["millimetres"], "mm"),
    (&["millimeters"], "mm"),
    (&["mm"], "mm"),
    (&["miles"], "mi"),
    (&["mile"], "mi"),
    (&["feet"], "ft"),
    (&["foot"], "ft"),
    (&["ft"], "ft"),
    (&["inches"], "in"),
    (&["yards"], "yd"),
    (&["hectares"], "ha"),
    (&["hectare"], "ha"),
    (&["acres"], "acre"),
    (&["acre"], "acre"),
    (&["kg"], "kg"),
    (&["kilograms"], "kg"),
    (&["kilogrammes"], "kg"),
    (&["kilos"], "kg"),
    (&["grams"], "g"),
    (&["grammes"], "g"),
    (&["tonnes"], "t"),
    (&["tonne"], "t"),
    (&["tons"], "ton"),
    (&["ton"], "ton"),
    (&["ounces"], "oz"),
    (&["litres"], "l"),
    (&["liters"], "l"),
    (&["litre"], "l"),
    (&["gallons"], "gal"),
    (&["barrels"], "bbl"),
    (&["barrel"], "bbl"),
    (&["bpd"], "bbl/d"),
    (&["megawatts"], "MW"),
    (&["megawatt"], "MW"),
    (&["mw"], "MW"),
    (&["gigawatts"], "GW"),
    (&["gw"], "GW"),
    (&["kilowatts"], "kW"),
    (&["kw"], "kW"),
    (&["kwh"], "kWh"),
    (&["mwh"], "MWh"),
    (&["gwh"], "GWh"),
    (&["mph"], "mph"),
    (&["knots"], "kn"),
    (&["degrees"], "deg"),
    (&["teu"], "TEU"),
    (&["bytes"], "B"),
    (&["gigabytes"], "GB"),
    (&["megabytes"], "MB"),
];

/// A unit of measure, as written after the number, and its normal symbol.
/// `words` are the lower-case words from the unit on; returns the symbol
/// and how many words it took.
pub fn unit(words: &[&str]) -> Option<(&'static str, usize)> {
    static TABLE: PhraseTable = PhraseTable::new(UNITS);
    TABLE.find(words)
}

/// The nouns of [`counted_noun`], lower case.
const COUNTED_NOUNS: &[&str] = &[
    "troops",
    "soldiers",
    "people",
    "persons",
    "residents",
    "civilians",
    "refugees",
    "migrants",
    "immigrants",
    "workers",
    "employees",
    "staff",
    "jobs",
    "students",
    "pupils",
    "children",
    "families",
    "households",
    "homes",
    "houses",
    "buildings",
    "passengers",
    "tourists",
    "visitors",
    "vehicles",
    "cars",
    "trucks",
    "lorries",
    "buses",
    "aircraft",
    "planes",
    "jets",
    "helicopters",
    "ships",
    "vessels",
    "boats",
    "containers",
    "tanks",
    "missiles",
    "rockets",
    "shares",
    "votes",
    "voters",
    "seats",
    "members",
    "delegates",
    "athletes",
    "fans",
    "spectators",
    "patients",
    "cases",
    "deaths",
    "casualties",
    "victims",
    "prisoners",
    "inmates",
    "detainees",
    "police",
    "policemen",
    "officers",
    "protesters",
    "demonstrators",
    "fighters",
    "militants",
    "rebels",
    "hostages",
    "teachers",
    "doctors",
    "nurses",
    "farmers",
    "companies",
    "firms",
    "schools",
    "hospitals",
    "villages",
    "trees",
    "animals",
    "sheep",
    "cattle",
    "cows",
    "pigs",
    "birds",
    "copies",
    "units",
    "tickets",
    "words",
    "pages",
    "games",
    "films",
    "songs",
    "albums",
    "books",
    "phones",
    "computers",
    "customers",
    "users",
    "subscribers",
    "viewers",
    "listeners",
    "readers",
    "guests",
    "participants",
    "applicants",
    "candidates",
    "stores",
    "shops",
    "branches",
    "factories",
    "plants",
    "mines",
    "wells",
    "flights",
    "beds",
    "tents",
    "bodies",
    "injured",
    "dead",
    "immigrants",
    "asylum",
    "pilgrims",
    "peacekeepers",
    "personnel",
    "volunteers",
    "journalists",
    "lawyers",
    "judges",
    "signatures",
    "petitions",
    "complaints",
    "arrests",
    "attacks",
    "bombs",
    "guns",
    "weapons",
    "rounds",
    "doses",
    "vaccines",
    "tests",
];

/// Nouns of counted people and things (`3,000 troops`); the unit is the
/// noun as written, lower case.
pub fn counted_noun(word: &str) -> bool {
    static SHAPES: Shapes = word_shapes(COUNTED_NOUNS);
    word.len() <= 14
        && has_shape(&SHAPES, word.as_bytes())
        && COUNTED_NOUNS.iter().any(|noun| noun.eq_ignore_ascii_case(word))
}

/// Words after a number that make it a time, a date or an age, never a
/// bare quantity (`about 10 a.m.`, `some 30 years`).
pub fn temporal_word(word: &str) -> bool {
    const WORDS: &[&str] = &[
        "year",
        "years",
        "month",
        "months",
        "week",
        "weeks",
        "day",
        "days",
        "hour",
        "hours",
        "minute",
        "minutes",
        "second",
        "seconds",
        "decade",
        "decades",
        "century",
        "centuries",
        "a.m.",
        "p.m.",
        "am",
        "pm",
        "o",
        "GMT",
        "BST",
        "EST",
        "times",
        "th",
        "st",
        "nd",
        "rd",
    ];
    WORDS.iter().any(|w| w.eq_ignore_ascii_case(word))
}

/// Verbs of change after which `X to Y` is a movement from one amount to
/// another (`fell $2.10 to $78.45`), not a range.
pub fn change_word(word: &str) -> bool {
    const WORDS: &[&str] = &[
        "fell",
        "rose",
        "dropped",
        "climbed",
        "jumped",
        "slipped",
        "gained",
        "lost",
        "declined",
        "increased",
        "decreased",
        "grew",
        "shrank",
        "slid",
        "surged",
        "soared",
        "plunged",
        "tumbled",
        "advanced",
        "eased",
        "up",
        "down",
        "cut",
        "raised",
        "lowered",
        "by",
    ];
    WORDS.iter().any(|w| w.eq_ignore_ascii_case(word))
}

/// Words that may follow `a`/`an` after an amount to give a rate (`$5 a
/// barrel`, `$10 an hour`).
pub fn rate_noun(word: &str) -> bool {
    const NOUNS: &[&str] = &[
        "barrel",
        "share",
        "tonne",
        "ton",
        "hour",
        "day",
        "week",
        "month",
        "year",
        "head",
        "person",
        "ounce",
        "gallon",
        "litre",
        "liter",
        "kilo",
        "kilogram",
        "unit",
        "piece",
        "ticket",
        "night",
        "seat",
        "kilometre",
        "mile",
        "minute",
        "bottle",
        "pack",
        "bag",
    ];
    NOUNS.contains(&word)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The word-table scans with no quick test in front, as they were.
    fn phrase_scan(
        table: &[(&[&str], &'static str)],
        words: &[&str],
    ) -> Option<(&'static str, usize)> {
        table.iter().find_map(|(phrase, value)| {
            let matches = phrase.len() <= words.len()
                && phrase.iter().zip(words).all(|(p, w)| p.eq_ignore_ascii_case(w));
            matches.then_some((*value, phrase.len()))
        })
    }

    /// The quick tests in front of the tables only filter: on every table
    /// word in three cases, with a letter changed, added or removed, and on
    /// other words, each lookup answers as the plain scan does.
    #[test]
    fn quick_tests_answer_as_the_plain_scans() {
        let mut words: Vec<String> =
            ["", "é", "Zürich", "50", "$", "x"].iter().map(|word| word.to_string()).collect();
        let table_words = MODIFIERS
            .iter()
            .chain(UNITS)
            .flat_map(|(phrase, _)| phrase.iter())
            .chain(COUNTED_NOUNS)
            .chain(["dollars", "Euro", "pence", "kopecks", "twenty", "nineteen", "rmb"].iter());
        for word in table_words {
            words.extend(word_variants(word));
        }
        for (index, word) in words.iter().enumerate() {
            let next = words.get(index + 1).map_or("", String::as_str);
            let third = words.get(index + 2).map_or("", String::as_str);
            for phrase in [vec![word.as_str()], vec![word.as_str(), next, third]] {
                assert_eq!(modifier(&phrase), phrase_scan(MODIFIERS, &phrase), "{phrase:?}");
                assert_eq!(unit(&phrase), phrase_scan(UNITS, &phrase), "{phrase:?}");
            }
            let plain_noun =
                word.len() <= 14 && COUNTED_NOUNS.iter().any(|n| n.eq_ignore_ascii_case(word));
            assert_eq!(counted_noun(word), plain_noun, "{word:?}");
            let lower = word.to_ascii_lowercase();
            assert_eq!(currency_head(word), currency_head_lower(lower.as_bytes()), "{word:?}");
        }
        // The stack buffer and the allocating path agree past its length.
        assert_eq!(cardinal_word("twenty"), Some(20));
        assert_eq!(fraction_unit("CENTS"), Some((-2, CurrencyRef::BareDollar)));
        assert_eq!(currency_head(&"dollars".repeat(5)), None);
        assert_eq!(
            with_ascii_lower(&"AbC".repeat(10), <[u8]>::to_vec),
            "abc".repeat(10).into_bytes()
        );
    }

    fn numeral(text: &str) -> Option<String> {
        parse_numeral(text).map(|d| d.to_string())
    }

    #[test]
    fn numerals_as_written_in_news() {
        for (text, value) in [
            ("80000", "80000"),
            ("80,000", "80000"),
            ("41.18", "41.18"),
            ("1,234,567", "1234567"),
            ("1.234.567", "1234567"),
            ("1.234,5", "1234.5"),
            ("1,234.56", "1234.56"),
            ("0.5", "0.5"),
            ("12.5", "12.5"),
        ] {
            assert_eq!(numeral(text).as_deref(), Some(value), "{text}");
        }
        for text in ["1,5", "1,23,4", "1234,567", "1.234.5,6", "1,234,5.6", "1,2.3,4", "1.2.34"] {
            assert_eq!(numeral(text), None, "{text}");
        }
    }

    #[test]
    fn currency_names_come_from_the_iso_table() {
        assert_eq!(qualified_currency("libyan", "dinar"), Some("LYD"));
        assert_eq!(qualified_currency("swiss", "franc"), Some("CHF"));
        assert_eq!(qualified_currency("hong kong", "dollar"), Some("HKD"));
        assert_eq!(qualified_currency("u.s.", "dollar"), Some("USD"));
        assert_eq!(qualified_currency("japanese", "yen"), Some("JPY"));
        assert_eq!(qualified_currency("indian", "rupee"), Some("INR"));
        assert_eq!(qualified_currency("jordanian", "dinar"), Some("JOD"));
        assert_eq!(qualified_currency("martian", "dollar"), None);
        assert!(country_hints("Kenya").contains(&("shilling", "KES")));
        assert!(country_hints("swedish").contains(&("krona", "SEK")));
        assert!(country_hints("Libya").contains(&("dinar", "LYD")));
        assert!(country_hints("Norway").contains(&("krone", "NOK")));
        assert_eq!(country_hints("Tuesday"), &[]);
        assert_eq!(iso_code("USD"), Some("USD"));
        assert_eq!(iso_code("EUR"), Some("EUR"));
        assert_eq!(iso_code("ALL"), None);
        assert_eq!(iso_code("usd"), None);
        assert_eq!(iso_code("NATO"), None);
    }

    #[test]
    fn words_and_multipliers() {
        assert_eq!(cardinal_word("Three"), Some(3));
        assert_eq!(cardinal_word("ninety"), Some(90));
        assert_eq!(cardinal_word("hundred"), None);
        assert_eq!(multiplier("million", false), Some(6));
        assert_eq!(multiplier("m", false), None);
        assert_eq!(multiplier("m", true), Some(6));
        assert_eq!(multiplier("crore", false), Some(7));
        assert_eq!(modifier(&["as", "little", "as", "400"]), Some(("EQUAL_OR_MORE", 3)));
        assert_eq!(modifier(&["Around"]), Some(("APPROX", 1)));
        assert_eq!(modifier(&["as"]), None);
    }
}
