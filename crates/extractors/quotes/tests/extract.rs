//! Whole documents through the tokenizer, the embedded `ner` model and the
//! quotes extractor, as a pipeline runs them: every quote of both seed
//! articles with its speaker, every kind of quote, the offsets of the value
//! on non-ASCII text, the options, and a fuzz test.

use document::{Annotation, Document, Extractor, Registry, Span, Value, json};
use quotes::{QuotesExtractor, QuotesOptions};

fn document(text: &str) -> Document {
    let mut document = Document::new("test", text);
    if text.starts_with(" date ") {
        // The Xinhua header line, as the text reader sets it.
        let end = text.find('\n').map_or(text.len(), |end| end + 1);
        document.header = Some(Span::new(0, end));
    }
    let (tokens, sentences) = tokenizer::tokenize(&document.text, document.body());
    document.tokens = tokens;
    document.sentences = sentences;
    let ner = ner::NerExtractor::new(ner::embedded_tagger().unwrap());
    ner.extract(&mut document).unwrap();
    document
}

fn run_with(text: &str, extractor: &QuotesExtractor) -> (Document, Vec<Annotation>) {
    let mut document = document(text);
    extractor.extract(&mut document).unwrap();
    let quotes = document.annotations.iter().filter(|a| a.label == "QUOTE").cloned().collect();
    (document, quotes)
}

/// `(quote text, kind, speaker, cue)` of every quote, in order.
fn quotes(text: &str) -> Vec<(String, String, Option<String>, Option<String>)> {
    let (document, found) = run_with(text, &QuotesExtractor::default());
    found
        .iter()
        .map(|annotation| {
            let value = annotation.value.clone().unwrap_or(Value::Null);
            (
                document.slice(annotation.span).to_string(),
                value["kind"].as_str().unwrap_or("").to_string(),
                value["speaker"].as_str().map(str::to_string),
                value["cue"].as_str().map(str::to_string),
            )
        })
        .collect()
}

fn q(
    text: &str,
    kind: &str,
    speaker: Option<&str>,
    cue: Option<&str>,
) -> (String, String, Option<String>, Option<String>) {
    (text.to_string(), kind.to_string(), speaker.map(str::to_string), cue.map(str::to_string))
}

fn seed(name: &str) -> String {
    let path = format!("{}/../../../seeds/{name}", env!("CARGO_MANIFEST_DIR"));
    std::fs::read_to_string(path).unwrap()
}

/// Slices by code points, as Python does.
fn chars(text: &str, start: usize, end: usize) -> String {
    text.chars().skip(start).take(end - start).collect()
}

const MEDIA_OFFICE: &str = "the media office of the prime minister";

#[test]
fn every_quote_of_the_first_seed_with_its_speaker() {
    let found = quotes(&seed("000_168fd1ce8330dd5c.txt"));
    assert_eq!(
        found,
        [
            q(
                "European countries will next week provide Libya with 35 million euros (41.18 million U.S. dollars) to support southern security",
                "indirect",
                Some("Marco Minniti"),
                Some("said"),
            ),
            q(
                "despite successes achieved in the immigration file, the number of illegal immigrants outside shelters remains large and we need more cooperation, particularly in securing the southern Libyan borders through which these immigrants flow",
                "direct",
                Some("Fayez Serraj"),
                Some("told"),
            ),
            q(
                "Minniti praised efforts of the Libyan Coast Guard to rescue illegal immigrants in the Mediterranean",
                "indirect",
                Some(MEDIA_OFFICE),
                Some("According to"),
            ),
            q(
                "The number of immigrants rescued by the Libyan Coast Guard this year is around 80,000",
                "indirect",
                Some(MEDIA_OFFICE),
                Some("said"),
            ),
            q(
                "It was agreed to establish a joint chamber to combat smugglers and traffickers, consisting of representatives of Coast Guards, illegal immigration agencies, Attorneys General, and Intelligence Services of both countries",
                "direct",
                Some(MEDIA_OFFICE),
                Some("revealed"),
            ),
            q(
                "both the United States and Germany agree to support Libya to secure its southern borders, in order to stop illegal immigration",
                "indirect",
                Some("Fayez Serraj"),
                Some("announced"),
            ),
            q(
                "his recent talks with Washington and Berlin were \"very productive and positive.\"",
                "indirect",
                Some("Fayez Serraj"),
                Some("confirmed"),
            ),
            q("very productive and positive", "partial", Some("Fayez Serraj"), Some("confirmed")),
            q(
                "auctions in different parts of Libya, where stranded African migrants were sold as slaves for as little as 400 dollars",
                "indirect",
                Some("CNN"),
                Some("published a report"),
            ),
            q(
                "Prime Minister Serraj reviewed the latest results of investigation about allegations of migrants trade that might have occurred on Libyan territory",
                "direct",
                Some(MEDIA_OFFICE),
                Some("said"),
            ),
            q(
                "Prime minister asked the committee to provide him with the results and to quickly complete the investigation, in order to clearly determine the truth of what happened, where it took place, and the parties involved",
                "direct",
                Some(MEDIA_OFFICE),
                Some("added"),
            ),
        ]
    );
}

