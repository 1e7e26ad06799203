//! Token and sentence conventions of the `news` tokenizer, on seed text and
//! on the cases the conventions were chosen for.

use document::{
    BuildContext, Document, Map, Registry, Sentence, Span, Stage, Token, TokenKind, Tokenizer as _,
    json,
};
use tokenizer::{NewsOptions, NewsTokenizer, ParagraphBreaks};

fn all(text: &str) -> (Vec<Token>, Vec<Sentence>) {
    tokenizer::tokenize(text, Span::new(0, text.len()))
}

/// The token texts of `text`.
fn words(text: &str) -> Vec<&str> {
    all(text).0.iter().map(|token| token.span.slice(text)).collect()
}

/// Each sentence of `text` as its tokens joined by single spaces.
fn sentences_with(text: &str, mode: ParagraphBreaks) -> Vec<String> {
    let tokenizer = NewsTokenizer::new(NewsOptions { paragraph_breaks: mode });
    let (tokens, sentences) = tokenizer.tokenize_text(text, Span::new(0, text.len()));
    sentences
        .iter()
        .map(|sentence| {
            let words: Vec<&str> =
                tokens[sentence.tokens.clone()].iter().map(|t| t.span.slice(text)).collect();
            words.join(" ")
        })
        .collect()
}

fn sentences(text: &str) -> Vec<String> {
    sentences_with(text, ParagraphBreaks::Line)
}

/// The sentences of `text` as slices of the text itself.
fn sentence_texts(text: &str) -> Vec<&str> {
    all(text).1.iter().map(|sentence| sentence.span.slice(text)).collect()
}

fn kinds(text: &str) -> Vec<(&str, TokenKind)> {
    all(text).0.iter().map(|token| (token.span.slice(text), token.kind)).collect()
}

use TokenKind::{Number as N, Punct as P, Symbol as S, Word as W};

#[test]
fn dateline_seed_has_exact_spans() {
    let text = "TRIPOLI, Dec. 9 (Xinhua) -- Italian Minister of Interior Marco Minniti";
    let (tokens, _) = all(text);
    let expected = [
        (0, 7, W),
        (7, 8, P),
        (9, 13, W),
        (14, 15, N),
        (16, 17, P),
        (17, 23, W),
        (23, 24, P),
        (25, 27, P),
        (28, 35, W),
        (36, 44, W),
    ];
    for (token, (start, end, kind)) in tokens.iter().zip(expected) {
        assert_eq!((token.span, token.kind), (Span::new(start, end), kind));
    }
    assert_eq!(
        words(text),
        [
            "TRIPOLI", ",", "Dec.", "9", "(", "Xinhua", ")", "--", "Italian", "Minister", "of",
            "Interior", "Marco", "Minniti"
        ]
    );
}

#[test]
fn money_amount_seed() {
    let text = "35 million euros (41.18 million U.S. dollars) to support southern security.";
    assert_eq!(
        kinds(text)[..9],
        [
            ("35", N),
            ("million", W),
            ("euros", W),
            ("(", P),
            ("41.18", N),
            ("million", W),
            ("U.S.", W),
            ("dollars", W),
            (")", P)
        ]
    );
    let (tokens, _) = all(text);
    assert_eq!(tokens[4].span, Span::new(18, 23));
    assert_eq!(tokens[6].span, Span::new(32, 36));
    assert_eq!(tokens.last().map(|t| (t.span, t.kind)), Some((Span::new(74, 75), P)));
}

#[test]
fn possessive_and_hyphen_seed() {
    let text = "TRIPOLI, July 7 (Xinhua) -- Libya's UN-backed Prime Minister Fayez Serraj";
    let (tokens, _) = all(text);
    let libya = tokens.iter().position(|t| t.span.slice(text) == "Libya").unwrap();
    assert_eq!(tokens[libya].span, Span::new(28, 33));
    assert_eq!((tokens[libya + 1].span, tokens[libya + 1].kind), (Span::new(33, 35), W));
    assert_eq!(tokens[libya + 1].span.slice(text), "'s");
    assert_eq!((tokens[libya + 2].span, tokens[libya + 2].kind), (Span::new(36, 45), W));
    assert_eq!(tokens[libya + 2].span.slice(text), "UN-backed");
    assert_eq!(
        words("the Libyan eastern-based army, led by Gen. Khalifa Haftar"),
        ["the", "Libyan", "eastern-based", "army", ",", "led", "by", "Gen.", "Khalifa", "Haftar"]
    );
}

