//! The words that report speech, and the small closed classes the
//! attribution grammar needs (pronouns, determiners, clause boundaries).
//! Every list is matched case-insensitively against whole tokens.

/// Verbs of saying. Each introduces a direct quote (`"…," Serraj said`,
/// `said Serraj`, `Serraj said: "…"`) and, followed by `that`, reported
/// speech.
pub const SPEECH: &[&str] = &[
    "said",
    "says",
    "say",
    "told",
    "tells",
    "tell",
    "added",
    "adds",
    "stressed",
    "stresses",
    "noted",
    "notes",
    "warned",
    "warns",
    "announced",
    "announces",
    "explained",
    "explains",
    "insisted",
    "insists",
    "declared",
    "declares",
    "emphasized",
    "emphasised",
    "emphasizes",
    "emphasises",
    "asserted",
    "asserts",
    "argued",
    "argues",
    "claimed",
    "claims",
    "confirmed",
    "confirms",
    "revealed",
    "reveals",
    "reported",
    "reports",
    "stated",
    "states",
    "wrote",
    "writes",
    "asked",
    "asks",
    "replied",
    "replies",
    "responded",
    "continued",
    "concluded",
    "admitted",
    "admits",
    "acknowledged",
    "acknowledges",
    "recalled",
    "recalls",
    "observed",
    "commented",
    "remarked",
    "predicted",
    "predicts",
    "urged",
    "urges",
    "cautioned",
    "vowed",
    "vows",
    "promised",
    "promises",
    "pledged",
    "conceded",
    "concedes",
    "suggested",
    "suggests",
    "maintained",
    "maintains",
    "countered",
    "quipped",
    "shouted",
    "tweeted",
    "complained",
    "complains",
    "boasted",
    "lamented",
    "alleged",
    "alleges",
    "mentioned",
    "indicated",
    "indicates",
    "underlined",
    "reiterated",
    "reaffirmed",
    "affirmed",
    "disclosed",
    "informed",
    "assured",
    "quoted",
    "saying",
    "denied",
    "denies",
    "agreed",
    "demanded",
    "proposed",
    "estimated",
    "forecast",
];

/// Verbs that give reported speech without `that` (`He said the talks
/// failed`): the others need `that` (`stressed the need` is not speech).
pub const ZERO_THAT: &[&str] = &["said", "says", "say", "told", "tells", "added", "adds", "saying"];

/// Verbs of saying that are as often plural nouns: a verb only after a
/// name, a pronoun or a capitalised word (`Smith notes`, not `the inspection
/// reports`).
pub const NOUN_OR_VERB: &[&str] = &[
    "reports",
    "claims",
    "notes",
    "states",
    "promises",
    "fears",
    "hopes",
    "calls",
    "answers",
    "replies",
    "comments",
    "remarks",
    "estimates",
    "forecasts",
    "statements",
    "pledges",
    "vows",
    "asks",
    "denies",
    "concedes",
    "admits",
    "demands",
];

/// Verbs that make an object the addressee, not the speaker (`told
/// reporters`).
pub const ADDRESSEE: &[&str] =
    &["told", "tells", "tell", "informed", "assured", "asked", "asks", "urged", "urges"];

/// Verbs that carry a partial quote without being verbs of saying
/// (`praised the "very productive" talks`, `called it "a disaster"`): only
/// used to find the speaker of a partial quote in the same sentence.
pub const STANCE: &[&str] = &[
    "praised",
    "praises",
    "called",
    "calls",
    "described",
    "describes",
    "criticised",
    "criticized",
    "dismissed",
    "denounced",
    "welcomed",
    "welcomes",
    "condemned",
    "hailed",
    "labelled",
    "labeled",
    "branded",
    "termed",
    "blasted",
    "slammed",
    "accused",
    "characterised",
    "characterized",
    "expressed",
    "voiced",
    "spoke",
    "speaking",
    "pointed",
    "vowing",
    "saying",
    "adding",
    "stressing",
    "warning",
    "calling",
    "describing",
    "promising",
    "referred",
    "referring",
    "insisting",
    "arguing",
];