#[test]
fn every_quote_of_the_second_seed_with_its_speaker() {
    let office = "the Prime Minister's information office";
    let found = quotes(&seed("004_19210f1ef9f6238c.txt"));
    assert_eq!(
        found,
        [
            q(
                "the meeting discussed political developments and joint efforts against illegal immigration",
                "indirect",
                Some(office),
                Some("According to"),
            ),
            q(
                "The Italian minister announced his country's rejection of handing over oil ports to unrecognized parallel entities and this should be rectified. The two sides also stressed the importance of working to achieve stability under the umbrella of the United Nations",
                "direct",
                Some(office),
                Some("said"),
            ),
            q(
                "The two sides agreed to confront illegal immigration and deal with various security, economic and humanitarian aspects by supporting the source countries economically to avoid the reasons of immigration",
                "direct",
                Some(office),
                Some("said"),
            ),
            q(
                "so that the peoples of both countries can benefit from its positive results",
                "partial",
                Some("Enzo Moavero Milanesi"),
                Some("stressed"),
            ),
        ]
    );
}

#[test]
fn the_speaker_mentions_of_the_first_seed() {
    let text = seed("000_168fd1ce8330dd5c.txt");
    let (_, found) = run_with(&text, &QuotesExtractor::default());
    let mentions: Vec<String> = found
        .iter()
        .map(|annotation| {
            let value = annotation.value.as_ref().unwrap();
            let start = value["speaker_start"].as_u64().unwrap() as usize;
            let end = value["speaker_end"].as_u64().unwrap() as usize;
            chars(&text, start, end)
        })
        .collect();
    assert_eq!(
        mentions,
        [
            "Marco Minniti",
            "Fayez Serraj",
            MEDIA_OFFICE,
            "the statement",
            "the statement",
            "Serraj",
            "Serraj",
            "Serraj",
            "CNN",
            "the media office",
            "it",
        ]
    );
}

#[test]
fn a_split_quote_is_one_quote_in_two_parts() {
    let text = "Libyan Prime Minister Fayez Serraj met Italian officials on Monday.\n\n\"We need more cooperation,\" Serraj said, \"particularly on the borders.\"\n";
    let (document, found) = run_with(text, &QuotesExtractor::default());
    assert_eq!(found.len(), 1, "{found:?}");
    let quote = &found[0];
    assert_eq!(
        document.slice(quote.span),
        "We need more cooperation,\" Serraj said, \"particularly on the borders"
    );
    assert_eq!(
        quote.value,
        Some(
            json!({"speaker": "Fayez Serraj", "speaker_start": 97, "speaker_end": 103, "cue": "said", "kind": "direct"})
        )
    );
    let parts: Vec<String> = quote
        .attr("parts")
        .unwrap()
        .as_array()
        .unwrap()
        .iter()
        .map(|part| {
            chars(text, part[0].as_u64().unwrap() as usize, part[1].as_u64().unwrap() as usize)
        })
        .collect();
    assert_eq!(parts, ["We need more cooperation", "particularly on the borders"]);
}