#[test]
fn xinhua_header_line_numbers() {
    let text = " date 2017-12-10 Source: Xinhua| 2017-12-10 05:57:50|Editor: Jiaxin";
    assert_eq!(
        kinds(text),
        [
            ("date", W),
            ("2017-12-10", N),
            ("Source", W),
            (":", P),
            ("Xinhua", W),
            ("|", S),
            ("2017-12-10", N),
            ("05:57:50", N),
            ("|", S),
            ("Editor", W),
            (":", P),
            ("Jiaxin", W),
        ]
    );
    let (tokens, _) = all(text);
    assert_eq!(tokens[6].span, Span::new(33, 43));
    assert_eq!(tokens[7].span, Span::new(44, 52));
}

#[test]
fn numbers_are_single_tokens_and_units_split_off() {
    assert_eq!(
        kinds("around 80,000, 1,000,000 and 3.14 on 10/12/2017 at 5:30"),
        [
            ("around", W),
            ("80,000", N),
            (",", P),
            ("1,000,000", N),
            ("and", W),
            ("3.14", N),
            ("on", W),
            ("10/12/2017", N),
            ("at", W),
            ("5:30", N),
        ]
    );
    assert_eq!(
        kinds("$1.13bn (£600m) from $639m, 500km at 5pm"),
        [
            ("$", S),
            ("1.13", N),
            ("bn", W),
            ("(", P),
            ("£", S),
            ("600", N),
            ("m", W),
            (")", P),
            ("from", W),
            ("$", S),
            ("639", N),
            ("m", W),
            (",", P),
            ("500", N),
            ("km", W),
            ("at", W),
            ("5", N),
            ("pm", W),
        ]
    );
    assert_eq!(
        kinds("the 21st century, the 1990s, 5G and 3D, up 76%, -5"),
        [
            ("the", W),
            ("21st", N),
            ("century", W),
            (",", P),
            ("the", W),
            ("1990s", N),
            (",", P),
            ("5G", W),
            ("and", W),
            ("3D", W),
            (",", P),
            ("up", W),
            ("76", N),
            ("%", S),
            (",", P),
            ("-", P),
            ("5", N),
        ]
    );
    // A comma not followed by exactly three digits separates numbers.
    assert_eq!(words("1,2 and 2017,2018"), ["1", ",", "2", "and", "2017", ",", "2018"]);
    assert_eq!(kinds("a 10-year-old"), [("a", W), ("10-year-old", W)]);
    assert_eq!(words("in 2017. The"), ["in", "2017", ".", "The"]);
}

#[test]
fn abbreviations_keep_their_period() {
    assert_eq!(
        words("Mr. Smith, Dr. Jones, Gov. Brown, Sen. Rand, Rep. Al, Lt. Col. Dan, St. Paul"),
        [
            "Mr.", "Smith", ",", "Dr.", "Jones", ",", "Gov.", "Brown", ",", "Sen.", "Rand", ",",
            "Rep.", "Al", ",", "Lt.", "Col.", "Dan", ",", "St.", "Paul"
        ]
    );
    assert_eq!(
        words("on Jan. 5, Sept. 11 and Dec. 9; Acme Inc., Foo Corp. and Bar Ltd. vs. Baz Co."),
        [
            "on", "Jan.", "5", ",", "Sept.", "11", "and", "Dec.", "9", ";", "Acme", "Inc.", ",",
            "Foo", "Corp.", "and", "Bar", "Ltd.", "vs.", "Baz", "Co."
        ]
    );
    assert_eq!(
        words("John F. Kennedy met U.N. and U.S.A. envoys, e.g. at 9 a.m., i.e. early"),
        [
            "John", "F.", "Kennedy", "met", "U.N.", "and", "U.S.A.", "envoys", ",", "e.g.", "at",
            "9", "a.m.", ",", "i.e.", "early"
        ]
    );
    assert_eq!(words("a U.S.-led force"), ["a", "U.S.-led", "force"]);
    // `No.` is an abbreviation only before a number.
    assert_eq!(words("No. 10 said No."), ["No.", "10", "said", "No", "."]);
    assert_eq!(words("the UK. Dec..."), ["the", "UK", ".", "Dec", "..."]);
}

