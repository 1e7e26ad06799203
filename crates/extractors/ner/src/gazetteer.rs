//! Gazetteers: phrase lists (places, countries, first names, surnames)
//! matched over token sequences.
//!
//! Each list is a text file in `data/`, one entry a line (built by
//! `scripts/build-gazetteers.py`), embedded in the binary. Entries are
//! stored as 64-bit hashes of their lower-cased tokens, so that a lookup
//! hashes the candidate tokens as it goes and allocates nothing; a hash
//! collision can only add a spurious feature, never a crash.

/// The lists, in the order of their bit in a match mask.
pub const LISTS: [(&str, &str); 4] = [
    ("location", include_str!("../data/location.txt")),
    ("country", include_str!("../data/country.txt")),
    ("first", include_str!("../data/first.txt")),
    ("last", include_str!("../data/last.txt")),
];

/// The lists learnt from the training data's entities (stored in the
/// model as hashes), after the embedded ones: their bits are
/// `LISTS.len() + i`.
/// The first four hold whole names, the last four every word of a name.
pub const TRAINED_LISTS: [&str; 8] =
    ["PER", "ORG", "LOC", "MISC", "PER word", "ORG word", "LOC word", "MISC word"];

/// Every list, embedded and trained.
pub const ALL_LISTS: usize = LISTS.len() + TRAINED_LISTS.len();

/// Entries longer than this many tokens are not matched.
pub const MAX_PHRASE_TOKENS: usize = 4;

/// Every list's phrases, as hash → mask of the lists holding it.
#[derive(Clone, Debug, Default)]
pub struct Gazetteer {
    phrases: PhraseTable,
    /// A Bloom filter over the phrase hashes, allocated by the first
    /// entry: two bits per phrase, both in the same 64-bit word (see
    /// [`filter_bits`]). Most candidate phrases are in no list; their
    /// lookup then stops at a 256 kB bitmap that stays in cache instead of
    /// probing the multi-megabyte table. It has no false negatives, so it
    /// changes no match. On the BBC corpus two bits let through 2.3 % of
    /// the candidate phrases in no list, where one bit let through 10 %,
    /// for the same one word read.
    filter: Vec<u64>,
}

/// Phrase hash → mask of lists: open addressing with linear probing in
/// one array of (hash, mask) slots, at most three quarters full (the
/// 152,000 phrases of the lists and the model fill 58 % of 2^18 slots,
/// 4 MB, as much as the map took). A lookup that
/// passes the filter is usually one cache line here, where a `HashMap`
/// reads its control bytes and then the slot (two misses in a table of
/// several MB). The hash 0 marks an empty slot, so that phrase hash, were
/// it ever met, is kept aside.
#[derive(Clone, Debug, Default)]
struct PhraseTable {
    slots: Vec<(u64, u16)>,
    len: usize,
    zero: Option<u16>,
}

impl PhraseTable {
    /// The first slot to probe for `hash`: the top bits of a multiple of
    /// it (FNV's own top bits spread short phrases poorly).
    #[inline]
    fn home(&self, hash: u64) -> usize {
        let bits = self.slots.len().trailing_zeros();
        (hash.wrapping_mul(0x9e37_79b9_7f4a_7c15) >> (64 - bits)) as usize
    }

    #[inline]
    fn get(&self, hash: u64) -> Option<u16> {
        if hash == 0 {
            return self.zero;
        }
        if self.slots.is_empty() {
            return None;
        }
        let last = self.slots.len() - 1;
        let mut index = self.home(hash);
        loop {
            let (key, lists) = *self.slots.get(index)?;
            if key == hash {
                return Some(lists);
            }
            if key == 0 {
                return None;
            }
            index = (index + 1) & last;
        }
    }

    /// Makes room for `additional` more phrases at once (growing one
    /// doubling at a time rehashes every phrase each time).
    fn reserve(&mut self, additional: usize) {
        let mut size = self.slots.len().max(1 << 10);
        while (self.len + additional) * 4 > size * 3 {
            size *= 2;
        }
        if size != self.slots.len() {
            self.resize(size);
        }
    }

    fn resize(&mut self, size: usize) {
        let old = std::mem::replace(&mut self.slots, vec![(0, 0); size]);
        self.len = 0;
        for (key, lists) in old {
            if key != 0 {
                self.add(key, lists);
            }
        }
    }