#[test]
fn curly_quotes_and_accents_give_code_point_offsets() {
    // Curly marks are three bytes each and `é` two: byte offsets and code
    // points differ all through this text.
    let text = "René Dupré, the mayor of Zürich, arrived on Monday.\n\n“We will rebuild the bridge,” Dupré said, “and we’ll do it before winter.”\n\n“It is not enough,” he added.\n";
    let (document, found) = run_with(text, &QuotesExtractor::default());
    assert_eq!(found.len(), 2, "{found:?}");
    for quote in &found {
        let value = quote.value.as_ref().unwrap();
        assert_eq!(value["speaker"], "René Dupré", "{value}");
        let start = value["speaker_start"].as_u64().unwrap() as usize;
        let end = value["speaker_end"].as_u64().unwrap() as usize;
        let mention = chars(text, start, end);
        assert!(mention == "Dupré" || mention == "he", "{mention}");
        for part in quote.attr("parts").and_then(Value::as_array).into_iter().flatten() {
            let (start, end) =
                (part[0].as_u64().unwrap() as usize, part[1].as_u64().unwrap() as usize);
            assert!(document.slice(quote.span).contains(&chars(text, start, end)));
        }
    }
    assert_eq!(
        document.slice(found[0].span),
        "We will rebuild the bridge,” Dupré said, “and we’ll do it before winter"
    );
    let parts = found[0].attr("parts").unwrap().as_array().unwrap();
    assert_eq!(
        chars(text, parts[1][0].as_u64().unwrap() as usize, parts[1][1].as_u64().unwrap() as usize),
        "and we’ll do it before winter"
    );
    assert_eq!(document.slice(found[1].span), "It is not enough");
    assert_eq!(chars(text, 149, 151), "he");
    assert_eq!(found[1].value.as_ref().unwrap()["speaker_start"], 149);
    assert_eq!(text.find("he added"), Some(167));
}

#[test]
fn a_quote_over_several_paragraphs() {
    let text = "Health Minister Amina Yusuf spoke to reporters on Tuesday.\n\n\"The first wave is over,\" Yusuf said. \"But we have learned that hospitals need reserves.\n\n\"We will build them this year.\n\n\"Nobody should be turned away again.\"\n";
    let found = quotes(text);
    assert_eq!(
        found,
        [
            q("The first wave is over", "direct", Some("Amina Yusuf"), Some("said")),
            q(
                "But we have learned that hospitals need reserves.\n\n\"We will build them this year.\n\n\"Nobody should be turned away again",
                "direct",
                Some("Amina Yusuf"),
                Some("said"),
            ),
        ]
    );
}

#[test]
fn pronouns_and_statements_resolve_to_earlier_speakers() {
    let text = "The Ministry of Health said in a statement on Sunday that 40 new cases had been found.\n\n\"The situation is under control,\" the statement said.\n\nMaria Lopez, a nurse in the capital, disagreed.\n\n\"We are running out of beds,\" she said.\n\n\"Testing must be expanded,\" it added.\n";
    let found = quotes(text);
    let speakers: Vec<Option<String>> = found.iter().map(|quote| quote.2.clone()).collect();
    assert_eq!(
        speakers,
        [
            Some("Ministry of Health".to_string()),
            Some("Ministry of Health".to_string()),
            Some("Maria Lopez".to_string()),
            Some("Ministry of Health".to_string()),
        ],
        "{found:?}"
    );
    assert_eq!(found[0].1, "indirect");
    assert_eq!(found[0].0, "40 new cases had been found");
}

#[test]
fn no_speaker_is_null_not_a_guess() {
    let text = "The river rose two metres overnight.\n\n\"It came so fast,\" they said.\n\n\"Nobody warned us.\"\n";
    let (_, found) = run_with(text, &QuotesExtractor::default());
    assert_eq!(found.len(), 2);
    for quote in &found {
        let value = quote.value.as_ref().unwrap();
        assert_eq!(value["speaker"], Value::Null, "{value}");
        assert_eq!(value["speaker_start"], Value::Null);
        assert_eq!(value["speaker_end"], Value::Null);
    }
}

#[test]
fn apostrophes_and_scare_quotes_are_not_quotes() {
    let text =
        "Libya's coast guard and the 'experts' of the '90s rescued the countries' migrants.\n";
    assert_eq!(quotes(text), []);
    let text = "The so-called \"deal\" collapsed on Monday.\n";
    assert_eq!(quotes(text), []);
    let text = "Smith called the plan \"reckless\" on Monday.\n";
    assert_eq!(quotes(text), [q("reckless", "partial", Some("Smith"), Some("called"))]);
}