/// Determiners and possessives: before one of the verbs above, the word is
/// a noun (`the reports`, `his claims`), not a cue.
pub const DETERMINERS: &[&str] = &[
    "the", "a", "an", "his", "her", "its", "their", "our", "your", "my", "these", "those", "this",
    "such", "no", "any", "some", "of",
];

/// Words between a subject and its verb that are not part of the subject
/// (`Serraj also said`, `he later told`).
pub const BETWEEN_SUBJECT_AND_VERB: &[&str] = &[
    "also",
    "later",
    "then",
    "further",
    "again",
    "had",
    "has",
    "have",
    "was",
    "were",
    "is",
    "previously",
    "recently",
    "once",
    "repeatedly",
    "reportedly",
    "earlier",
    "separately",
    "only",
    "still",
    "publicly",
    "privately",
    "openly",
    "immediately",
    "subsequently",
    "would",
    "will",
    "could",
    "did",
    "does",
    "do",
    "has",
    "already",
    "clearly",
    "explicitly",
    "firmly",
    "simply",
    "even",
    "frequently",
    "often",
    "finally",
    "yesterday",
    "today",
];

/// Words that end a subject looking backwards from its verb.
pub const BOUNDARY: &[&str] = &[
    "that", "but", "while", "when", "as", "because", "which", "who", "whom", "whose", "after",
    "before", "if", "where", "although", "though", "since", "whereas", "unless", "until", "so",
    "what", "how", "why", "whether", "than", "said", "says", "told",
];

/// Words that open a phrase after a verb that cannot be its subject
/// (`said on Saturday`, `told reporters`).
pub const NOT_INVERTED_SUBJECT: &[&str] = &[
    "on",
    "in",
    "at",
    "during",
    "after",
    "before",
    "from",
    "to",
    "with",
    "by",
    "last",
    "this",
    "late",
    "earlier",
    "yesterday",
    "today",
    "tonight",
    "for",
    "about",
    "of",
    "that",
    "it",
    "there",
    "in",
    "when",
    "while",
    "as",
    "so",
    "and",
    "but",
    "reporters",
    "journalists",
    "him",
    "her",
    "them",
    "us",
    "me",
    "next",
    "via",
    "through",
    "over",
    "under",
    "without",
    "within",
    "early",
    "again",
    "also",
    "then",
    "later",
    "afterwards",
    "shortly",
    "recently",
];

/// Personal pronouns a speaker can be.
pub const PRONOUNS: &[&str] = &["he", "she", "it", "they", "we", "i"];

/// Nouns of documents that speak for their author (`the statement said`).
pub const DOCUMENT_NOUNS: &[&str] = &[
    "statement",
    "report",
    "communique",
    "communiqué",
    "release",
    "announcement",
    "letter",
    "document",
    "notice",
    "post",
    "tweet",
    "memo",
    "study",
    "survey",
    "filing",
    "declaration",
    "resolution",
    "bulletin",
    "message",
    "website",
    "readout",
    "transcript",
];

/// Head nouns of phrases that name a person (`a spokesman for the
/// ministry`), so that `he` and `she` may refer to them.
pub const PERSON_NOUNS: &[&str] = &[
    "spokesman",
    "spokeswoman",
    "spokesperson",
    "minister",
    "president",
    "official",
    "director",
    "chief",
    "leader",
    "secretary",
    "ambassador",
    "governor",
    "mayor",
    "analyst",
    "expert",
    "professor",
    "lawyer",
    "attorney",
    "witness",
    "resident",
    "officer",
    "commander",
    "chairman",
    "chairwoman",
    "chair",
    "executive",
    "coach",
    "manager",
    "player",
    "economist",
    "researcher",
    "scientist",
    "doctor",
    "nurse",
    "farmer",
    "teacher",
    "student",
    "man",
    "woman",
    "source",
    "envoy",
    "diplomat",
    "general",
    "colonel",
    "captain",
    "premier",
    "prosecutor",
    "judge",
    "senator",
    "lawmaker",
    "mp",
    "candidate",
    "founder",
    "owner",
    "worker",
    "driver",
    "father",
    "mother",
    "son",
    "daughter",
    "engineer",
    "pilot",
    "activist",
    "historian",
    "campaigner",
    "representative",
    "deputy",
    "head",
    "negotiator",
    "adviser",
    "advisor",
    "strategist",
    "trader",
    "banker",
    "investor",
    "fan",
    "survivor",
    "victim",
    "organiser",
    "organizer",
    "inspector",
    "economist",
    "physician",
    "surgeon",
    "mediator",
    "observer",
];