#[test]
fn clitics_split_like_the_penn_treebank() {
    assert_eq!(
        words("I don't know; they can't, won't. We're sure it's O'Brien's, not the countries' own"),
        [
            "I",
            "do",
            "n't",
            "know",
            ";",
            "they",
            "ca",
            "n't",
            ",",
            "wo",
            "n't",
            ".",
            "We",
            "'re",
            "sure",
            "it",
            "'s",
            "O'Brien",
            "'s",
            ",",
            "not",
            "the",
            "countries",
            "'",
            "own"
        ]
    );
    assert_eq!(words("Libya’s I’ll"), ["Libya", "’s", "I", "’ll"]);
    assert_eq!(words("Côte d'Ivoire, rock'n'roll"), ["Côte", "d'Ivoire", ",", "rock'n'roll"]);
}

#[test]
fn punctuation_quotes_and_dashes() {
    assert_eq!(
        kinds("\"Yes\" -- 'no' — “maybe” – ok... why?!"),
        [
            ("\"", P),
            ("Yes", W),
            ("\"", P),
            ("--", P),
            ("'", P),
            ("no", W),
            ("'", P),
            ("—", P),
            ("“", P),
            ("maybe", W),
            ("”", P),
            ("–", P),
            ("ok", W),
            ("...", P),
            ("why", W),
            ("?!", P),
        ]
    );
    assert_eq!(words("AT&T and S&P, R&D"), ["AT&T", "and", "S&P", ",", "R&D"]);
    assert_eq!(words("and/or Q&a"), ["and", "/", "or", "Q", "&", "a"]);
}

#[test]
fn urls_are_one_word() {
    assert_eq!(
        words("See http://www.bbc.co.uk/news/a_b?x=1. Or (www.xinhua.net), bbc.co.uk."),
        [
            "See",
            "http://www.bbc.co.uk/news/a_b?x=1",
            ".",
            "Or",
            "(",
            "www.xinhua.net",
            ")",
            ",",
            "bbc.co.uk",
            "."
        ]
    );
}

#[test]
fn no_split_after_abbreviations_or_decimals() {
    let text = "TRIPOLI, Dec. 9 (Xinhua) -- Libya will get 35 million euros (41.18 million U.S. \
                dollars). The money goes south.";
    assert_eq!(
        sentence_texts(text),
        [
            "TRIPOLI, Dec. 9 (Xinhua) -- Libya will get 35 million euros (41.18 million U.S. \
             dollars).",
            "The money goes south."
        ]
    );
    assert_eq!(
        sentences("Mr. He Lifeng met Gen. Haftar. U.S. President Trump spoke."),
        ["Mr. He Lifeng met Gen. Haftar .", "U.S. President Trump spoke ."]
    );
    assert_eq!(
        sentences("John F. Kennedy won. Shares of Acme Inc. rose 2.5 percent."),
        ["John F. Kennedy won .", "Shares of Acme Inc. rose 2.5 percent ."]
    );
    // The pronoun is no initial, and a state abbreviation that is also a
    // name is no abbreviation.
    assert_eq!(
        sentences("It ended with World War I. Peace came, said Norbert Ore. Analysts agreed."),
        ["It ended with World War I .", "Peace came , said Norbert Ore .", "Analysts agreed ."]
    );
}

#[test]
fn abbreviations_end_sentences_before_sentence_openers() {
    assert_eq!(
        sentences(
            "The deal was signed in the U.S. The talks went on. He works at Acme Inc. It grew."
        ),
        [
            "The deal was signed in the U.S.",
            "The talks went on .",
            "He works at Acme Inc.",
            "It grew ."
        ]
    );
    assert_eq!(
        sentences("He said... Then he left... and came back."),
        ["He said ...", "Then he left ... and came back ."]
    );
}

#[test]
fn quote_final_sentences() {
    let text = "Talks were \"very productive and positive.\" Moreover, Serraj met them.";
    assert_eq!(
        sentence_texts(text),
        ["Talks were \"very productive and positive.\"", "Moreover, Serraj met them."]
    );
    assert_eq!(
        sentences("\"We need more cooperation...\" the statement said. It ended."),
        ["\" We need more cooperation ... \" the statement said .", "It ended ."]
    );
    assert_eq!(
        sentences("\"Who is it?\" he asked. “Nobody!” She left. (See below.) Next."),
        ["\" Who is it ? \" he asked .", "“ Nobody ! ”", "She left .", "( See below . )", "Next ."]
    );
    assert_eq!(
        sentences("It rose 5.2 percent, the firm said. 2017 was good."),
        ["It rose 5.2 percent , the firm said .", "2017 was good ."]
    );
}