#[test]
fn headline_single_quotes_and_nested_quotes() {
    let text = "Libyan PM says 'more cooperation needed' on migration\n\nTRIPOLI, Dec. 9 -- Fayez Serraj said on Saturday: \"Our message to Europe is 'help us at the border' and we expect an answer.\"\n";
    let (document, found) = run_with(text, &QuotesExtractor::default());
    let texts: Vec<&str> = found.iter().map(|quote| document.slice(quote.span)).collect();
    assert_eq!(
        texts,
        [
            "more cooperation needed",
            "Our message to Europe is 'help us at the border' and we expect an answer"
        ]
    );
    assert_eq!(found[0].value.as_ref().unwrap()["kind"], "direct");
    assert_eq!(found[0].value.as_ref().unwrap()["speaker"], "Libyan PM");
    assert_eq!(found[1].value.as_ref().unwrap()["speaker"], "Fayez Serraj");
    let nested = found[1].attr("nested").unwrap().as_array().unwrap();
    assert_eq!(
        chars(
            text,
            nested[0][0].as_u64().unwrap() as usize,
            nested[0][1].as_u64().unwrap() as usize
        ),
        "help us at the border"
    );
}

#[test]
fn options_turn_kinds_off() {
    let text = seed("000_168fd1ce8330dd5c.txt");
    let extractor = QuotesExtractor::new(QuotesOptions { indirect: false, partial: false });
    let (_, found) = run_with(&text, &extractor);
    let kinds: Vec<&str> =
        found.iter().map(|quote| quote.value.as_ref().unwrap()["kind"].as_str().unwrap()).collect();
    assert_eq!(kinds, ["direct"; 4]);
}

#[test]
fn options_are_checked_through_the_registry() {
    let mut registry = Registry::new();
    registry.add_extractor::<QuotesExtractor>();
    let kind = registry.extractor("quotes").unwrap();
    let options = json!({"indirekt": false}).as_object().cloned().unwrap();
    let error = kind.build(options, &document::BuildContext::new(".", "quotes")).err().unwrap();
    assert!(format!("{error:?}").contains("suggestion: Some(\"indirect\")"), "{error:?}");
    // The documented defaults are the real ones.
    let documented: serde_json::Map<String, Value> = kind
        .options
        .iter()
        .map(|option| {
            (option.name.to_string(), serde_json::from_str(option.default.unwrap()).unwrap())
        })
        .collect();
    let parsed: QuotesOptions = serde_json::from_value(Value::Object(documented)).unwrap();
    assert_eq!(parsed, QuotesOptions::default());
}

#[test]
fn no_tokens_no_quotes() {
    let mut document = Document::new("d", "\"We will win,\" he said.");
    QuotesExtractor::default().extract(&mut document).unwrap();
    assert!(document.annotations.is_empty());
}

#[test]
fn a_quote_headed_by_a_name_with_its_paragraphs_on_one_line() {
    let text = "Newcastle 2-1 Bolton\n\n- Bolton boss Sam Allardyce \"I am bitterly disappointed with the result. \"In the first half we put them under pressure. \"We were not up for the battle.\"\n";
    let (document, found) = run_with(text, &QuotesExtractor::default());
    assert_eq!(found.len(), 1, "{found:?}");
    let value = found[0].value.as_ref().unwrap();
    assert_eq!(value["speaker"], "Sam Allardyce");
    assert_eq!(value["kind"], "direct");
    assert_eq!(value["cue"], Value::Null);
    let parts = found[0].attr("parts").unwrap().as_array().unwrap();
    let parts: Vec<String> = parts
        .iter()
        .map(|part| {
            chars(text, part[0].as_u64().unwrap() as usize, part[1].as_u64().unwrap() as usize)
        })
        .collect();
    assert_eq!(
        parts,
        [
            "I am bitterly disappointed with the result",
            "In the first half we put them under pressure",
            "We were not up for the battle"
        ]
    );
    assert!(document.slice(found[0].span).starts_with("I am bitterly"));
}