/// Connectives and sentence adverbs that may open a clause before its
/// subject (`But the ministry said`, `Meanwhile the company said`).
pub const LEADING_CONNECTIVES: &[&str] = &[
    "but",
    "and",
    "yet",
    "so",
    "meanwhile",
    "however",
    "moreover",
    "also",
    "still",
    "now",
    "then",
    "later",
    "separately",
    "earlier",
    "instead",
    "indeed",
    "thus",
    "today",
    "yesterday",
];

pub fn contains(list: &[&str], word: &str) -> bool {
    list.iter().any(|entry| entry.eq_ignore_ascii_case(word))
}

/// Verbs that may follow their clause and precede their subject: `…, said
/// the ministry`.
pub const INVERTED: &[&str] = &[
    "said",
    "says",
    "added",
    "adds",
    "wrote",
    "writes",
    "explained",
    "noted",
    "warned",
    "stressed",
    "continued",
    "insisted",
    "argued",
    "recalled",
    "reported",
    "announced",
];

/// Words that cannot open a reported clause after `said`.
pub const NOT_CLAUSE_START: &[&str] = &[
    "on",
    "in",
    "at",
    "during",
    "after",
    "before",
    "to",
    "for",
    "with",
    "by",
    "from",
    "of",
    "about",
    "and",
    "but",
    "or",
    "as",
    "so",
    "than",
    "because",
    "while",
    "when",
    "if",
    "goodbye",
    "hello",
    "yes",
    "no",
    "nothing",
    "little",
    "much",
    "something",
    "sorry",
    "thank",
    "thanks",
    "via",
    "through",
    "over",
    "under",
    "without",
    "within",
    "afterwards",
    "later",
    "earlier",
    "again",
    "also",
    "then",
    "only",
    "last",
    "next",
];

/// Words of a time phrase after `on`, `late`, `last`: `on Tuesday`, `late on
/// Monday`, `last week`.
pub const TIME_WORDS: &[&str] = &[
    "monday",
    "tuesday",
    "wednesday",
    "thursday",
    "friday",
    "saturday",
    "sunday",
    "week",
    "month",
    "year",
    "night",
    "morning",
    "afternoon",
    "evening",
    "weekend",
    "day",
    "today",
    "yesterday",
    "tonight",
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
    "jan.",
    "feb.",
    "aug.",
    "sept.",
    "oct.",
    "nov.",
    "dec.",
];

/// Nouns of the occasion of speech: `in a statement`, `at a news
/// conference`, `told a briefing`.
pub const VENUE_NOUNS: &[&str] = &[
    "statement",
    "interview",
    "conference",
    "briefing",
    "address",
    "speech",
    "post",
    "message",
    "letter",
    "tweet",
    "hearing",
    "meeting",
    "rally",
    "summit",
    "session",
    "broadcast",
    "podcast",
    "television",
    "radio",
    "newspaper",
    "reporters",
    "journalists",
    "parliament",
    "court",
    "telephone",
    "phone",
    "email",
];

/// Head nouns of descriptions of organisations (`the agency said`): when
/// no fuller name contains the noun, the last organisation named.
pub const ORGANISATION_NOUNS: &[&str] = &[
    "agency",
    "organisation",
    "organization",
    "company",
    "firm",
    "group",
    "body",
    "airline",
    "carrier",
    "network",
    "charity",
    "bank",
    "government",
    "ministry",
    "department",
    "institute",
    "party",
    "union",
    "club",
    "association",
    "authority",
    "commission",
    "council",
    "office",
    "committee",
    "board",
    "court",
    "administration",
    "regulator",
    "watchdog",
    "corporation",
    "operator",
    "manufacturer",
    "maker",
    "giant",
    "retailer",
    "broadcaster",
    "newspaper",
    "alliance",
    "coalition",
    "federation",
    "league",
    "team",
    "university",
    "hospital",
    "army",
    "military",
    "police",
    "embassy",
    "foundation",
    "fund",
    "secretariat",
    "service",
    "utility",
];