    /// Adds `mask` to the lists of `hash`.
    fn add(&mut self, hash: u64, mask: u16) {
        if hash == 0 {
            *self.zero.get_or_insert(0) |= mask;
            return;
        }
        if (self.len + 1) * 4 > self.slots.len() * 3 {
            self.resize((self.slots.len() * 2).max(1 << 10));
        }
        let last = self.slots.len() - 1;
        let mut index = self.home(hash);
        while let Some(slot) = self.slots.get_mut(index) {
            if slot.0 == hash {
                slot.1 |= mask;
                return;
            }
            if slot.0 == 0 {
                *slot = (hash, mask);
                self.len += 1;
                return;
            }
            index = (index + 1) & last;
        }
    }
}

/// log2 of the number of bits of [`Gazetteer`]'s filter.
const FILTER_BITS: u32 = 21;

/// A phrase hash's word of the filter (its top bits) and its two bits in
/// that word (from a multiple of the hash: FNV's other bits are weak).
#[inline]
fn filter_bits(hash: u64) -> (usize, u64) {
    let word = (hash >> (64 - (FILTER_BITS - 6))) as usize;
    let mixed = hash.wrapping_mul(0x9e37_79b9_7f4a_7c15);
    (word, (1 << (mixed >> 58)) | (1 << ((mixed >> 52) & 63)))
}

/// FNV-1a over lower-cased characters, a separator between tokens.
#[derive(Clone, Copy)]
struct PhraseHash(u64);

impl PhraseHash {
    fn new() -> Self {
        PhraseHash(0xcbf2_9ce4_8422_2325)
    }

    #[inline]
    fn byte(&mut self, byte: u8) {
        self.0 = (self.0 ^ u64::from(byte)).wrapping_mul(0x0100_0000_01b3);
    }

    fn token(&mut self, token: &str) {
        self.separate();
        for c in token.chars().flat_map(char::to_lowercase) {
            let mut buffer = [0; 4];
            for &byte in c.encode_utf8(&mut buffer).as_bytes() {
                self.byte(byte);
            }
        }
    }

    /// The separator before a token, unless the phrase is still empty.
    #[inline]
    fn separate(&mut self) {
        if self.0 != PhraseHash::new().0 {
            self.byte(b' ');
        }
    }
}

/// The hash of a phrase of 1 to [`MAX_PHRASE_TOKENS`] tokens, as matched
/// (lower-cased); `None` for other lengths.
pub fn phrase_hash(tokens: &[&str]) -> Option<u64> {
    if tokens.is_empty() || tokens.len() > MAX_PHRASE_TOKENS {
        return None;
    }
    let mut hash = PhraseHash::new();
    for token in tokens {
        hash.token(token);
    }
    Some(hash.0)
}

impl Gazetteer {
    /// The embedded lists.
    pub fn embedded() -> Self {
        let mut gazetteer = Gazetteer::default();
        gazetteer.reserve(LISTS.iter().map(|(_, text)| text.lines().count()).sum());
        for (bit, (_, text)) in LISTS.iter().enumerate() {
            for line in text.lines() {
                gazetteer.add(line, bit);
            }
        }
        gazetteer
    }

    /// Adds an entry (split on spaces and around `-`, `.`, `'` as a
    /// tokenizer would not be: entries are matched token by token) to list `bit`.
    pub fn add(&mut self, entry: &str, bit: usize) {
        let tokens: Vec<&str> = entry.split_whitespace().collect();
        if let Some(hash) = phrase_hash(&tokens) {
            self.add_hash(hash, 1 << bit);
        }
    }

    /// Makes room for `additional` more phrases.
    pub fn reserve(&mut self, additional: usize) {
        self.phrases.reserve(additional);
    }

    /// Adds a phrase by its [`phrase_hash`] to the lists of `mask`.
    pub fn add_hash(&mut self, hash: u64, mask: u16) {
        self.phrases.add(hash, mask);
        if self.filter.is_empty() {
            self.filter = vec![0; (1 << FILTER_BITS) / 64];
        }
        let (word, bits) = filter_bits(hash);
        if let Some(word) = self.filter.get_mut(word) {
            *word |= bits;
        }
    }

    /// Whether a phrase hash may be in the lists (`false`: it is not).
    #[inline]
    fn may_hold(&self, hash: u64) -> bool {
        let (word, bits) = filter_bits(hash);
        self.filter.get(word).is_some_and(|word| word & bits == bits)
    }