#[test]
fn speakers_after_a_lower_case_title_and_before_a_bracketed_acronym() {
    let text = "\"Our results allow us to reduce the debt,\" said chief executive Thierry Breton.\n\nThe British Chambers of Commerce (BCC) said it was \"concerned by the clamour\" for higher rates.\n";
    assert_eq!(
        quotes(text),
        [
            q(
                "Our results allow us to reduce the debt",
                "direct",
                Some("Thierry Breton"),
                Some("said")
            ),
            q(
                "it was \"concerned by the clamour\" for higher rates",
                "indirect",
                Some("British Chambers of Commerce"),
                Some("said"),
            ),
            q(
                "concerned by the clamour",
                "partial",
                Some("British Chambers of Commerce"),
                Some("said")
            ),
        ]
    );
}

/// A long document (4,000 paragraphs, 8,000 quotes, 12,000 names) goes
/// through in one piece: every search for a name stays near its quote, so
/// the cost grows with the text, not with its square.
#[test]
fn a_long_document_resolves_every_speaker() {
    let paragraph = "Fayez Serraj met officials on Monday.\n\n\"We need more cooperation,\" Serraj said. \"We will act,\" he added.\n\n";
    let text = paragraph.repeat(4000);
    let mut document = Document::new("long", text.as_str());
    let (tokens, sentences) = tokenizer::tokenize(&document.text, document.body());
    document.tokens = tokens;
    document.sentences = sentences;
    // The names, as ner would give them (its model is not needed here).
    for (start, name) in text.match_indices("Serraj") {
        let full = start >= 6 && text.get(start - 6..start) == Some("Fayez ");
        let start = if full { start - 6 } else { start };
        let span = Span::new(start, start + name.len() + if full { 6 } else { 0 });
        document.annotate(Annotation::new("PER", span)).unwrap();
    }
    QuotesExtractor::default().extract(&mut document).unwrap();
    let quotes: Vec<&Annotation> =
        document.annotations.iter().filter(|a| a.label == "QUOTE").collect();
    assert_eq!(quotes.len(), 8000);
    assert!(quotes.iter().all(|quote| quote.value.as_ref().unwrap()["speaker"] == "Fayez Serraj"));
}

/// Random pieces of quotes, marks, multi-byte characters and line breaks
/// glued together: nothing panics and every offset slices the text.
#[test]
fn fuzz_never_panics_and_offsets_slice() {
    const PIECES: &[&str] = &[
        "\"",
        "“",
        "”",
        "'",
        "‘",
        "’",
        " said",
        " he",
        " she",
        " it",
        " added",
        ",",
        ".",
        ":",
        " the statement",
        " Serraj",
        " According to",
        " a statement by the office",
        " that",
        "\n",
        "\n\n",
        " Zürich",
        " 🙂",
        " «",
        "»",
        " told reporters",
        " '90s",
        "Libya's",
        " We",
        " win",
        " CNN published a report of",
        " said on Saturday",
        " ",
        "—",
        "?",
        "!",
    ];
    let extractor = QuotesExtractor::default();
    let ner = ner::NerExtractor::new(ner::embedded_tagger().unwrap());
    let mut state: u64 = 0x9e37_79b9_7f4a_7c15;
    for _ in 0..3000 {
        let mut text = String::new();
        let length = (state % 40) as usize;
        for _ in 0..length {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            text.push_str(PIECES[(state % PIECES.len() as u64) as usize]);
        }
        let mut document = Document::new("fuzz", text.as_str());
        let (tokens, sentences) = tokenizer::tokenize(&document.text, document.body());
        document.tokens = tokens;
        document.sentences = sentences;
        ner.extract(&mut document).unwrap();
        extractor.extract(&mut document).unwrap();
        let count = text.chars().count();
        for annotation in document.annotations.iter().filter(|a| a.label == "QUOTE") {
            assert!(annotation.span.check(&text).is_ok());
            let value = annotation.value.as_ref().unwrap();
            if let (Some(start), Some(end)) =
                (value["speaker_start"].as_u64(), value["speaker_end"].as_u64())
            {
                assert!(start <= end && end as usize <= count, "{text:?}");
            }
        }
    }
}