/// Titles that open a person's name in the text but not the name itself
/// (`Senator Katrin Lompscher`, `Dr. Kenji Watanabe`).
pub const TITLES: &[&str] = &[
    "senator",
    "president",
    "minister",
    "dr.",
    "dr",
    "mr.",
    "mr",
    "mrs.",
    "mrs",
    "ms.",
    "ms",
    "prof.",
    "professor",
    "general",
    "gen.",
    "sir",
    "judge",
    "governor",
    "gov.",
    "mayor",
    "chancellor",
    "prime",
    "king",
    "queen",
    "pope",
    "captain",
    "capt.",
    "coach",
    "secretary",
    "chief",
    "rev.",
    "lord",
    "lady",
    "dame",
    "sheikh",
    "director-general",
    "commissioner",
    "lt.",
    "col.",
    "sgt.",
    "sen.",
    "rep.",
    "president-elect",
    "ambassador",
    "envoy",
    "justice",
    "premier",
    "chairman",
    "chairwoman",
    "spokesman",
    "spokeswoman",
    "lawyer",
    "analyst",
    "economist",
    "farmer",
    "tenant",
    "researcher",
    "detective",
    "negotiator",
    "author",
    "lead",
];

/// A word list for the hot path (every token of a document is looked up):
/// the lower-cased word is hashed without allocating, a 4096-bit filter
/// turns nearly every word away, and the rest are checked exactly.
pub struct WordSet {
    sorted: Vec<(u64, &'static str)>,
    filter: Box<[u64; 64]>,
    /// For each length, the first and the last letters of the words of
    /// that length, as bit masks: most words fail here, before hashing.
    edges: [(u32, u32); 25],
}

fn letter_bit(byte: u8) -> u32 {
    let lower = byte.to_ascii_lowercase();
    if lower.is_ascii_lowercase() { 1 << (lower - b'a') } else { 1 << 26 }
}

/// FNV-1a over the ASCII-lower-cased bytes of a word.
fn fold_hash(word: &str) -> u64 {
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for byte in word.bytes() {
        hash ^= u64::from(byte.to_ascii_lowercase());
        hash = hash.wrapping_mul(0x0100_0000_01b3);
    }
    hash
}

impl WordSet {
    pub fn new(list: &[&'static str]) -> WordSet {
        let mut sorted: Vec<(u64, &'static str)> =
            list.iter().map(|word| (fold_hash(word), *word)).collect();
        sorted.sort_unstable();
        sorted.dedup();
        let mut filter = Box::new([0u64; 64]);
        let mut edges = [(0u32, 0u32); 25];
        for (hash, word) in &sorted {
            let bit = (*hash & 4095) as usize;
            filter[bit / 64] |= 1 << (bit % 64);
            let bytes = word.as_bytes();
            if let (Some(first), Some(last), Some(slot)) =
                (bytes.first(), bytes.last(), edges.get_mut(bytes.len()))
            {
                slot.0 |= letter_bit(*first);
                slot.1 |= letter_bit(*last);
            }
        }
        WordSet { sorted, filter, edges }
    }

    /// Whether the list holds `word`, ignoring ASCII case.
    pub fn has(&self, word: &str) -> bool {
        let bytes = word.as_bytes();
        let Some((first, last)) = self.edges.get(bytes.len()) else {
            return false;
        };
        match (bytes.first(), bytes.last()) {
            (Some(a), Some(z)) if first & letter_bit(*a) != 0 && last & letter_bit(*z) != 0 => {}
            _ => return false,
        }
        let hash = fold_hash(word);
        let bit = (hash & 4095) as usize;
        if self.filter[bit / 64] & (1 << (bit % 64)) == 0 {
            return false;
        }
        let start = self.sorted.partition_point(|(entry, _)| *entry < hash);
        self.sorted[start..]
            .iter()
            .take_while(|(entry, _)| *entry == hash)
            .any(|(_, entry)| entry.eq_ignore_ascii_case(word))
    }
}

/// [`SPEECH`] as a [`WordSet`].
pub fn speech() -> &'static WordSet {
    static SET: std::sync::OnceLock<WordSet> = std::sync::OnceLock::new();
    SET.get_or_init(|| WordSet::new(SPEECH))
}

/// [`DOCUMENT_NOUNS`] as a [`WordSet`].
pub fn document_nouns() -> &'static WordSet {
    static SET: std::sync::OnceLock<WordSet> = std::sync::OnceLock::new();
    SET.get_or_init(|| WordSet::new(DOCUMENT_NOUNS))
}

/// Verbs of publishing: `X published a report of …` is reported speech
/// (`find.rs` reads them so).
pub const PUBLISHING: &[&str] = &["published", "released", "issued", "aired"];

/// The two-word cues `according to` and `pointed out`, as (first word,
/// second word) (`find::cue_at` matches them).
pub const PHRASE_CUES: &[(&str, &str)] = &[("according", "to"), ("pointed", "out")];

/// The first words of [`PHRASE_CUES`].
fn phrase_cue_starts() -> impl Iterator<Item = &'static &'static str> {
    PHRASE_CUES.iter().map(|(first, _)| first)
}

/// Every word reported speech can start at: [`SPEECH`], [`DOCUMENT_NOUNS`],
/// [`PUBLISHING`] and the first words of [`PHRASE_CUES`], as one [`WordSet`]. Nearly every word of a
/// text is none of them, and one lookup here tells so.
pub fn reporting() -> &'static WordSet {
    static SET: std::sync::OnceLock<WordSet> = std::sync::OnceLock::new();
    SET.get_or_init(|| {
        let words: Vec<&'static str> = SPEECH
            .iter()
            .chain(DOCUMENT_NOUNS)
            .chain(PUBLISHING)
            .chain(phrase_cue_starts())
            .copied()
            .collect();
        WordSet::new(&words)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// [`reporting`] holds a word exactly when one of the lists does, ASCII
    /// case ignored, on every listed word in three cases, with a letter
    /// changed or removed, and on other words.
    #[test]
    fn reporting_is_the_union_of_its_lists() {
        let mut words: Vec<String> =
            ["", "a", "é", "Zürich", "the", "and", "that", "saying"].map(String::from).to_vec();
        for word in SPEECH
            .iter()
            .chain(DOCUMENT_NOUNS)
            .chain(PUBLISHING)
            .chain(phrase_cue_starts())
            .chain(BOUNDARY)
        {
            words.push(word.to_string());
            words.push(word.to_uppercase());
            let mut title = word.to_string();
            title[..1].make_ascii_uppercase();
            words.push(title);
            words.push(format!("{word}s"));
            let chars: Vec<char> = word.chars().collect();
            for at in 0..chars.len() {
                let mut changed = chars.clone();
                changed[at] = if changed[at] == 'e' { 'a' } else { 'e' };
                words.push(changed.iter().collect());
                let mut shorter = chars.clone();
                shorter.remove(at);
                words.push(shorter.iter().collect());
            }
        }
        for word in &words {
            let listed = SPEECH
                .iter()
                .chain(DOCUMENT_NOUNS)
                .chain(PUBLISHING)
                .chain(phrase_cue_starts())
                .any(|listed| listed.eq_ignore_ascii_case(word));
            assert_eq!(reporting().has(word), listed, "{word:?}");
        }
    }

    #[test]
    fn word_sets_ignore_case_and_reject_the_rest() {
        let set = speech();
        assert!(set.has("said") && set.has("SAID") && set.has("Told"));
        assert!(!set.has("sad") && !set.has("") && !set.has("Zürich") && !set.has("saidx"));
        assert!(document_nouns().has("communiqué") && document_nouns().has("Statement"));
    }

    #[test]
    fn lists_are_lower_case() {
        for list in [SPEECH, DOCUMENT_NOUNS, STANCE, PERSON_NOUNS, ORGANISATION_NOUNS, TITLES] {
            for word in list {
                assert_eq!(*word, word.to_lowercase(), "{word}");
            }
        }
    }
}