    /// For each token, a mask per list position: bit `2*list` when the
    /// token starts a match of that list, bit `2*list+1` when it continues
    /// one. Linear: at most [`MAX_PHRASE_TOKENS`] lookups per token.
    pub fn matches(&self, words: &[&str]) -> Vec<u32> {
        let lowered: Vec<String> =
            words.iter().map(|word| word.chars().flat_map(char::to_lowercase).collect()).collect();
        let lowered: Vec<&str> = lowered.iter().map(String::as_str).collect();
        self.matches_lowered(&lowered)
    }

    /// [`Gazetteer::matches`] of words already lower-cased (each character
    /// through `char::to_lowercase`, as the tagger's features have them):
    /// a word is then hashed byte by byte, not lower-cased again for each
    /// phrase it is part of.
    pub fn matches_lowered(&self, lowered: &[&str]) -> Vec<u32> {
        let mut text = String::new();
        let mut spans = Vec::with_capacity(lowered.len());
        for word in lowered {
            spans.push(text.len()..text.len() + word.len());
            text.push_str(word);
        }
        let mut marks = Vec::new();
        self.matches_lowered_into(&text, &spans, &mut marks);
        marks
    }

    /// [`Gazetteer::matches_lowered`] of the words at `spans` of `text`
    /// (the tagger keeps a sentence's lower-cased words in one string),
    /// into `marks`, which is cleared first.
    pub fn matches_lowered_into(
        &self,
        text: &str,
        spans: &[std::ops::Range<usize>],
        marks: &mut Vec<u32>,
    ) {
        marks.clear();
        marks.resize(spans.len(), 0);
        let bytes = text.as_bytes();
        // chains[k]: the hash of the phrase of k + 1 words ending at the
        // word before. Each word extends the (at most four) phrases that
        // end with it together, byte by byte: the four hashes are
        // independent chains of multiplications the processor overlaps,
        // and a word is read once, not once per phrase.
        let mut chains = [PhraseHash::new(); MAX_PHRASE_TOKENS];
        for end in 0..spans.len() {
            let word = spans.get(end).and_then(|span| bytes.get(span.clone())).unwrap_or(&[]);
            let mut next = [PhraseHash::new(); MAX_PHRASE_TOKENS];
            next[1..].copy_from_slice(&chains[..MAX_PHRASE_TOKENS - 1]);
            for hash in &mut next {
                hash.separate();
            }
            for &byte in word {
                for hash in &mut next {
                    hash.byte(byte);
                }
            }
            chains = next;
            for (words, hash) in chains.iter().enumerate().take(end + 1) {
                if !self.may_hold(hash.0) {
                    continue;
                }
                let Some(lists) = self.phrases.get(hash.0) else { continue };
                let start = end - words;
                for list in 0..ALL_LISTS {
                    if lists & (1 << list) == 0 {
                        continue;
                    }
                    marks[start] |= 1 << (2 * list);
                    for mark in &mut marks[start + 1..=end] {
                        *mark |= 1 << (2 * list + 1);
                    }
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn matches_multi_token_entries_without_case() {
        let mut gazetteer = Gazetteer::default();
        gazetteer.add("New York", 0);
        gazetteer.add("York", 0);
        gazetteer.add("Peter", 2);
        let marks = gazetteer.matches(&["in", "NEW", "York", "peter"]);
        assert_eq!(marks, [0, 0b1, 0b11, 0b1_0000]);
    }

    #[test]
    fn lowered_words_match_as_the_words_do() {
        let mut gazetteer = Gazetteer::default();
        gazetteer.add("São Paulo", 0);
        gazetteer.add("İstanbul", 0);
        gazetteer.add("Ärzte ohne Grenzen", 1);
        let words = ["in", "SÃO", "Paulo", "and", "İSTANBUL", "ÄRZTE", "OHNE", "grenzen", "."];
        let lowered: Vec<String> = words.iter().map(|word| word.to_lowercase()).collect();
        let lowered: Vec<&str> = lowered.iter().map(String::as_str).collect();
        let marks = gazetteer.matches(&words);
        assert_eq!(marks, [0, 0b1, 0b10, 0, 0b1, 0b100, 0b1000, 0b1000, 0]);
        assert_eq!(gazetteer.matches_lowered(&lowered), marks);
    }

    /// The matching as it was written first, phrase by phrase from each
    /// start: the reference for the word-by-word version.
    fn matches_by_start(gazetteer: &Gazetteer, lowered: &[&str]) -> Vec<u32> {
        let mut marks = vec![0u32; lowered.len()];
        for start in 0..lowered.len() {
            let mut hash = PhraseHash::new();
            for end in start..lowered.len().min(start + MAX_PHRASE_TOKENS) {
                hash.separate();
                for &byte in lowered[end].as_bytes() {
                    hash.byte(byte);
                }
                let Some(lists) = gazetteer.phrases.get(hash.0) else { continue };
                for list in 0..ALL_LISTS {
                    if lists & (1 << list) != 0 {
                        marks[start] |= 1 << (2 * list);
                        for mark in &mut marks[start + 1..=end] {
                            *mark |= 1 << (2 * list + 1);
                        }
                    }
                }
            }
        }
        marks
    }

    #[test]
    fn word_by_word_matching_finds_what_phrase_by_phrase_matching_finds() {
        let vocabulary = ["new", "york", "", "city", "of", "são", "paulo", "new york", "."];
        let mut gazetteer = Gazetteer::default();
        for (bit, entry) in
            ["new york", "york", "new york city", "city of new york", "são paulo", "of"]
                .iter()
                .enumerate()
        {
            gazetteer.add(entry, bit % ALL_LISTS);
        }
        // Phrases with an empty word in them, which hash without its separator.
        gazetteer.add_hash(phrase_hash(&["", "york"]).unwrap(), 1 << 5);
        gazetteer.add_hash(phrase_hash(&["new", "", "york"]).unwrap(), 1 << 6);
        let mut state = 0x9e37_79b9_7f4a_7c15u64;
        for length in 0..400 {
            let words: Vec<&str> = (0..length % 23)
                .map(|_| {
                    state = state.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1);
                    vocabulary[(state >> 33) as usize % vocabulary.len()]
                })
                .collect();
            assert_eq!(gazetteer.matches_lowered(&words), matches_by_start(&gazetteer, &words));
        }
        let marks = gazetteer.matches_lowered(&["new", "york", "city"]);
        assert_eq!(marks, matches_by_start(&gazetteer, &["new", "york", "city"]));
        assert_ne!(marks, [0, 0, 0]);
    }

    #[test]
    fn the_phrase_table_holds_what_a_map_holds() {
        let mut table = PhraseTable::default();
        let mut map = std::collections::HashMap::new();
        assert_eq!(table.get(42), None);
        table.reserve(10);
        assert_eq!((table.slots.len(), table.get(42)), (1 << 10, None));
        let mut state = 0x853c_49e6_748f_ea9bu64;
        for step in 0..20_000u64 {
            state = state.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1442695040888963407);
            // Few distinct keys at first (masks merge), then many (growth),
            // and the key 0, which marks empty slots.
            let key = match step {
                0..2_000 => state % 300,
                _ => state,
            };
            let mask = 1u16 << (state >> 60);
            table.add(key, mask);
            *map.entry(key).or_insert(0u16) |= mask;
        }
        assert!(map.contains_key(&0));
        assert_eq!(table.len + 1, map.len());
        for (&key, &mask) in &map {
            assert_eq!(table.get(key), Some(mask), "{key}");
        }
        for key in 300..5_000u64 {
            assert_eq!(table.get(key.wrapping_mul(0x2545_f491_4f6c_dd1d)), None);
        }
    }

    #[test]
    fn the_filter_hides_no_entry() {
        let gazetteer = Gazetteer::embedded();
        let mut found = 0;
        for line in LISTS[3].1.lines().take(20_000) {
            let words: Vec<&str> = line.split_whitespace().collect();
            if let Some(hash) = phrase_hash(&words) {
                assert!(gazetteer.may_hold(hash), "{line:?}");
                assert_eq!(gazetteer.matches(&words)[0] & (1 << 6), 1 << 6, "{line:?}");
                found += 1;
            }
        }
        assert!(found > 10_000);
        assert!(!Gazetteer::default().may_hold(phrase_hash(&["Paris"]).unwrap()));
    }

    #[test]
    fn embedded_lists_know_the_seed_places() {
        let gazetteer = Gazetteer::embedded();
        let marks = gazetteer.matches(&["Tripoli", "United", "States", "Marco"]);
        assert_eq!(marks[0] & 1, 1);
        assert_eq!(marks[1] & 1, 1);
        assert_eq!(marks[2] & 2, 2);
        assert_eq!(marks[3] & 0b1_0000, 0b1_0000);
    }
}
