//! Feature extraction: every feature is a 64-bit hash, never a string.
//!
//! Each token's word, lower-cased form and shape are hashed once; window,
//! affix, gazetteer and document features are then mixes of those hashes
//! with a template number, so a token costs a few dozen multiplications
//! and no allocation beyond the per-sentence buffers. The features that
//! depend on the tags (the previous tag, the document's earlier decisions)
//! are added by the decoder, see [`transition_features`] and
//! [`history_features`].
//!
//! The tagger's path ([`sentence_features_split`]) looks each word up in
//! the per-thread [`WordScores`] first: a cached word (most) brings its
//! lower-cased and shape hashes with its sums ([`CachedHashes`]), so it is
//! hashed once (`hash_str`, for the lookup) rather than four times. The
//! four hash arrays are padded with two `PAD`s at each end, so a token's
//! ±2 window is one slice; a token's features are gathered in a buffer and
//! appended at once; the features of a constant and a small number
//! (position, gazetteer bit by slot, the tabular gazetteer feature) come
//! from tables computed at compile time; and the bigram mix of tokens `i`
//! and `i + 1` is computed once for both. The test
//! `features_are_the_reference_ones` checks all of it against the
//! features built from strings.

use std::collections::{HashMap, HashSet};
use std::hash::{BuildHasherDefault, Hasher};

use crate::gazetteer::{ALL_LISTS, Gazetteer};
use crate::model::TAGS;

