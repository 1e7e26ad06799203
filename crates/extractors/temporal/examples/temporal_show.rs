//! Prints the time expressions of a text file: `cargo run -p temporal
//! --example temporal_show FILE [DCT]`; a quick look while writing rules.

use document::{Date, Span};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1);
    let path = args.next().ok_or("usage: show FILE [YYYY-MM-DD]")?;
    let dct: Option<Date> = args.next().map(|text| text.parse()).transpose()?;
    let text = std::fs::read_to_string(path)?;
    for timex in temporal::find_timexes(&text, Span::new(0, text.len()), dct) {
        println!(
            "{:>6} {:<30} {:<9} {} {}",
            timex.span.start,
            timex.span.slice(&text),
            timex.kind.label(),
            timex.value,
            timex.modifier.unwrap_or("")
        );
    }
    Ok(())
}