#[test]
fn lower_case_after_a_period_continues() {
    assert_eq!(
        sentences("It cost 5 p.m. yesterday. ok. fine"),
        ["It cost 5 p.m. yesterday . ok . fine"]
    );
}

#[test]
fn paragraph_breaks() {
    // Blank lines always split, even after an abbreviation or no period.
    assert_eq!(
        sentences(
            "Ad sales boost Time Warner profit\n\nQuarterly profits rose.\n \n Sales by U.S.\r\n\r\nMore"
        ),
        ["Ad sales boost Time Warner profit", "Quarterly profits rose .", "Sales by U.S.", "More"]
    );
    // One paragraph per line: a single line break splits...
    assert_eq!(
        sentences("TRIPOLI, July 7 (Xinhua) -- Libya met Italy\nSerraj praised Acme Inc.\nIt rose"),
        ["TRIPOLI , July 7 ( Xinhua ) -- Libya met Italy", "Serraj praised Acme Inc.", "It rose"]
    );
    // ...unless the next line plainly continues the sentence.
    assert_eq!(
        sentences(
            "the U.S.\ndollars rose, and\nThe Times said on\nSaturday that Mr.\nSmith left --\nItaly"
        ),
        ["the U.S. dollars rose , and The Times said on Saturday that Mr. Smith left -- Italy"]
    );
    // Hard-wrapped text: only blank lines are paragraph breaks.
    let wrapped = "Serraj met\nMinniti on Saturday.\nThey talked.\n\nNew paragraph";
    assert_eq!(
        sentences_with(wrapped, ParagraphBreaks::Blank),
        ["Serraj met Minniti on Saturday .", "They talked .", "New paragraph"]
    );
    assert_eq!(
        sentences_with(wrapped, ParagraphBreaks::Line),
        ["Serraj met", "Minniti on Saturday .", "They talked .", "New paragraph"]
    );
    // Unicode line and paragraph separators count too.
    assert_eq!(
        sentences_with("One\u{2029}Two\u{2028}Three", ParagraphBreaks::Blank),
        ["One", "Two Three"]
    );
}

#[test]
fn sentence_spans_and_token_ranges() {
    let text = "  First one.  Second one!\n\nThird ";
    let (tokens, sentences) = all(text);
    assert_eq!(tokens.len(), 7);
    assert_eq!(
        sentences,
        [
            Sentence { span: Span::new(2, 12), tokens: 0..3 },
            Sentence { span: Span::new(14, 25), tokens: 3..6 },
            Sentence { span: Span::new(27, 32), tokens: 6..7 },
        ]
    );
}

#[test]
fn non_ascii_text() {
    assert_eq!(
        kinds("Zürich-based São Paulo, Zu\u{308}rich’s café"),
        [
            ("Zürich-based", W),
            ("São", W),
            ("Paulo", W),
            (",", P),
            ("Zu\u{308}rich", W),
            ("’s", W),
            ("café", W),
        ]
    );
    // Han ideographs stand alone, as in UAX #29; 。 always ends a sentence.
    let cjk = "东京是大都市。北京也是！";
    assert_eq!(
        words(cjk),
        ["东", "京", "是", "大", "都", "市", "。", "北", "京", "也", "是", "！"]
    );
    assert_eq!(sentence_texts(cjk), ["东京是大都市。", "北京也是！"]);
    // Emoji: a ZWJ family, a skin-tone modifier and a flag are one symbol each.
    assert_eq!(
        kinds("Fans 😀👨‍👩‍👧 👍🏽 🇺🇸!"),
        [("Fans", W), ("😀", S), ("👨‍👩‍👧", S), ("👍🏽", S), ("🇺🇸", S), ("!", P)]
    );
    // Arabic, right to left in display but logical order in memory.
    let arabic = "قال الرئيس ٢٠١٧، مرحبا؟ نعم.";
    assert_eq!(words(arabic), ["قال", "الرئيس", "٢٠١٧", "،", "مرحبا", "؟", "نعم", "."]);
    assert_eq!(kinds(arabic)[2], ("٢٠١٧", N));
    assert_eq!(sentence_texts(arabic), ["قال الرئيس ٢٠١٧، مرحبا؟", "نعم."]);
    // No-break and ideographic spaces separate tokens like any whitespace.
    assert_eq!(words("No.\u{a0}10\u{3000}Downing"), ["No.", "10", "Downing"]);
}