/// Mixes a template number and a value into a feature hash (splitmix64's
/// finaliser: every input bit reaches every output bit).
#[inline]
pub const fn mix(template: u64, value: u64) -> u64 {
    let mut x = value ^ template.wrapping_mul(0x9e37_79b9_7f4a_7c15);
    x = (x ^ (x >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    x = (x ^ (x >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    x ^ (x >> 31)
}

/// The hasher of the maps keyed by feature hashes: the key is already a
/// hash, so one folded multiplication spreads it over the bits the table
/// uses (the default SipHash guards against chosen keys, a concern for
/// strings from the input, not for these; it cost a tenth of the tagger's
/// time). Lookups only: no map keyed this way is ever iterated into output.
#[derive(Clone, Copy, Default)]
pub struct KeyHasher(u64);

impl Hasher for KeyHasher {
    #[inline]
    fn write(&mut self, bytes: &[u8]) {
        for &byte in bytes {
            self.write_u64(u64::from(byte));
        }
    }

    #[inline]
    fn write_u64(&mut self, value: u64) {
        let product = u128::from(self.0 ^ value) * 0x9e37_79b9_7f4a_7c15;
        self.0 = (product as u64) ^ ((product >> 64) as u64);
    }

    #[inline]
    fn finish(&self) -> u64 {
        self.0
    }
}

/// A map keyed by a 64-bit hash.
pub type KeyMap<V> = HashMap<u64, V, BuildHasherDefault<KeyHasher>>;

/// A set of 64-bit hashes.
pub type KeySet = HashSet<u64, BuildHasherDefault<KeyHasher>>;

const FNV_OFFSET: u64 = 0xcbf2_9ce4_8422_2325;

/// FNV-1a of a string.
#[inline]
pub fn hash_str(text: &str) -> u64 {
    hash_bytes(FNV_OFFSET, text.as_bytes())
}

#[inline]
fn hash_bytes(mut hash: u64, bytes: &[u8]) -> u64 {
    for &byte in bytes {
        hash = (hash ^ u64::from(byte)).wrapping_mul(0x0100_0000_01b3);
    }
    hash
}

/// `Xxxx`, `XX`, `dd`, `Xx-Xxx`: letters and digits by class, other
/// characters as themselves; at most 12 characters.
pub fn shape(word: &str) -> String {
    word.chars().take(12).map(shape_class).collect()
}

/// The class of a character in a [`shape`].
#[inline]
fn shape_class(c: char) -> char {
    if c.is_ascii() {
        return match c {
            'A'..='Z' => 'X',
            'a'..='z' => 'x',
            '0'..='9' => 'd',
            _ => c,
        };
    }
    if c.is_uppercase() {
        'X'
    } else if c.is_lowercase() {
        'x'
    } else if c.is_numeric() {
        'd'
    } else {
        c
    }
}

/// `hash_str(&shape(word))` and `hash_str(&short_shape(&shape(word)))`,
/// without building either string.
#[inline]
pub fn shape_hashes(word: &str) -> (u64, u64) {
    let (mut shape, mut short) = (FNV_OFFSET, FNV_OFFSET);
    let mut last = None;
    for c in word.chars().take(12).map(shape_class) {
        let mut buffer = [0; 4];
        let bytes = c.encode_utf8(&mut buffer).as_bytes();
        shape = hash_bytes(shape, bytes);
        if last != Some(c) {
            short = hash_bytes(short, bytes);
        }
        last = Some(c);
    }
    (shape, short)
}

/// The hashes of a word the features are made of.
#[derive(Clone, Copy, Debug, PartialEq)]
struct WordHashes {
    /// `hash_str` of the word, of its lower-cased form, and the
    /// [`shape_hashes`].
    word: u64,
    lower: u64,
    shape: u64,
    short: u64,
}

/// The [`WordHashes`] of `word` (whose `hash_str` is `hash`, if known),
/// its lower-cased form appended to `lowered`.
#[inline(always)]
fn word_hashes(word: &str, hash: Option<u64>, lowered: &mut String) -> WordHashes {
    if word.is_ascii() {
        return ascii_word_hashes(word, lowered);
    }
    let start = lowered.len();
    append_lowered(word, lowered);
    let lower = hash_str(lowered.get(start..).unwrap_or_default());
    let (shape, short) = shape_hashes(word);
    WordHashes { word: hash.unwrap_or_else(|| hash_str(word)), lower, shape, short }
}

/// The [`WordHashes`] of an ASCII word in one pass over its bytes, its
/// lower-cased form appended to `lowered` (the general path,
/// [`word_hashes`], lower-cases, then hashes each form and the shapes by
/// character).
#[inline]
fn ascii_word_hashes(word: &str, lowered: &mut String) -> WordHashes {
    let step = |hash: u64, byte: u8| (hash ^ u64::from(byte)).wrapping_mul(0x0100_0000_01b3);
    let (mut word_hash, mut lower, mut shape, mut short) =
        (FNV_OFFSET, FNV_OFFSET, FNV_OFFSET, FNV_OFFSET);
    let mut last = None;
    append_lowered(word, lowered);
    for (index, &byte) in word.as_bytes().iter().enumerate() {
        let lower_byte = byte.to_ascii_lowercase();
        word_hash = step(word_hash, byte);
        lower = step(lower, lower_byte);
        if index < 12 {
            let class = match byte {
                b'A'..=b'Z' => b'X',
                b'a'..=b'z' => b'x',
                b'0'..=b'9' => b'd',
                _ => byte,
            };
            shape = step(shape, class);
            if last != Some(class) {
                short = step(short, class);
            }
            last = Some(class);
        }
    }
    WordHashes { word: word_hash, lower, shape, short }
}

/// [`shape`] with runs collapsed: `Xxxx` → `Xx`.
pub fn short_shape(shape: &str) -> String {
    let mut short = String::with_capacity(shape.len());
    let mut last = None;
    for c in shape.chars() {
        if last != Some(c) {
            short.push(c);
        }
        last = Some(c);
    }
    short
}

fn is_capitalised(word: &str) -> bool {
    word.chars().next().is_some_and(char::is_uppercase)
}

/// A sentence written in capitals: a headline or a sports-results line.
fn is_shouted(words: &[&str]) -> bool {
    let (mut letters, mut capitals) = (0, 0);
    for word in words {
        let (alphabetic, lowercase) = letter_case(word);
        letters += usize::from(alphabetic);
        capitals += usize::from(alphabetic && !lowercase);
    }
    letters > 0 && capitals * 5 >= letters * 4
}

/// Whether `word` has a letter, and whether it has a lower-case one. One
/// pass over the bytes, stopping at the first ASCII lower-case letter (then
/// both are true whatever follows; most words stop at their first byte);
/// a word with a byte past ASCII is read by characters.
#[inline]
fn letter_case(word: &str) -> (bool, bool) {
    let mut alphabetic = false;
    for &byte in word.as_bytes() {
        if byte.is_ascii_lowercase() {
            return (true, true);
        }
        if !byte.is_ascii() {
            return (word.chars().any(char::is_alphabetic), word.chars().any(char::is_lowercase));
        }
        alphabetic |= byte.is_ascii_uppercase();
    }
    (alphabetic, false)
}

/// What the whole document says about a word's casing: whether its
/// lower-cased form occurs in lower case, and how it is written when
/// capitalised in the middle of a mixed-case sentence (where a capital
/// means a name, not a sentence start or a headline).
#[derive(Debug, Default)]
pub struct DocumentContext {
    lowercase: KeySet,
    mid_sentence_form: KeyMap<u64>,
    /// How much of the document is tables of numbers (sports results,
    /// market figures), 0 to 3: there a place name is usually a team.
    tabular: u64,
    /// Each sentence's word count and whether it is in capitals, as
    /// [`sentence_features`] needs it again.
    shouted: Vec<(usize, bool)>,
}

/// 0 to 4: the share of a sentence's tokens that are numbers, in quarters.
fn numeric_share(words: &[&str]) -> u64 {
    let numbers =
        words.iter().filter(|word| word.starts_with(|c: char| c.is_ascii_digit())).count();
    (numbers * 4).checked_div(words.len()).unwrap_or(0) as u64
}

impl DocumentContext {
    pub fn new(sentences: &[Vec<&str>]) -> Self {
        let mut context = DocumentContext::default();
        let tables = sentences.iter().filter(|words| numeric_share(words) >= 2).count();
        context.tabular = (tables * 3).checked_div(sentences.len()).unwrap_or(0) as u64;
        let mut lower = String::new();
        // Sized once: most words are lower-case, a few capitalised.
        let words: usize = sentences.iter().map(Vec::len).sum();
        context.lowercase.reserve(words);
        context.mid_sentence_form.reserve(words / 4);
        context.shouted.reserve(sentences.len());
        for words in sentences {
            let shouted = is_shouted(words);
            context.shouted.push((words.len(), shouted));
            for (position, word) in words.iter().enumerate() {
                let key = lower_hash(word, &mut lower);
                if word.chars().next().is_some_and(char::is_lowercase) {
                    context.lowercase.insert(key);
                } else if position > 0 && !shouted && is_capitalised(word) {
                    context.mid_sentence_form.entry(key).or_insert_with(|| hash_str(word));
                }
            }
        }
        context
    }

    /// [`is_shouted`] of the document's sentence `index`, remembered from
    /// [`DocumentContext::new`] (computed when `words` is not that sentence
    /// by its length: another document's).
    fn is_shouted(&self, index: usize, words: &[&str]) -> bool {
        match self.shouted.get(index) {
            Some(&(length, shouted)) if length == words.len() => shouted,
            _ => is_shouted(words),
        }
    }
}

/// `hash_str` of the lower-cased word; an ASCII word is hashed as it is
/// lower-cased, without a copy (`lower` is the buffer for the others).
#[inline]
fn lower_hash(word: &str, lower: &mut String) -> u64 {
    if word.is_ascii() {
        word.bytes().fold(FNV_OFFSET, |hash, byte| {
            (hash ^ u64::from(byte.to_ascii_lowercase())).wrapping_mul(0x0100_0000_01b3)
        })
    } else {
        lower.clear();
        append_lowered(word, lower);
        hash_str(lower)
    }
}

/// Appends `word` lower-cased to `out`: an ASCII word copied, then
/// lower-cased in place (a `push` per byte cost more), any other
/// character by character.
#[inline(always)]
fn append_lowered(word: &str, out: &mut String) {
    if word.is_ascii() {
        let start = out.len();
        out.push_str(word);
        if let Some(copy) = out.get_mut(start..) {
            copy.make_ascii_lowercase();
        }
    } else {
        out.extend(word.chars().flat_map(char::to_lowercase));
    }
}

/// Template numbers, one per kind of feature.
mod template {
    pub const BIAS: u64 = 1;
    pub const WORD: u64 = 2;
    pub const WORD_LEFT: u64 = 15;
    pub const WORD_RIGHT: u64 = 16;
    pub const WORD_SHAPE_LEFT: u64 = 17;
    pub const WORD_SHAPE_RIGHT: u64 = 18;
    pub const SHAPE_WINDOW: u64 = 19;
    pub const LOWER: [u64; 5] = [3, 4, 5, 6, 7];
    pub const SHAPE: [u64; 3] = [8, 9, 10];
    pub const SHORT_SHAPE: u64 = 11;
    pub const SHAPE_TRIGRAM: u64 = 12;
    pub const BIGRAM_LEFT: u64 = 13;
    pub const BIGRAM_RIGHT: u64 = 14;
    pub const PREFIX: u64 = 20;
    pub const SUFFIX: u64 = 30;
    pub const FIRST: u64 = 40;
    pub const LENGTH: u64 = 41;
    pub const SHOUTED: u64 = 42;
    pub const ALSO_LOWER: u64 = 43;
    pub const CAPITALISED_ELSEWHERE: u64 = 44;
    pub const DOCUMENT_FORM: u64 = 45;
    pub const GAZETTEER: [u64; 3] = [50, 51, 52];
    pub const GAZETTEER_SHAPE: u64 = 53;
    pub const PREVIOUS_TAG: u64 = 60;
    pub const PREVIOUS_TAG_WORD: u64 = 62;
    pub const PREVIOUS_TAG_SHAPE: u64 = 63;
    pub const POSITION: u64 = 64;
    pub const NUMERIC_SHARE: u64 = 65;
    pub const TABULAR: u64 = 66;
    pub const TABULAR_GAZETTEER: u64 = 67;
    pub const SENTENCE_INDEX: u64 = 68;
    pub const HISTORY_NONE: u64 = 70;
    pub const HISTORY_MAJORITY: u64 = 71;
    pub const HISTORY_SHARE: u64 = 72;
    pub const HISTORY_SHAPE: u64 = 73;
    pub const DOCUMENT_NONE: u64 = 74;
    pub const DOCUMENT_MAJORITY: u64 = 75;
    pub const DOCUMENT_SHARE: u64 = 76;
}

/// The per-token hashes the dynamic features need.
#[derive(Clone, Copy, Debug, Default)]
pub struct TokenKeys {
    pub lower: u64,
    pub short_shape: u64,
    pub capitalised: bool,
}

/// The static features of one sentence: `features[offsets[i]..offsets[i+1]]`
/// belong to token `i`.
#[derive(Debug, Default)]
pub struct SentenceFeatures {
    pub features: Vec<u64>,
    pub offsets: Vec<usize>,
    pub keys: Vec<TokenKeys>,
    /// Filled by [`sentence_features_split`] only (`features` then lacks
    /// the features of each token's word and of its neighbours' words, see
    /// [`WordScores`]): each token's [`WordSums`] if the cache had its word
    /// (zeros otherwise), and for each token it had not, the token, its
    /// word's hash and other hashes (for the cache, which then need not
    /// compute them again) and the range in `own_features` of its word's features
    /// by [`WordSums`] role: 3, 1, 3 and 1 as a neighbour at −1, −2, +1,
    /// +2, then its own.
    pub own: Vec<WordSums>,
    pub own_missing: Vec<(usize, u64, CachedHashes, std::ops::Range<usize>)>,
    pub own_features: Vec<u64>,
}

impl SentenceFeatures {
    pub fn token(&self, index: usize) -> &[u64] {
        match (self.offsets.get(index), self.offsets.get(index + 1)) {
            (Some(&start), Some(&end)) => self.features.get(start..end).unwrap_or(&[]),
            _ => &[],
        }
    }

    pub fn len(&self) -> usize {
        self.keys.len()
    }

    pub fn is_empty(&self) -> bool {
        self.keys.is_empty()
    }
}

/// The summed rows of the features of a word in each role: the word's own
/// features (those of a token that depend on its word alone: the word, its
/// lower-cased form, shape and short shape, affixes and length; 13), and
/// those it gives the tokens one and two places after and before it (the
/// window's word, lower-cased form and shape; 8), by [`WordSums`] role.
pub type WordSums = [[i32; TAGS.len()]; 5];

/// The [`WordSums`] by word, for one model: a token whose words (its own
/// and its four neighbours') were met before (most are) costs five lookups
/// instead of 21 hashes and 21 row reads far apart in the table (of about
/// 40). The sums are whole
/// numbers, so adding the cached sum to the other rows' gives the same
/// score as adding every row (see `Model::transition_scores`). Each entry
/// keeps its word's text, compared on a hit: a word whose hash collides
/// with a cached one's is never given the other's sums.
#[derive(Debug, Default)]
pub struct WordScores {
    /// Word hash → (where its text is in `text`, its length, the sums,
    /// and the word's other hashes: see [`CachedHashes`]).
    map: KeyMap<(u32, u32, WordSums, CachedHashes)>,
    text: String,
    /// The model the sums are of (`Model::id`).
    model: u64,
}

/// The hashes of a cached word besides its `hash_str`: of its lower-cased
/// form, and its [`shape_hashes`] (functions of the word's text, which a
/// hit compares, so the same as computed afresh; `features_of` then
/// hashes a cached word once, not four times).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct CachedHashes {
    lower: u64,
    shape: u64,
    short: u64,
}

impl CachedHashes {
    /// Computed as `features_of` computes them (`buffer` is scratch).
    #[cfg(test)]
    fn of(word: &str, buffer: &mut String) -> Self {
        buffer.clear();
        let WordHashes { lower, shape, short, .. } = word_hashes(word, None, buffer);
        CachedHashes { lower, shape, short }
    }
}

/// A cached word's sums and other hashes.
pub type CachedWord<'a> = (&'a WordSums, CachedHashes);

impl WordScores {
    /// Entries kept at most: then the cache starts afresh. Seven eighths
    /// of 65,536, so that the map never grows past 65,536 slots (about 14
    /// MB); the 2,225 BBC stories have about 40,000 distinct words.
    const LIMIT: usize = 7 << 13;

    /// Forgets every entry unless they are of `model`'s rows.
    pub fn for_model(&mut self, model: u64) {
        if self.model != model {
            self.clear();
            self.model = model;
        }
    }

    fn clear(&mut self) {
        self.map.clear();
        self.text.clear();
    }

    /// The sums of `word` (whose `hash_str` is `hash`), if cached.
    #[cfg(test)]
    pub fn get(&self, hash: u64, word: &str) -> Option<&WordSums> {
        self.get_with_hashes(hash, word).map(|(sums, _)| sums)
    }

    /// The sums and the other hashes of `word` (whose `hash_str` is
    /// `hash`), if cached.
    #[inline]
    pub fn get_with_hashes(&self, hash: u64, word: &str) -> Option<CachedWord<'_>> {
        let (start, length, sums, hashes) = self.map.get(&hash)?;
        let (start, length) = (*start as usize, *length as usize);
        (self.text.get(start..start + length) == Some(word)).then_some((sums, *hashes))
    }

    /// [`WordScores::insert_hashed`] with the hashes computed here.
    #[cfg(test)]
    pub fn insert(&mut self, hash: u64, word: &str, sums: WordSums) {
        let hashes = CachedHashes::of(word, &mut String::new());
        self.insert_hashed(hash, word, sums, hashes);
    }

    /// Remembers the sums of `word` and its other `hashes` (as
    /// `features_of` computed them: `SentenceFeatures::own_missing`). A
    /// word whose hash another word already holds is not cached (its sums
    /// are computed each time).
    pub fn insert_hashed(&mut self, hash: u64, word: &str, sums: WordSums, hashes: CachedHashes) {
        if self.map.len() >= Self::LIMIT || self.text.len() + word.len() > u32::MAX as usize {
            self.clear();
        }
        if let std::collections::hash_map::Entry::Vacant(entry) = self.map.entry(hash) {
            let start = self.text.len();
            self.text.push_str(word);
            entry.insert((start as u32, word.len() as u32, sums, hashes));
        }
    }

    pub fn len(&self) -> usize {
        self.map.len()
    }

    pub fn is_empty(&self) -> bool {
        self.map.is_empty()
    }
}

/// Computes the static features of a sentence into `out`.
pub fn sentence_features(
    words: &[&str],
    sentence_index: usize,
    gazetteer: &Gazetteer,
    context: &DocumentContext,
    out: &mut SentenceFeatures,
) {
    let mut scratch = FeatureScratch::default();
    sentence_features_with(words, sentence_index, gazetteer, context, &mut scratch, out);
}

/// The per-sentence buffers of [`sentence_features_with`], kept by a caller
/// that computes many sentences' features (the tagger keeps one per thread)
/// so that they are allocated once, not for every sentence.
#[derive(Debug, Default)]
pub struct FeatureScratch {
    word_hash: Vec<u64>,
    lower_hash: Vec<u64>,
    shape_hash: Vec<u64>,
    short_hash: Vec<u64>,
    /// Every lower-cased word, one after the other, and where each is.
    lowered: String,
    spans: Vec<std::ops::Range<usize>>,
    marks: Vec<u32>,
    /// Split: whether each token's word was not cached.
    missing: Vec<bool>,
}

/// [`sentence_features`] with buffers that outlive the call.
pub fn sentence_features_with(
    words: &[&str],
    sentence_index: usize,
    gazetteer: &Gazetteer,
    context: &DocumentContext,
    scratch: &mut FeatureScratch,
    out: &mut SentenceFeatures,
) {
    features_of::<false>(words, sentence_index, gazetteer, context, scratch, None, out);
}

/// [`sentence_features_with`] but the features of each token's word and
/// of its neighbours' words (see [`WordScores`]) are left out of
/// `out.features`: their scores are in `out.own` if `cache` has the word,
/// and otherwise the word's features are in `out.own_features` (see
/// `out.own_missing`), for the caller to score and cache. The same
/// features, in another order. (Past the sentence's ends the neighbours'
/// features are padding, in `out.features`.)
pub fn sentence_features_split(
    words: &[&str],
    sentence_index: usize,
    gazetteer: &Gazetteer,
    context: &DocumentContext,
    scratch: &mut FeatureScratch,
    cache: &WordScores,
    out: &mut SentenceFeatures,
) {
    features_of::<true>(words, sentence_index, gazetteer, context, scratch, Some(cache), out);
}

/// Both: `SPLIT` says whether the own features go apart.
fn features_of<const SPLIT: bool>(
    words: &[&str],
    sentence_index: usize,
    gazetteer: &Gazetteer,
    context: &DocumentContext,
    scratch: &mut FeatureScratch,
    cache: Option<&WordScores>,
    out: &mut SentenceFeatures,
) {
    use template as t;
    out.features.clear();
    out.offsets.clear();
    out.keys.clear();
    out.own.clear();
    out.own_missing.clear();
    out.own_features.clear();
    // About 40 features a token: reserved at once rather than grown.
    out.features.reserve(words.len() * 44);
    out.offsets.reserve(words.len() + 1);
    out.keys.reserve(words.len());
    let shouted = context.is_shouted(sentence_index, words);
    let numeric = numeric_share(words);
    let FeatureScratch {
        word_hash,
        lower_hash,
        shape_hash,
        short_hash,
        lowered,
        spans,
        marks: gazetteer_marks,
        missing,
    } = scratch;
    // Each hash array has two `PAD`s before the sentence's first token and
    // two after its last (the features of a neighbour past either end), so
    // token `i`'s window `i − 2 ..= i + 2` is `array[i..i + 5]`.
    const PAD: u64 = 0x5eed;
    for buffer in [&mut *word_hash, &mut *lower_hash, &mut *shape_hash, &mut *short_hash] {
        buffer.clear();
        buffer.reserve(words.len() + 4);
        buffer.extend([PAD; 2]);
    }
    lowered.clear();
    spans.clear();
    missing.clear();
    for word in words {
        let start = lowered.len();
        // Split: the word's `hash_str`, and a cached word's sums and its
        // other hashes.
        let (hash, cached) = match cache {
            Some(cache) if SPLIT => {
                let hash = hash_str(word);
                (Some(hash), cache.get_with_hashes(hash, word))
            }
            _ => (None, None),
        };
        if SPLIT {
            match cached {
                Some((sums, _)) => out.own.push(*sums),
                None => out.own.push([[0; TAGS.len()]; 5]),
            }
            missing.push(cached.is_none());
        }
        let hashes = if let (Some(word_hash), Some((_, hashes))) = (hash, cached) {
            append_lowered(word, lowered);
            let CachedHashes { lower, shape, short } = hashes;
            WordHashes { word: word_hash, lower, shape, short }
        } else {
            word_hashes(word, hash, lowered)
        };
        word_hash.push(hashes.word);
        lower_hash.push(hashes.lower);
        shape_hash.push(hashes.shape);
        out.keys.push(TokenKeys {
            lower: hashes.lower,
            short_shape: hashes.short,
            capitalised: is_capitalised(word),
        });
        spans.push(start..lowered.len());
        short_hash.push(hashes.short);
    }
    for buffer in [&mut *word_hash, &mut *lower_hash, &mut *shape_hash, &mut *short_hash] {
        buffer.extend([PAD; 2]);
    }
    gazetteer.matches_lowered_into(lowered, spans, gazetteer_marks);
    let (word_hash, lower_hash, shape_hash, short_hash) =
        (&word_hash[..], &lower_hash[..], &shape_hash[..], &short_hash[..]);
    // The five hashes of token `i`'s window, at −2, −1, 0, +1, +2.
    let window = |hashes: &[u64], i: usize| -> [u64; 5] {
        hashes.get(i..i + 5).and_then(|window| window.try_into().ok()).unwrap_or([PAD; 5])
    };
    // `mix(lower[i − 1], lower[i])`: the left bigram's value at `i`, the
    // right one's at `i − 1`, so computed once.
    let mut bigram = mix(PAD, window(lower_hash, 0)[2]);
    // A token's features, gathered here and appended at once (pushing each
    // into the vector re-read and re-stored its length every time). Never
    // zeroed again: only the first `count` are read.
    let mut buffer = [0u64; MOST_FEATURES];
    // `mix(TABULAR_GAZETTEER, mix(bit, value))` for this sentence's value.
    let tabular_gazetteer = TABULAR_GAZETTEER.get((context.tabular * 8 + numeric) as usize);
    for i in 0..words.len() {
        out.offsets.push(out.features.len());
        let [_, word_m1, word_0, word_p1, _] = window(word_hash, i);
        let [lower_m2, lower_m1, lower_0, lower_p1, lower_p2] = window(lower_hash, i);
        let [_, shape_m1, shape_0, shape_p1, _] = window(shape_hash, i);
        let [short_m2, short_m1, short_0, short_p1, short_p2] = window(short_hash, i);
        let mut count = 0;
        macro_rules! put {
            ($feature:expr) => {{
                let feature = $feature;
                if let Some(slot) = buffer.get_mut(count) {
                    *slot = feature;
                    count += 1;
                }
            }};
        }
        // Split: whether this token's word's features are needed (it is
        // not cached); they go to `own_features`, by role.
        let own_needed = !SPLIT || missing.get(i).copied().unwrap_or(true);
        if SPLIT && own_needed {
            let start = out.own_features.len();
            let hashes = CachedHashes { lower: lower_0, shape: shape_0, short: short_0 };
            out.own_missing.push((i, word_0, hashes, start..start));
            // As the neighbour at −1, −2, +1, +2 of another token
            // (the features below, at those tokens).
            out.own_features.extend([
                mix(t::WORD_LEFT, word_0),
                mix(t::LOWER[1], lower_0),
                mix(t::SHAPE[0], shape_0),
                mix(t::LOWER[0], lower_0),
                mix(t::WORD_RIGHT, word_0),
                mix(t::LOWER[3], lower_0),
                mix(t::SHAPE[2], shape_0),
                mix(t::LOWER[4], lower_0),
            ]);
        }
        // Whether a neighbour's features are its word's (split: left out)
        // rather than padding.
        let from_word = |delta: isize| {
            SPLIT && i.checked_add_signed(delta).is_some_and(|index| index < words.len())
        };
        // Pushes one of the token's own features (in place when not split).
        macro_rules! own {
            ($feature:expr) => {
                if SPLIT {
                    out.own_features.push($feature);
                } else {
                    put!($feature);
                }
            };
        }
        put!(mix(t::BIAS, 0));
        if own_needed {
            own!(mix(t::WORD, word_0));
        }
        if !from_word(-1) {
            put!(mix(t::WORD_LEFT, word_m1));
        }
        if !from_word(1) {
            put!(mix(t::WORD_RIGHT, word_p1));
        }
        if !from_word(-2) {
            put!(mix(t::LOWER[0], lower_m2));
        }
        if !from_word(-1) {
            put!(mix(t::LOWER[1], lower_m1));
        }
        if own_needed {
            own!(mix(t::LOWER[2], lower_0));
        }
        if !from_word(1) {
            put!(mix(t::LOWER[3], lower_p1));
        }
        if !from_word(2) {
            put!(mix(t::LOWER[4], lower_p2));
        }
        put!(mix(
            t::SHAPE_WINDOW,
            mix(short_m2, mix(short_m1, mix(short_0, mix(short_p1, short_p2)))),
        ));
        if !from_word(-1) {
            put!(mix(t::SHAPE[0], shape_m1));
        }
        if own_needed {
            own!(mix(t::SHAPE[1], shape_0));
        }
        if !from_word(1) {
            put!(mix(t::SHAPE[2], shape_p1));
        }
        if own_needed {
            own!(mix(t::SHORT_SHAPE, short_0));
        }
        put!(mix(t::SHAPE_TRIGRAM, mix(shape_m1, mix(shape_0, shape_p1))));
        put!(mix(t::WORD_SHAPE_LEFT, mix(lower_m1, shape_0)));
        put!(mix(t::WORD_SHAPE_RIGHT, mix(shape_0, lower_p1)));
        put!(mix(t::BIGRAM_LEFT, bigram));
        bigram = mix(lower_0, lower_p1);
        put!(mix(t::BIGRAM_RIGHT, bigram));
        let text = spans.get(i).and_then(|span| lowered.get(span.clone())).unwrap_or("");
        let characters;
        if !own_needed {
            // The affixes and the length are own features.
            characters = 0;
        } else if text.is_ascii() {
            // One byte a character: the prefixes' hashes grow byte by byte.
            characters = text.len();
            let bytes = text.as_bytes();
            let mut prefix = FNV_OFFSET;
            for length in 1..=4.min(characters) {
                prefix = hash_bytes(prefix, &bytes[length - 1..length]);
                own!(mix(t::PREFIX + length as u64, prefix));
                own!(mix(
                    t::SUFFIX + length as u64,
                    hash_bytes(FNV_OFFSET, &bytes[characters - length..]),
                ));
            }
        } else {
            characters = text.chars().count();
            let mut prefix_ends = text.char_indices().map(|(at, _)| at).skip(1).chain([text.len()]);
            let mut suffix_starts = text.char_indices().rev().map(|(at, _)| at);
            for length in 1..=4.min(characters) {
                let prefix = prefix_ends.next().and_then(|end| text.get(..end)).unwrap_or("");
                let suffix = suffix_starts.next().and_then(|start| text.get(start..)).unwrap_or("");
                own!(mix(t::PREFIX + length as u64, hash_str(prefix)));
                own!(mix(t::SUFFIX + length as u64, hash_str(suffix)));
            }
        }
        if i == 0 {
            put!(mix(t::FIRST, shape_0));
        }
        put!(POSITIONS[i.min(3)]);
        if own_needed {
            own!(mix(t::LENGTH, characters.min(12) as u64));
            if SPLIT && let Some((_, _, _, range)) = out.own_missing.last_mut() {
                range.end = out.own_features.len();
            }
        }
        put!(mix(t::NUMERIC_SHARE, mix(numeric, short_0)));
        put!(mix(t::TABULAR, mix(context.tabular, short_0)));
        put!(mix(t::SENTENCE_INDEX, mix(sentence_index.min(2) as u64, short_0)));
        if shouted {
            put!(mix(t::SHOUTED, shape_0));
        }
        let capitalised = out.keys.get(i).is_some_and(|keys| keys.capitalised);
        if capitalised && context.lowercase.contains(&lower_0) {
            put!(mix(t::ALSO_LOWER, u64::from(i == 0 || shouted)));
        }
        if capitalised
            && (i == 0 || shouted)
            && let Some(&form) = context.mid_sentence_form.get(&lower_0)
        {
            put!(mix(t::CAPITALISED_ELSEWHERE, 1));
            if shouted {
                put!(mix(t::DOCUMENT_FORM, form));
            }
        }
        for (slot, delta) in [-1isize, 0, 1].iter().enumerate() {
            let marks = i
                .checked_add_signed(*delta)
                .and_then(|index| gazetteer_marks.get(index))
                .copied()
                .unwrap_or(0);
            // The set bits, lowest first (most tokens have none).
            let mut rest = marks & ((1 << (2 * ALL_LISTS)) - 1);
            while rest != 0 {
                let bit = rest.trailing_zeros();
                rest &= rest - 1;
                put!(GAZETTEER[slot][bit as usize % GAZETTEER_BITS]);
                let bit = u64::from(bit);
                if *delta == 0 {
                    put!(mix(t::GAZETTEER_SHAPE, mix(bit, short_0)));
                    put!(match tabular_gazetteer {
                        Some(row) => row[bit as usize % GAZETTEER_BITS],
                        None => mix(t::TABULAR_GAZETTEER, mix(bit, context.tabular * 8 + numeric)),
                    });
                }
            }
        }
        out.features.extend_from_slice(buffer.get(..count).unwrap_or(&buffer));
    }
    out.offsets.push(out.features.len());
}

/// The bits of a gazetteer match mask (two a list: whole phrase, part).
const GAZETTEER_BITS: usize = 2 * ALL_LISTS;

/// The most features a token has (the buffer of [`features_of`]): 37
/// before the gazetteer's, then for each set bit one at −1 and +1 and
/// three at the token.
const MOST_FEATURES: usize = 37 + GAZETTEER_BITS * (1 + 3 + 1);

/// `mix(GAZETTEER[slot], bit)`, computed at compile time.
const GAZETTEER: [[u64; GAZETTEER_BITS]; 3] = {
    let mut table = [[0; GAZETTEER_BITS]; 3];
    let mut slot = 0;
    while slot < 3 {
        let mut bit = 0;
        while bit < GAZETTEER_BITS {
            table[slot][bit] = mix(template::GAZETTEER[slot], bit as u64);
            bit += 1;
        }
        slot += 1;
    }
    table
};

/// `mix(TABULAR_GAZETTEER, mix(bit, tabular * 8 + numeric))` by
/// `tabular * 8 + numeric` (`tabular` 0 to 3, `numeric` 0 to 4) and bit.
const TABULAR_GAZETTEER: [[u64; GAZETTEER_BITS]; 3 * 8 + 5] = {
    let mut table = [[0; GAZETTEER_BITS]; 3 * 8 + 5];
    let mut value = 0;
    while value < table.len() {
        let mut bit = 0;
        while bit < GAZETTEER_BITS {
            table[value][bit] = mix(template::TABULAR_GAZETTEER, mix(bit as u64, value as u64));
            bit += 1;
        }
        value += 1;
    }
    table
};

/// `mix(POSITION, i)` for the token positions 0 to 3 (`i.min(3)`).
const POSITIONS: [u64; 4] = [
    mix(template::POSITION, 0),
    mix(template::POSITION, 1),
    mix(template::POSITION, 2),
    mix(template::POSITION, 3),
];

/// The number of features [`history_features`] returns.
pub const HISTORY_FEATURES: usize = 5;

/// The number of features [`transition_features`] returns.
pub const TRANSITION_FEATURES: usize = 3;

/// The features of the document's prediction history for a token: they
/// depend on the decisions about earlier sentences, not on this
/// sentence's tags, so the Viterbi decoder scores them once per token.
/// Only capitalised words have a history: the features of any other word
/// are those of `TokenKeys::default()` (the decoder relies on it).
pub fn history_features(keys: TokenKeys, history: &PredictionHistory) -> [u64; HISTORY_FEATURES] {
    let [majority, share, shape] = history.features(keys);
    let [document_majority, document_share] = history.document_features(keys);
    [majority, share, shape, document_majority, document_share]
}

/// The first-order features of a token: the previous token's tag alone,
/// with the token's word and with its shape. Each is the hash of a block of
/// rows, one per previous tag (the tag is the offset of the row within the
/// block, [`START`](crate::model::START) at the sentence start), so that
/// the decoder's lookups for all previous tags are adjacent in memory. The
/// first does not depend on the token (the decoder looks it up once).
#[inline]
pub fn transition_features(keys: TokenKeys) -> [u64; TRANSITION_FEATURES] {
    use template as t;
    [
        mix(t::PREVIOUS_TAG, 0),
        mix(t::PREVIOUS_TAG_WORD, keys.lower),
        mix(t::PREVIOUS_TAG_SHAPE, keys.short_shape),
    ]
}

/// What the tagger has said so far in this document about each
/// capitalised word: how often it was tagged as each entity type (or `O`).
/// Ratinov and Roth's "extended prediction history": a name tagged `ORG`
/// in an unambiguous context earlier in the story is probably `ORG` in an
/// ambiguous one later.
#[derive(Debug, Default)]
pub struct PredictionHistory {
    counts: KeyMap<[u32; 5]>,
    /// In the second pass, the first pass's counts over the whole
    /// document, so that a later unambiguous mention informs an earlier
    /// ambiguous one too.
    document: Option<KeyMap<[u32; 5]>>,
}

impl PredictionHistory {
    /// Records the tag chosen for a token.
    pub fn record(&mut self, keys: TokenKeys, tag: usize) {
        if keys.capitalised
            && let Some(count) = self.counts.entry(keys.lower).or_default().get_mut(tag.div_ceil(2))
        {
            *count += 1;
        }
    }

    /// A fresh history for the second pass over a document, carrying the
    /// first pass's counts (`self`) as the document's.
    pub fn second_pass(self) -> PredictionHistory {
        PredictionHistory { counts: KeyMap::default(), document: Some(self.counts) }
    }

    fn document_features(&self, keys: TokenKeys) -> [u64; 2] {
        use template as t;
        let Some(document) = &self.document else { return [mix(t::DOCUMENT_NONE, 0); 2] };
        match document.get(&keys.lower) {
            Some(counts) if keys.capitalised => {
                let (majority, share) = majority(counts);
                [mix(t::DOCUMENT_MAJORITY, majority), mix(t::DOCUMENT_SHARE, majority * 8 + share)]
            }
            _ => [mix(t::DOCUMENT_NONE, 1); 2],
        }
    }

    fn features(&self, keys: TokenKeys) -> [u64; 3] {
        use template as t;
        let counts = match self.counts.get(&keys.lower) {
            Some(counts) if keys.capitalised => counts,
            _ => return [mix(t::HISTORY_NONE, 0); 3],
        };
        let (majority, share) = majority(counts);
        [
            mix(t::HISTORY_MAJORITY, majority),
            mix(t::HISTORY_SHARE, majority * 8 + share),
            mix(t::HISTORY_SHAPE, mix(majority, keys.short_shape)),
        ]
    }
}

/// The most frequent type (0 = `O`) among `counts`, and its share in
/// quarters.
fn majority(counts: &[u32; 5]) -> (u64, u64) {
    let total: u32 = counts.iter().sum();
    let (majority, most) = counts
        .iter()
        .enumerate()
        .fold((0, 0), |best, (kind, &count)| if count > best.1 { (kind, count) } else { best });
    (majority as u64, u64::from((most * 4).checked_div(total).unwrap_or(0)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shapes() {
        assert_eq!(shape("Xinhua"), "Xxxxxx");
        assert_eq!(short_shape(&shape("Xinhua")), "Xx");
        assert_eq!(short_shape(&shape("U.S.")), "X.X.");
        assert_eq!(short_shape(&shape("1996-08-22")), "d-d-d");
        assert_eq!(shape(""), "");
    }

    #[test]
    fn shape_hashes_are_the_hashes_of_the_shape_strings() {
        for word in [
            "Xinhua",
            "U.S.",
            "1996-08-22",
            "",
            "Zürich",
            "ÉCOLE",
            "٣٤",
            "a\u{300}b",
            "Tsimshatsui-Kowloon",
        ] {
            let shape = shape(word);
            assert_eq!(
                shape_hashes(word),
                (hash_str(&shape), hash_str(&short_shape(&shape))),
                "{word:?}"
            );
        }
    }

    #[test]
    fn ascii_word_hashes_are_the_general_ones() {
        for word in
            ["Xinhua", "U.S.", "1996-08-22", "", "Tsimshatsui-Kowloon", "abcdefghijklmnopq", "AAA"]
        {
            let mut lowered = String::from("before ");
            let (shape, short) = shape_hashes(word);
            let expected = WordHashes {
                word: hash_str(word),
                lower: hash_str(&word.to_lowercase()),
                shape,
                short,
            };
            assert_eq!(ascii_word_hashes(word, &mut lowered), expected, "{word:?}");
            assert_eq!(lowered, format!("before {}", word.to_lowercase()));
        }
    }

    #[test]
    fn key_maps_find_what_was_put_in() {
        let mut map = KeyMap::default();
        for key in 0..1000u64 {
            map.insert(hash_str(&key.to_string()), key);
        }
        assert_eq!(map.len(), 1000);
        assert_eq!(map.get(&hash_str("417")), Some(&417));
        assert_eq!(map.get(&hash_str("1000")), None);
    }

    #[test]
    fn features_are_per_token_and_deterministic() {
        let gazetteer = Gazetteer::default();
        let sentences = vec![vec!["Peter", "met", "EU", "officials"]];
        let context = DocumentContext::new(&sentences);
        let mut first = SentenceFeatures::default();
        sentence_features(&sentences[0], 0, &gazetteer, &context, &mut first);
        assert_eq!(first.len(), 4);
        assert!(first.token(0).len() > 10);
        assert!(first.token(4).is_empty());
        let mut second = SentenceFeatures::default();
        sentence_features(&sentences[0], 0, &gazetteer, &context, &mut second);
        assert_eq!(first.features, second.features);
    }

    #[test]
    fn reused_buffers_give_the_features_of_fresh_ones() {
        let mut gazetteer = Gazetteer::default();
        gazetteer.add("New York", 0);
        gazetteer.add("Peter", 2);
        let sentences = vec![
            vec!["PETER", "VISITS", "NEW", "YORK"],
            vec!["Peter", "Smith", "flew", "to", "New", "York", "on", "Monday", "."],
            vec![],
            vec!["Zürich", "ÉCOLE", "new", "york"],
        ];
        let context = DocumentContext::new(&sentences);
        let mut scratch = FeatureScratch::default();
        let mut reused = SentenceFeatures::default();
        for (index, words) in sentences.iter().enumerate().chain(sentences.iter().enumerate()) {
            sentence_features_with(words, index, &gazetteer, &context, &mut scratch, &mut reused);
            let mut fresh = SentenceFeatures::default();
            sentence_features(words, index, &gazetteer, &context, &mut fresh);
            assert_eq!(reused.features, fresh.features, "{words:?}");
            assert_eq!(reused.offsets, fresh.offsets);
            assert_eq!(reused.len(), words.len());
        }
    }

    /// The split features of a token plus its word's own features and its
    /// neighbours' words' features in their roles (with nothing cached) are
    /// the full features, in another order; a cached word's features are
    /// left out and its sums given instead.
    #[test]
    fn split_features_are_the_full_ones_apart() {
        let mut gazetteer = Gazetteer::default();
        gazetteer.add("New York", 0);
        let sentences = vec![
            vec!["PETER", "VISITS", "NEW", "YORK"],
            vec!["Peter", "flew", "to", "New", "York", ",", "Peter", "said", "."],
            vec![],
            vec!["Zürich"],
            vec!["ÉCOLE", "new", "york", "Tsimshatsui-Kowloon", "a\u{300}b", "1-0"],
        ];
        let context = DocumentContext::new(&sentences);
        let mut scratch = FeatureScratch::default();
        let (mut full, mut split) = (SentenceFeatures::default(), SentenceFeatures::default());
        let york = [[7; TAGS.len()]; 5];
        for cached in [false, true] {
            let mut cache = WordScores::default();
            if cached {
                cache.insert(hash_str("York"), "York", york);
            }
            for (index, words) in sentences.iter().enumerate() {
                sentence_features(words, index, &gazetteer, &context, &mut full);
                sentence_features_split(
                    words,
                    index,
                    &gazetteer,
                    &context,
                    &mut scratch,
                    &cache,
                    &mut split,
                );
                assert_eq!(split.len(), words.len());
                assert_eq!(split.own.len(), words.len());
                // Each token's word's features by role, where not cached.
                let mut roles = vec![None; words.len()];
                for (token, hash, _, range) in &split.own_missing {
                    assert_eq!(*hash, hash_str(words[*token]));
                    let features = &split.own_features[range.clone()];
                    // 8 as a neighbour; the word, lower-cased, shape, short
                    // shape, length, and up to four prefixes and suffixes.
                    let characters = words[*token].to_lowercase().chars().count();
                    assert_eq!(features.len(), 8 + 5 + 2 * characters.min(4), "{words:?}");
                    roles[*token] = Some(features);
                }
                for (token, word) in words.iter().enumerate() {
                    if cached && *word == "York" {
                        assert_eq!(split.own[token], york);
                        assert!(roles[token].is_none());
                        continue;
                    }
                    assert_eq!(split.own[token], [[0; TAGS.len()]; 5]);
                    let Some(own) = roles[token] else { panic!("{word:?} not scored") };
                    let mut got = split.token(token).to_vec();
                    got.extend_from_slice(&own[8..]);
                    let mut complete = true;
                    for (neighbour, part) in [
                        (token.checked_sub(1), 0..3),
                        (token.checked_sub(2), 3..4),
                        (Some(token + 1), 4..7),
                        (Some(token + 2), 7..8),
                    ] {
                        match neighbour.and_then(|neighbour| roles.get(neighbour)) {
                            Some(Some(features)) => got.extend_from_slice(&features[part]),
                            Some(None) => complete = false,
                            None => {}
                        }
                    }
                    let mut expected = full.token(token).to_vec();
                    if complete {
                        expected.sort_unstable();
                        got.sort_unstable();
                        assert_eq!(got, expected, "{word:?} in {words:?}");
                    } else {
                        // Beside the cached York: its features as a
                        // neighbour (3 or 1) are left out.
                        assert!(cached && got.len() < expected.len(), "{word:?}");
                    }
                }
            }
        }
    }

    /// The features as first written: strings built per token (the shape,
    /// the lower-cased word, each affix) and hashed, every window position
    /// looked up with bounds, pushed one by one.
    fn reference_features(
        words: &[&str],
        sentence_index: usize,
        gazetteer: &Gazetteer,
        context: &DocumentContext,
    ) -> Vec<Vec<u64>> {
        use template as t;
        // Lower-cased character by character (unlike `str::to_lowercase`, no
        // final sigma: `ΣΟΣ` → `σοσ`).
        let lowered: Vec<String> =
            words.iter().map(|word| word.chars().flat_map(char::to_lowercase).collect()).collect();
        let word_hash: Vec<u64> = words.iter().map(|word| hash_str(word)).collect();
        let lower_hash: Vec<u64> = lowered.iter().map(|word| hash_str(word)).collect();
        let shape_hash: Vec<u64> = words.iter().map(|word| hash_str(&shape(word))).collect();
        let short_hash: Vec<u64> =
            words.iter().map(|word| hash_str(&short_shape(&shape(word)))).collect();
        let (mut text, mut spans) = (String::new(), Vec::new());
        for word in &lowered {
            let start = text.len();
            text.push_str(word);
            spans.push(start..text.len());
        }
        let mut marks = Vec::new();
        gazetteer.matches_lowered_into(&text, &spans, &mut marks);
        let shouted = is_shouted(words);
        let numeric = numeric_share(words);
        let at = |hashes: &[u64], index: isize| {
            usize::try_from(index)
                .ok()
                .and_then(|index| hashes.get(index))
                .copied()
                .unwrap_or(0x5eed)
        };
        let mut all = Vec::new();
        for (i, word) in words.iter().enumerate() {
            let s = i as isize;
            let mut f = vec![mix(t::BIAS, 0), mix(t::WORD, word_hash[i])];
            f.push(mix(t::WORD_LEFT, at(&word_hash, s - 1)));
            f.push(mix(t::WORD_RIGHT, at(&word_hash, s + 1)));
            for (slot, delta) in [-2isize, -1, 0, 1, 2].into_iter().enumerate() {
                f.push(mix(t::LOWER[slot], at(&lower_hash, s + delta)));
            }
            let short = |delta| at(&short_hash, s + delta);
            f.push(mix(
                t::SHAPE_WINDOW,
                mix(short(-2), mix(short(-1), mix(short(0), mix(short(1), short(2))))),
            ));
            for (slot, delta) in [-1isize, 0, 1].into_iter().enumerate() {
                f.push(mix(t::SHAPE[slot], at(&shape_hash, s + delta)));
            }
            f.push(mix(t::SHORT_SHAPE, short_hash[i]));
            let shape = |delta| at(&shape_hash, s + delta);
            let lower = |delta| at(&lower_hash, s + delta);
            f.push(mix(t::SHAPE_TRIGRAM, mix(shape(-1), mix(shape(0), shape(1)))));
            f.push(mix(t::WORD_SHAPE_LEFT, mix(lower(-1), shape(0))));
            f.push(mix(t::WORD_SHAPE_RIGHT, mix(shape(0), lower(1))));
            f.push(mix(t::BIGRAM_LEFT, mix(lower(-1), lower(0))));
            f.push(mix(t::BIGRAM_RIGHT, mix(lower(0), lower(1))));
            let characters: Vec<char> = lowered[i].chars().collect();
            for length in 1..=4.min(characters.len()) {
                let prefix: String = characters[..length].iter().collect();
                let suffix: String = characters[characters.len() - length..].iter().collect();
                f.push(mix(t::PREFIX + length as u64, hash_str(&prefix)));
                f.push(mix(t::SUFFIX + length as u64, hash_str(&suffix)));
            }
            if i == 0 {
                f.push(mix(t::FIRST, shape_hash[i]));
            }
            f.push(mix(t::POSITION, i.min(3) as u64));
            f.push(mix(t::LENGTH, characters.len().min(12) as u64));
            f.push(mix(t::NUMERIC_SHARE, mix(numeric, short_hash[i])));
            f.push(mix(t::TABULAR, mix(context.tabular, short_hash[i])));
            f.push(mix(t::SENTENCE_INDEX, mix(sentence_index.min(2) as u64, short_hash[i])));
            if shouted {
                f.push(mix(t::SHOUTED, shape_hash[i]));
            }
            let capitalised = word.chars().next().is_some_and(char::is_uppercase);
            if capitalised && context.lowercase.contains(&lower_hash[i]) {
                f.push(mix(t::ALSO_LOWER, u64::from(i == 0 || shouted)));
            }
            if capitalised
                && (i == 0 || shouted)
                && let Some(&form) = context.mid_sentence_form.get(&lower_hash[i])
            {
                f.push(mix(t::CAPITALISED_ELSEWHERE, 1));
                if shouted {
                    f.push(mix(t::DOCUMENT_FORM, form));
                }
            }
            for (slot, delta) in [-1isize, 0, 1].into_iter().enumerate() {
                let marks = usize::try_from(s + delta)
                    .ok()
                    .and_then(|index| marks.get(index))
                    .copied()
                    .unwrap_or(0);
                for bit in 0..2 * ALL_LISTS as u64 {
                    if marks & (1 << bit) != 0 {
                        f.push(mix(t::GAZETTEER[slot], bit));
                        if delta == 0 {
                            f.push(mix(t::GAZETTEER_SHAPE, mix(bit, short_hash[i])));
                            f.push(mix(
                                t::TABULAR_GAZETTEER,
                                mix(bit, context.tabular * 8 + numeric),
                            ));
                        }
                    }
                }
            }
            all.push(f);
        }
        all
    }

    /// Words of every kind: ASCII and not, empty, digits, punctuation, long,
    /// capitalised, in capitals, combining marks, letters that lower-case
    /// to more bytes or to several characters.
    const ODD_WORDS: [&str; 32] = [
        "Peter",
        "New",
        "York",
        "said",
        ".",
        ",",
        "1996-08-22",
        "3.5",
        "",
        "Zürich",
        "ÉCOLE",
        "٣٤",
        "a\u{300}b",
        "İstanbul",
        "ǅemal",
        "Tsimshatsui-Kowloon",
        "abcdefghijklmnopq",
        "U.S.",
        "AAA",
        "\u{0}",
        "--",
        "O'Neill",
        "McDONALD",
        "ß",
        "ΣΊΣΥΦΟΣ",
        "東京",
        "x",
        "X",
        "1-0",
        "$",
        "\"",
        "new",
    ];

    /// The optimised features (padded windows, the bigram's mix shared by
    /// neighbours, a token's features gathered then appended, positions from
    /// a table) are the reference's, in the same order, on sentences of
    /// every length made of odd words, with a gazetteer and a document.
    #[test]
    fn features_are_the_reference_ones() {
        let mut gazetteer = Gazetteer::default();
        gazetteer.add("New York", 0);
        gazetteer.add("Peter", 2);
        gazetteer.add("Zürich", 1);
        gazetteer.add("york", 3);
        // The trained lists' bits too, and phrases that overlap.
        for (entry, bit) in [("new", 11), ("said", 7), ("peter said", 4), ("u.s.", 9), ("x x", 10)]
        {
            gazetteer.add(entry, bit);
        }
        // A small deterministic generator: sentences of 0 to 12 words.
        let mut state = 0x2545_f491_4f6c_dd1du64;
        let mut next = move |bound: usize| (crate::xorshift(&mut state) % bound as u64) as usize;
        for _ in 0..60 {
            let sentences: Vec<Vec<&str>> = (0..1 + next(6))
                .map(|_| (0..next(13)).map(|_| ODD_WORDS[next(ODD_WORDS.len())]).collect())
                .collect();
            let context = DocumentContext::new(&sentences);
            let mut scratch = FeatureScratch::default();
            let mut out = SentenceFeatures::default();
            for (index, words) in sentences.iter().enumerate() {
                sentence_features_with(words, index, &gazetteer, &context, &mut scratch, &mut out);
                let expected = reference_features(words, index, &gazetteer, &context);
                assert_eq!(out.len(), words.len());
                for (token, features) in expected.iter().enumerate() {
                    assert_eq!(out.token(token), &features[..], "{token} of {words:?}");
                }
            }
        }
        // Shouted sentences and a document form.
        let sentences = vec![
            vec!["NEW", "YORK", "BEAT", "PETER", "1-0"],
            vec!["Then", "Peter", "met", "new", "people", "in", "York"],
        ];
        let context = DocumentContext::new(&sentences);
        let mut out = SentenceFeatures::default();
        for (index, words) in sentences.iter().enumerate() {
            sentence_features(words, index, &gazetteer, &context, &mut out);
            let expected = reference_features(words, index, &gazetteer, &context);
            for (token, features) in expected.iter().enumerate() {
                assert_eq!(out.token(token), &features[..], "{token} of {words:?}");
            }
        }
    }

    #[test]
    fn feature_tables_hold_the_mixes() {
        use template as t;
        for bit in 0..GAZETTEER_BITS {
            for (row, template) in GAZETTEER.iter().zip(t::GAZETTEER) {
                assert_eq!(row[bit], mix(template, bit as u64));
            }
            for tabular in 0..4u64 {
                for numeric in 0..5u64 {
                    let value = tabular * 8 + numeric;
                    assert_eq!(
                        TABULAR_GAZETTEER[value as usize][bit],
                        mix(t::TABULAR_GAZETTEER, mix(bit as u64, value))
                    );
                }
            }
        }
        for (position, &feature) in POSITIONS.iter().enumerate() {
            assert_eq!(feature, mix(t::POSITION, position as u64));
        }
    }

    /// A cached word's hashes are those computed afresh (`features_of`'s
    /// full path), for every kind of word.
    #[test]
    fn cached_hashes_are_the_computed_ones() {
        // Filled as the tagger fills it: with the hashes `features_of`
        // computed for the words it had not cached.
        let mut cache = WordScores::default();
        let words: Vec<&str> =
            ODD_WORDS.iter().chain(&["ΣΟΣ", "Ǆ", "MiXeD-123_case", "éé"]).copied().collect();
        let mut missed = SentenceFeatures::default();
        sentence_features_split(
            &words,
            0,
            &Gazetteer::default(),
            &DocumentContext::new(std::slice::from_ref(&words)),
            &mut FeatureScratch::default(),
            &WordScores::default(),
            &mut missed,
        );
        for (token, hash, hashes, _) in &missed.own_missing {
            cache.insert_hashed(*hash, words[*token], [[1; TAGS.len()]; 5], *hashes);
        }
        for word in &words {
            let hash = hash_str(word);
            let Some((_, hashes)) = cache.get_with_hashes(hash, word) else {
                panic!("{word:?} not cached")
            };
            let (shape, short) = shape_hashes(word);
            let expected =
                CachedHashes { lower: lower_hash(word, &mut String::new()), shape, short };
            assert_eq!(hashes, expected, "{word:?}");
            assert_eq!(
                hashes.lower,
                hash_str(&word.chars().flat_map(char::to_lowercase).collect::<String>())
            );
            assert_eq!(hashes.shape, hash_str(&super::shape(word)));
        }
        // And the split features of words met before are the features of
        // words not met (the cache changes where they are, not what).
        let sentences = vec![ODD_WORDS.to_vec(), ODD_WORDS.iter().rev().copied().collect()];
        let context = DocumentContext::new(&sentences);
        let gazetteer = Gazetteer::default();
        let mut scratch = FeatureScratch::default();
        let (mut fresh, mut again) = (SentenceFeatures::default(), SentenceFeatures::default());
        for (index, words) in sentences.iter().enumerate() {
            let empty = WordScores::default();
            sentence_features_split(
                words,
                index,
                &gazetteer,
                &context,
                &mut scratch,
                &empty,
                &mut fresh,
            );
            sentence_features_split(
                words,
                index,
                &gazetteer,
                &context,
                &mut scratch,
                &cache,
                &mut again,
            );
            assert_eq!(fresh.keys.len(), again.keys.len());
            for (a, b) in fresh.keys.iter().zip(&again.keys) {
                assert_eq!(
                    (a.lower, a.short_shape, a.capitalised),
                    (b.lower, b.short_shape, b.capitalised)
                );
            }
            // Every word is cached: given its sums, and at each token the
            // same features left (the words' own go apart either way).
            assert_eq!(again.own_missing.len(), 0, "{words:?}");
            assert_eq!(
                again.own.iter().filter(|sums| **sums == [[1; TAGS.len()]; 5]).count(),
                words.len()
            );
            for token in 0..words.len() {
                let (full, cached) = (fresh.token(token), again.token(token));
                assert_eq!(full, cached, "{token} of {words:?}");
            }
        }
    }

    #[test]
    fn letter_case_is_by_characters() {
        for word in ODD_WORDS.iter().chain(&["aÉ", "ÉCOLEs", "1é", "A1", "é", "É-a", "1-0", "Ab"])
        {
            let expected =
                (word.chars().any(char::is_alphabetic), word.chars().any(char::is_lowercase));
            assert_eq!(letter_case(word), expected, "{word:?}");
        }
    }

    #[test]
    fn word_scores_keep_each_words_own_sums() {
        let mut cache = WordScores::default();
        cache.for_model(1);
        let sums = |value| [[value; TAGS.len()]; 5];
        cache.insert(42, "alpha", sums(1));
        // Another word with the same hash is neither given alpha's sums
        // nor cached.
        assert_eq!(cache.get(42, "beta"), None);
        cache.insert(42, "beta", sums(2));
        assert_eq!(cache.get(42, "alpha"), Some(&sums(1)));
        assert_eq!(cache.get(42, "beta"), None);
        assert_eq!(cache.get(43, "alpha"), None);
        cache.insert(43, "gamma", sums(3));
        assert_eq!(cache.len(), 2);
        cache.for_model(1);
        assert_eq!(cache.get(43, "gamma"), Some(&sums(3)));
        // Another model's rows: forgotten.
        cache.for_model(2);
        assert!(cache.is_empty());
        assert_eq!(cache.get(42, "alpha"), None);
        // Full: starts afresh.
        for index in 0..WordScores::LIMIT as u64 + 1 {
            cache.insert(index, &index.to_string(), sums(0));
        }
        assert_eq!(cache.len(), 1);
        assert_eq!(
            cache.get(WordScores::LIMIT as u64, &WordScores::LIMIT.to_string()),
            Some(&sums(0))
        );
    }

    #[test]
    fn words_not_capitalised_have_the_default_history() {
        let (paris, bank) = (hash_str("paris"), hash_str("bank"));
        let mut history = PredictionHistory::default();
        for (lower, capitalised, tag) in [(paris, true, 5), (paris, true, 5), (bank, false, 3)] {
            history.record(TokenKeys { lower, short_shape: 7, capitalised }, tag);
        }
        let default = |history: &PredictionHistory| history_features(TokenKeys::default(), history);
        let keys = |capitalised| TokenKeys { lower: paris, short_shape: 7, capitalised };
        for pass in 0..2 {
            assert_eq!(history_features(keys(false), &history), default(&history));
            assert_ne!(history_features(keys(true), &history), default(&history));
            if pass == 0 {
                history = history.second_pass();
            }
        }
    }

    #[test]
    fn lower_hashes_and_shouting_as_defined() {
        let mut lower = String::new();
        for word in ["Xinhua", "U.S.", "", "ZÜRICH", "İstanbul", "a\u{300}B", "123"] {
            assert_eq!(lower_hash(word, &mut lower), hash_str(&word.to_lowercase()), "{word:?}");
        }
        // At least four in five of the words with a letter are in capitals.
        let is_all_caps = |word: &str| {
            word.chars().any(char::is_alphabetic) && !word.chars().any(char::is_lowercase)
        };
        let reference = |words: &[&str]| {
            let letters = words.iter().filter(|word| word.chars().any(char::is_alphabetic)).count();
            letters > 0 && words.iter().filter(|word| is_all_caps(word)).count() * 5 >= letters * 4
        };
        for words in [
            &["LEICESTERSHIRE", "BEAT", "SURREY"][..],
            &["LEICESTERSHIRE", "beat", "SURREY"],
            &["ÉCOLE", "ÉTÉ", "A", "B", "c"],
            &["ÉCOLE", "Été", "A", "B", "C", "1-0"],
            &["1-0", "2-1", "."],
            &[],
        ] {
            assert_eq!(is_shouted(words), reference(words), "{words:?}");
        }
        assert!(is_shouted(&["ÉCOLE", "ÉTÉ", "A", "B", "c"]));
        assert!(!is_shouted(&["1-0", "."]));
    }

    #[test]
    fn headlines_learn_from_the_rest_of_the_document() {
        let sentences = vec![vec!["LEICESTERSHIRE", "WIN"], vec!["Then", "Leicestershire", "won"]];
        let context = DocumentContext::new(&sentences);
        assert!(context.mid_sentence_form.contains_key(&hash_str("leicestershire")));
        assert!(context.lowercase.contains(&hash_str("won")));
        assert!(!context.lowercase.contains(&hash_str("win")));
        assert!(context.is_shouted(0, &sentences[0]));
        assert!(!context.is_shouted(1, &sentences[1]));
        // Not the document's sentence: computed, not remembered.
        assert!(context.is_shouted(1, &["BBC", "NEWS"]));
        assert!(!context.is_shouted(7, &["Then", "won"]));
    }

    #[test]
    fn empty_and_odd_input() {
        let mut out = SentenceFeatures::default();
        let context = DocumentContext::new(&[]);
        sentence_features(&[], 0, &Gazetteer::default(), &context, &mut out);
        assert!(out.is_empty());
        sentence_features(&["", "é", "\u{0}"], 1, &Gazetteer::default(), &context, &mut out);
        assert_eq!(out.len(), 3);
    }
}