#[test]
fn empty_and_whitespace_only_text() {
    for text in ["", " ", "\n\n", " \t\r\n\u{a0}\u{2029}\u{3000}\u{85}\u{b}\u{c}"] {
        let (tokens, sentences) = all(text);
        assert!(tokens.is_empty(), "{text:?}");
        assert!(sentences.is_empty(), "{text:?}");
    }
}

#[test]
fn ranges_are_clamped_to_the_text_and_char_boundaries() {
    let text = "Zürich is big. Bern";
    // Starts inside `ü`, ends past the text.
    let (tokens, sentences) = tokenizer::tokenize(text, Span::new(2, 999));
    let texts: Vec<&str> = tokens.iter().map(|t| t.span.slice(text)).collect();
    assert_eq!(texts, ["rich", "is", "big", ".", "Bern"]);
    assert_eq!(sentences.len(), 2);
    assert!(tokenizer::tokenize(text, Span::new(10, 3)).0.is_empty());
    let (tokens, _) = tokenizer::tokenize(text, Span::new(0, 11));
    assert_eq!(tokens.last().map(|t| t.span.slice(text)), Some("is"));
}

#[test]
fn document_body_only_and_existing_tokens_kept() {
    let text = " date 2017-12-10 Source: Xinhua| 2017-12-10 05:57:50|Editor: Jiaxin\n\nTRIPOLI, \
                Dec. 9 (Xinhua) -- It rose. It fell.";
    let mut document = Document::new("d", text);
    document.header = Some(Span::new(0, text.find('\n').unwrap()));
    NewsTokenizer::default().tokenize(&mut document).unwrap();
    assert_eq!(document.tokens[0].span.slice(text), "TRIPOLI");
    assert_eq!(document.sentences.len(), 2);
    assert_eq!(document.slice(document.sentences[1].span), "It fell.");
    assert_eq!(document.sentences[1].tokens, 11..14);

    // Tokens from a reader are kept; only the sentences are added.
    let mut document = Document::new("d", "One two. Three");
    document.tokens = vec![
        Token { span: Span::new(0, 7), kind: W },
        Token { span: Span::new(7, 8), kind: P },
        Token { span: Span::new(9, 14), kind: W },
    ];
    NewsTokenizer::default().tokenize(&mut document).unwrap();
    assert_eq!(document.tokens.len(), 3);
    assert_eq!(
        document.sentences,
        [
            Sentence { span: Span::new(0, 8), tokens: 0..2 },
            Sentence { span: Span::new(9, 14), tokens: 2..3 }
        ]
    );

    // Existing sentences are left alone too.
    let before = document.clone();
    NewsTokenizer::default().tokenize(&mut document).unwrap();
    assert_eq!(document, before);
}

#[test]
fn reader_tokens_out_of_order_do_not_panic() {
    let text = "abc def";
    let tokens = [
        Token { span: Span::new(4, 7), kind: W },
        Token { span: Span::new(0, 3), kind: W },
        Token { span: Span::new(2, 99), kind: W },
    ];
    let sentences = tokenizer::sentences(text, &tokens, ParagraphBreaks::Line);
    assert_eq!(sentences.iter().map(|s| s.tokens.len()).sum::<usize>(), 3);
    assert!(sentences.iter().all(|s| s.span.start <= s.span.end));
}

#[test]
fn registers_and_builds_from_options() {
    let mut registry = Registry::new();
    tokenizer::register(&mut registry);
    let kinds = registry.kinds(Stage::Tokenizer);
    assert_eq!(kinds.len(), 1);
    assert_eq!(kinds[0].0, "news");
    assert_eq!(kinds[0].2[0].name, "paragraph_breaks");
    let kind = registry.tokenizer("news").unwrap();
    let context = BuildContext::new(".", "news");
    let options = |value: document::Value| value.as_object().cloned().unwrap_or_else(Map::new);

    let blank = kind.build(options(json!({"paragraph_breaks": "blank"})), &context).unwrap();
    let mut document = Document::new("d", "one\nTwo");
    blank.tokenize(&mut document).unwrap();
    assert_eq!(document.sentences.len(), 1);
    assert!(kind.build(options(json!({})), &context).is_ok());

    let errors = kind.build(options(json!({"paragraph_break": "line"})), &context).err().unwrap();
    assert_eq!(
        errors[0].to_string(),
        "unknown key `paragraph_break`; did you mean `paragraph_breaks`?"
    );
    let errors = kind.build(options(json!({"paragraph_breaks": "none"})), &context).err().unwrap();
    assert_eq!(errors[0].key(), Some("paragraph_breaks"));
}
