//! The model: a hashed weight table, the Viterbi decoder, and the file
//! format.
//!
//! Weights live in a table of `2^bits` rows of [`TAGS`] columns; a feature
//! hash picks a row. At run time the weights are 16-bit integers with one
//! scale factor (half the memory of `f32`, so more of the table stays in
//! cache; the averaged weights lose nothing measurable to the rounding).
//! The file is `DLNER2\n`, then little-endian `u32` bits, `u32` tags, `f32`
//! scale and the `i16` weights, gzip-compressed. (`DLNER1` was the greedy
//! decoder's: the same layout, but its tag features were hashed
//! differently, so its files are refused.)
//!
//! Tagging is bound by reads of rows all over the 19 MB table, so the
//! loaded table asks the kernel for 2 MB pages (see `huge_page_vec`),
//! and a bitmap of its non-zero rows (91 % of rows are zero) lets the
//! decoder read one cached zero row, or skip a block, instead.
//!
//! The build targets baseline x86-64 (four floats a vector), and a token
//! has nine tags: the decoder's hot loops (the Viterbi step, the transition
//! blocks, the static sums) also exist compiled for AVX2, chosen at run
//! time where the processor has it (`simd`, `Model::avx2`). Both versions
//! do the same operations in the same order lane by lane, so the output is
//! the same bit for bit; tests compare them on random inputs and on the
//! committed model over CoNLL-2003 eng.testa.

use std::io::{Read, Write};

use anyhow::{Context, bail};

use self::simd::Avx2;
use crate::features::{
    PredictionHistory, SentenceFeatures, TokenKeys, WordScores, history_features,
    transition_features,
};

/// The tags, IOB2: `O`, then `B-` and `I-` of each type.
pub const TAGS: [&str; 9] =
    ["O", "B-PER", "I-PER", "B-ORG", "I-ORG", "B-LOC", "I-LOC", "B-MISC", "I-MISC"];

/// The tag index of the start of the sentence, for the tag features.
pub const START: usize = TAGS.len();

pub fn tag_index(tag: &str) -> usize {
    TAGS.iter().position(|known| *known == tag).unwrap_or(0)
}

/// Whether `tag` may follow `previous`: `I-X` only after `B-X` or `I-X`.
pub const fn allowed(previous: usize, tag: usize) -> bool {
    tag == 0
        || tag % 2 == 1
        || (previous != 0 && previous != START && previous.div_ceil(2) == tag.div_ceil(2))
}

const MAGIC: &[u8] = b"DLNER2\n";

/// Anything that scores a tag for a feature hash.
pub trait Weights {
    /// Adds the row `offset` rows after the feature's own (wrapping
    /// around the table).
    fn add_row_at(&self, feature: u64, offset: usize, scores: &mut [f32; TAGS.len()]);

    #[inline]
    fn add_row(&self, feature: u64, scores: &mut [f32; TAGS.len()]) {
        self.add_row_at(feature, 0, scores);
    }

    /// A token's scores after each previous tag ([`START`] included):
    /// `base` (its static and history scores), plus the previous tag's
    /// row of `by_previous`, plus the rows of its other transition
    /// features, added in that order.
    fn transition_scores(
        &self,
        base: &[f32; TAGS.len()],
        by_previous: &[[f32; TAGS.len()]; TAGS.len() + 1],
        keys: TokenKeys,
    ) -> [[f32; TAGS.len()]; TAGS.len() + 1] {
        let mut all = [*base; TAGS.len() + 1];
        let features = transition_features(keys);
        for (previous, scores) in all.iter_mut().enumerate() {
            for (score, transition) in scores.iter_mut().zip(&by_previous[previous]) {
                *score += transition;
            }
            for &feature in &features[1..] {
                self.add_row_at(feature, previous, scores);
            }
        }
        all
    }
}

/// The run-time model.
#[derive(Clone, Debug)]
pub struct Model {
    bits: u32,
    scale: f32,
    weights: Vec<i16>,
    /// The training data's entity phrases: (phrase hash, mask of
    /// [`TRAINED_LISTS`](crate::gazetteer::TRAINED_LISTS) types), hashes only.
    phrases: Vec<(u64, u8)>,
    /// One bit per row: whether it holds a weight other than zero (most
    /// rows are all zero), and an all-zero row. The static scores read
    /// the zero row instead of an all-zero one: the same sum, from a line
    /// already in cache instead of one far in the table.
    nonzero: Vec<u64>,
    zero_row: usize,
    /// See [`Model::id`].
    id: u64,
    /// Whether the decoder's hot loops may use AVX2 (see [`simd`]): some
    /// where the processor has it; the tests turn it off to compare the
    /// two paths.
    avx2: Option<Avx2>,
}

#[inline]
pub fn row(feature: u64, bits: u32) -> usize {
    (feature >> (64 - bits)) as usize
}

/// The row `offset` rows after the feature's own, wrapping around.
#[inline]
pub fn row_at(feature: u64, offset: usize, bits: u32) -> usize {
    (row(feature, bits) + offset) & ((1usize << bits) - 1)
}

impl Weights for Model {
    #[inline]
    fn add_row_at(&self, feature: u64, offset: usize, scores: &mut [f32; TAGS.len()]) {
        let start = row_at(feature, offset, self.bits) * TAGS.len();
        if let Some(row) = self.weights.get(start..start + TAGS.len()) {
            for (score, weight) in scores.iter_mut().zip(row) {
                *score += f32::from(*weight);
            }
        }
    }

    /// The same sums as the trait's, in another order: a transition
    /// feature's rows for every previous tag are adjacent, so each is
    /// added as one run of 90 weights (which the compiler vectorises), and
    /// `base` last. The order cannot change a score: the weights are whole
    /// numbers, and a token's score sums fewer than 200 of them, each of
    /// magnitude at most 2^15, so every partial sum is a whole number
    /// below 2^24, which an `f32` holds exactly.
    #[inline]
    fn transition_scores(
        &self,
        base: &[f32; TAGS.len()],
        by_previous: &[[f32; TAGS.len()]; TAGS.len() + 1],
        keys: TokenKeys,
    ) -> [[f32; TAGS.len()]; TAGS.len() + 1] {
        let mut all = *by_previous;
        self.add_transition_blocks(keys, &mut all);
        for scores in &mut all {
            for (score, base) in scores.iter_mut().zip(base) {
                *score += base;
            }
        }
        all
    }
}

/// The weights of a transition block: one row per previous tag,
/// [`START`] included.
const BLOCK: usize = TAGS.len() * (TAGS.len() + 1);

/// A transition feature's block of weights ([`Model::block`]).
enum Block<'a> {
    /// All zero (a word training never saw here): it adds nothing, and
    /// its four cache lines are not read.
    Zero,
    Weights(&'a [i16; BLOCK]),
    /// Across the end of the table: its rows are read one by one
    /// ([`Weights::add_row_at`] wraps around).
    Wraps,
}

/// A token's scores after each previous tag ([`START`] included) from its
/// transition features alone: the same in both passes, so the tagger
/// computes them once per document (see [`Model::transition_scores_into`]).
pub type TransitionScores = [[f32; TAGS.len()]; TAGS.len() + 1];

impl Model {
    /// The scores of the first transition feature (the previous tag alone,
    /// the same block for every token), by previous tag.
    pub fn by_previous(&self) -> TransitionScores {
        let mut by_previous = [[0f32; TAGS.len()]; TAGS.len() + 1];
        let [tag_block, ..] = transition_features(TokenKeys::default());
        for (previous, scores) in by_previous.iter_mut().enumerate() {
            self.add_row_at(tag_block, previous, scores);
        }
        by_previous
    }

    /// [`static_scores`] of a sentence, appended to `out`. The rows are
    /// summed as integers and converted once: the same numbers, as every
    /// partial sum is a whole number an `f32` holds exactly (see
    /// [`Model::transition_scores`]), with fewer instructions per row.
    pub fn static_scores_into(
        &self,
        sentence: &SentenceFeatures,
        out: &mut Vec<[f32; TAGS.len()]>,
    ) {
        out.reserve(sentence.len());
        for index in 0..sentence.len() {
            let mut sums = [0i32; TAGS.len()];
            self.add_rows(sentence.token(index), &mut sums);
            out.push(sums.map(|sum| sum as f32));
        }
    }

    /// [`Model::static_scores_into`] of a sentence from
    /// [`sentence_features_split`](crate::features::sentence_features_split):
    /// each token's rows added to the sums of its word's own features and
    /// of its neighbours' words' features as its neighbours (`sentence.own`,
    /// which [`Model::own_scores`] filled in for the words not cached).
    /// The same whole numbers in another order, so the same scores.
    pub fn split_static_scores_into(
        &self,
        sentence: &SentenceFeatures,
        out: &mut Vec<[f32; TAGS.len()]>,
    ) {
        #[cfg(target_arch = "x86_64")]
        if let Some(avx2) = self.avx2 {
            // SAFETY: an `Avx2` exists only where the processor has AVX2.
            unsafe { self.split_static_scores_avx2(avx2, sentence, out) };
            return;
        }
        self.split_static_scores_with(sentence, out);
    }

    /// [`Model::split_static_scores_into`] compiled for AVX2: the same
    /// code (integer sums, exact in any order), whose row additions the
    /// compiler then does eight `i32` lanes at a time.
    #[cfg(target_arch = "x86_64")]
    #[target_feature(enable = "avx2")]
    fn split_static_scores_avx2(
        &self,
        _: Avx2,
        sentence: &SentenceFeatures,
        out: &mut Vec<[f32; TAGS.len()]>,
    ) {
        self.split_static_scores_with(sentence, out);
    }

    #[inline(always)]
    fn split_static_scores_with(
        &self,
        sentence: &SentenceFeatures,
        out: &mut Vec<[f32; TAGS.len()]>,
    ) {
        out.reserve(sentence.len());
        let own = &sentence.own;
        for index in 0..sentence.len().min(own.len()) {
            let mut sums = own[index][0];
            // The word before gives its role 1 sums, the one before that
            // its role 2, the next its role 3 and the one after its role 4.
            for (role, neighbour) in [
                (1, index.checked_sub(1)),
                (2, index.checked_sub(2)),
                (3, Some(index + 1)),
                (4, Some(index + 2)),
            ] {
                if let Some(word) = neighbour.and_then(|neighbour| own.get(neighbour)) {
                    for (sum, add) in sums.iter_mut().zip(&word[role]) {
                        *sum += add;
                    }
                }
            }
            self.add_rows(sentence.token(index), &mut sums);
            out.push(sums.map(|sum| sum as f32));
        }
    }

    /// The summed rows of the words' features the cache did not have
    /// (`sentence.own_missing`) by role, into `sentence.own`, and into
    /// `cache`.
    pub fn own_scores(
        &self,
        words: &[&str],
        sentence: &mut SentenceFeatures,
        cache: &mut WordScores,
    ) {
        for (token, hash, hashes, range) in &sentence.own_missing {
            let features = sentence.own_features.get(range.clone()).unwrap_or(&[]);
            // Roles 1 to 4 (as a neighbour): 3, 1, 3 and 1 features; then
            // role 0, the word's own.
            let (neighbour, own) = features.split_at(features.len().min(8));
            let mut sums = [[0i32; TAGS.len()]; 5];
            for (role, part) in [(1, 0..3), (2, 3..4), (3, 4..7), (4, 7..8)] {
                self.add_rows(neighbour.get(part).unwrap_or(&[]), &mut sums[role]);
            }
            self.add_rows(own, &mut sums[0]);
            if let Some(own) = sentence.own.get_mut(*token) {
                *own = sums;
            }
            if let Some(word) = words.get(*token) {
                cache.insert_hashed(*hash, word, sums, *hashes);
            }
        }
    }

    /// Adds the rows of `features` to `sums`, reading the zero row for an
    /// all-zero one (see [`Model::nonzero`]).
    #[inline(always)]
    fn add_rows(&self, features: &[u64], sums: &mut [i32; TAGS.len()]) {
        // The table as rows: one bounds check a row, not two.
        let (rows, _) = self.weights.as_chunks::<{ TAGS.len() }>();
        for &feature in features {
            let row = row(feature, self.bits);
            let row = if self.is_nonzero(row) { row } else { self.zero_row };
            if let Some(row) = rows.get(row) {
                for (sum, weight) in sums.iter_mut().zip(row) {
                    *sum += i32::from(*weight);
                }
            }
        }
    }

    /// Tells models apart for caches of their scores ([`WordScores`]):
    /// unique to this model and its clones.
    pub fn id(&self) -> u64 {
        self.id
    }

    /// Each token's [`TransitionScores`], appended to `out`: `by_previous`
    /// (from [`Model::by_previous`]) plus the blocks of the token's other
    /// transition features, as [`Model::transition_scores`] adds them
    /// before the token's base scores (and to the same numbers).
    pub fn transition_scores_into(
        &self,
        by_previous: &TransitionScores,
        keys: &[TokenKeys],
        out: &mut Vec<TransitionScores>,
    ) {
        #[cfg(target_arch = "x86_64")]
        if let Some(avx2) = self.avx2 {
            // SAFETY: an `Avx2` exists only where the processor has AVX2.
            unsafe { self.transition_scores_avx2(avx2, by_previous, keys, out) };
            return;
        }
        self.transition_scores_with(by_previous, keys, out);
    }

    /// [`Model::transition_scores_into`] compiled for AVX2 (the same code;
    /// the compiler converts and adds eight weights at a time).
    #[cfg(target_arch = "x86_64")]
    #[target_feature(enable = "avx2")]
    fn transition_scores_avx2(
        &self,
        _: Avx2,
        by_previous: &TransitionScores,
        keys: &[TokenKeys],
        out: &mut Vec<TransitionScores>,
    ) {
        self.transition_scores_with(by_previous, keys, out);
    }

    #[inline(always)]
    fn transition_scores_with(
        &self,
        by_previous: &TransitionScores,
        keys: &[TokenKeys],
        out: &mut Vec<TransitionScores>,
    ) {
        // Filled in place: a token's scores are 360 bytes, and building
        // them on the stack to push them cost a copy each. Zeroed for the
        // whole sentence at once (one `memset`), then each token's written
        // in one pass: `by_previous` plus its non-zero blocks, in that
        // order, as `add_transition_blocks` adds them (no copy of
        // `by_previous` first, then a pass per block).
        let start = out.len();
        out.resize(start + keys.len(), [[0.0; TAGS.len()]; TAGS.len() + 1]);
        let by_previous = by_previous.as_flattened();
        for (all, &keys) in out[start..].iter_mut().zip(keys) {
            let [_, features @ ..] = transition_features(keys);
            let mut blocks: [Option<&[i16; BLOCK]>; 2] = [None; 2];
            let mut wraps = false;
            for (block, feature) in blocks.iter_mut().zip(features) {
                match self.block(feature) {
                    Block::Zero => {}
                    Block::Weights(weights) => *block = Some(weights),
                    Block::Wraps => wraps = true,
                }
            }
            let flat = all.as_flattened_mut();
            match blocks {
                // A block across the end of the table: row by row.
                _ if wraps => {
                    flat.copy_from_slice(by_previous);
                    self.add_transition_blocks(keys, all);
                }
                [None, None] => flat.copy_from_slice(by_previous),
                [Some(block), None] | [None, Some(block)] => {
                    for ((score, previous), weight) in flat.iter_mut().zip(by_previous).zip(block) {
                        *score = previous + f32::from(*weight);
                    }
                }
                [Some(first), Some(second)] => {
                    for (((score, previous), first), second) in
                        flat.iter_mut().zip(by_previous).zip(first).zip(second)
                    {
                        *score = (previous + f32::from(*first)) + f32::from(*second);
                    }
                }
            }
        }
    }

    /// Adds the blocks of a token's transition features but the first
    /// (which [`Model::by_previous`] holds) to `all`.
    #[inline]
    fn add_transition_blocks(&self, keys: TokenKeys, all: &mut TransitionScores) {
        for &feature in &transition_features(keys)[1..] {
            match self.block(feature) {
                Block::Zero => {}
                Block::Weights(block) => {
                    for (score, weight) in all.as_flattened_mut().iter_mut().zip(block) {
                        *score += f32::from(*weight);
                    }
                }
                Block::Wraps => {
                    for (previous, scores) in all.iter_mut().enumerate() {
                        self.add_row_at(feature, previous, scores);
                    }
                }
            }
        }
    }

    /// The block of a transition feature: its rows for every previous
    /// tag, one after the other in the table.
    #[inline]
    fn block(&self, feature: u64) -> Block<'_> {
        let first = row(feature, self.bits);
        match self.weights.get(first * TAGS.len()..).and_then(<[i16]>::first_chunk) {
            Some(_) if self.block_is_zero(first) => Block::Zero,
            Some(weights) => Block::Weights(weights),
            None => Block::Wraps,
        }
    }

    /// Whether the rows `first..=first + TAGS.len()` (a transition block)
    /// are all zero: the block's eleven-or-fewer bits of the bitmap, read
    /// as one window of the two words they may straddle. The same answer
    /// as asking [`Model::is_nonzero`] row by row (a row past the bitmap
    /// counts as non-zero there and here; a test compares every start).
    #[inline]
    fn block_is_zero(&self, first: usize) -> bool {
        let word = first / 64;
        let Some(&low) = self.nonzero.get(word) else { return false };
        let high = self.nonzero.get(word + 1).copied().unwrap_or(u64::MAX);
        let window = (u128::from(high) << 64 | u128::from(low)) >> (first % 64);
        window & ((1 << (TAGS.len() + 1)) - 1) == 0
    }

    /// The same model on the portable loops only (see [`simd`]).
    #[cfg(test)]
    pub(crate) fn portable(mut self) -> Model {
        self.avx2 = None;
        self
    }

    /// Whether row `row` may hold a weight other than zero.
    #[inline]
    fn is_nonzero(&self, row: usize) -> bool {
        self.nonzero.get(row / 64).is_none_or(|bits| bits >> (row % 64) & 1 != 0)
    }

    /// A model with its index of all-zero rows.
    fn indexed(bits: u32, scale: f32, weights: Vec<i16>, phrases: Vec<(u64, u8)>) -> Model {
        let rows = weights.len() / TAGS.len();
        let mut nonzero = vec![0u64; rows.div_ceil(64)];
        let mut zero_row = None;
        for (index, row) in weights.chunks_exact(TAGS.len()).enumerate() {
            if row.iter().any(|&weight| weight != 0) {
                nonzero[index / 64] |= 1 << (index % 64);
            } else if zero_row.is_none() {
                zero_row = Some(index);
            }
        }
        // Without an all-zero row every row is read as it is.
        let zero_row = zero_row.unwrap_or_else(|| {
            nonzero.fill(u64::MAX);
            0
        });
        // From 1: a fresh cache (model 0) is of no model.
        static MODELS: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(1);
        let id = MODELS.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        Model { bits, scale, weights, phrases, nonzero, zero_row, id, avx2: Avx2::detect() }
    }

    /// Rounds `f32` weights to 16 bits.
    pub fn quantize(bits: u32, weights: &[f32]) -> Model {
        let largest = weights.iter().fold(0f32, |largest, weight| largest.max(weight.abs()));
        let scale = if largest > 0.0 { largest / f32::from(i16::MAX) } else { 1.0 };
        let weights = weights.iter().map(|weight| (weight / scale).round() as i16).collect();
        Model::indexed(bits, scale, weights, Vec::new())
    }

    /// Attaches the training data's entity phrases.
    pub fn with_phrases(mut self, mut phrases: Vec<(u64, u8)>) -> Model {
        phrases.sort_unstable();
        self.phrases = phrases;
        self
    }

    pub fn phrases(&self) -> &[(u64, u8)] {
        &self.phrases
    }

    pub fn scale(&self) -> f32 {
        self.scale
    }

    pub fn to_bytes(&self) -> anyhow::Result<Vec<u8>> {
        let mut raw = Vec::with_capacity(self.weights.len() * 2 + 32);
        raw.extend_from_slice(MAGIC);
        raw.extend_from_slice(&self.bits.to_le_bytes());
        raw.extend_from_slice(&(TAGS.len() as u32).to_le_bytes());
        raw.extend_from_slice(&self.scale.to_le_bytes());
        for weight in &self.weights {
            raw.extend_from_slice(&weight.to_le_bytes());
        }
        raw.extend_from_slice(&(self.phrases.len() as u32).to_le_bytes());
        for (hash, mask) in &self.phrases {
            raw.extend_from_slice(&hash.to_le_bytes());
            raw.push(*mask);
        }
        let mut encoder = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
        encoder.write_all(&raw)?;
        Ok(encoder.finish()?)
    }

    pub fn from_bytes(bytes: &[u8]) -> anyhow::Result<Model> {
        let mut raw = Vec::new();
        flate2::read::GzDecoder::new(bytes)
            .take(1 << 31)
            .read_to_end(&mut raw)
            .context("the model is not a gzip file")?;
        let Some(rest) = raw.strip_prefix(MAGIC) else { bail!("not a Dateline NER model") };
        let word = |index: usize| -> anyhow::Result<[u8; 4]> {
            rest.get(index * 4..index * 4 + 4)
                .and_then(|bytes| bytes.try_into().ok())
                .context("the model file is truncated")
        };
        let bits = u32::from_le_bytes(word(0)?);
        let tags = u32::from_le_bytes(word(1)?);
        let scale = f32::from_le_bytes(word(2)?);
        if !(8..=30).contains(&bits) || tags as usize != TAGS.len() {
            bail!("unsupported model: {bits} bits, {tags} tags");
        }
        let expected = (1usize << bits) * TAGS.len();
        let truncated = || anyhow::anyhow!("the model file is truncated");
        let body = rest.get(12..12 + expected * 2).ok_or_else(truncated)?;
        let mut weights = huge_page_vec(expected);
        // Pairs of bytes as arrays (`as_chunks`): a loop the compiler
        // vectorises whatever it inlines around it (with `chunks_exact`
        // it once fell back to a weight at a time, 60 M instructions).
        let (pairs, _) = body.as_chunks::<2>();
        weights.extend(pairs.iter().map(|&pair| i16::from_le_bytes(pair)));
        let tail = rest.get(12 + expected * 2..).ok_or_else(truncated)?;
        let count = tail.get(..4).and_then(|bytes| bytes.try_into().ok()).ok_or_else(truncated)?;
        let count = u32::from_le_bytes(count) as usize;
        let entries = tail.get(4..).unwrap_or(&[]);
        if entries.len() != count.saturating_mul(9) {
            bail!("the model's phrase table holds {} bytes, expected {}", entries.len(), count * 9);
        }
        let phrases = entries
            .chunks_exact(9)
            .map(|entry| {
                let mut hash = [0; 8];
                hash.copy_from_slice(&entry[..8]);
                (u64::from_le_bytes(hash), entry[8])
            })
            .collect();
        Ok(Model::indexed(bits, scale, weights, phrases))
    }
}

/// An empty vector with room for `length` weights whose memory the kernel
/// is asked to back with 2 MB pages where it can. The tagger reads rows
/// all over a table of about 19 MB: with 4 kB pages nearly every lookup
/// also misses the TLB (a few thousand entries cover a few MB), with 2 MB
/// pages ten entries cover the table. Only a hint: without transparent
/// huge pages (or on another system) the table is an ordinary vector.
fn huge_page_vec(length: usize) -> Vec<i16> {
    const HUGE: usize = 2 << 20;
    let mut weights: Vec<i16> = Vec::with_capacity(length + HUGE / 2);
    #[cfg(target_os = "linux")]
    {
        unsafe extern "C" {
            fn madvise(address: *mut std::ffi::c_void, length: usize, advice: i32) -> i32;
        }
        const MADV_HUGEPAGE: i32 = 14;
        let start = weights.as_mut_ptr() as usize;
        let end = start + weights.capacity() * 2;
        let aligned = start.next_multiple_of(HUGE);
        if aligned < end {
            let length = (end - aligned) / HUGE * HUGE;
            // SAFETY: the range lies inside the vector's own allocation
            // (page-aligned, not yet written); madvise only changes how the
            // kernel backs it, never its contents, and a failure (returned,
            // not raised) leaves ordinary pages.
            unsafe {
                madvise(aligned as *mut std::ffi::c_void, length, MADV_HUGEPAGE);
            }
        }
    }
    weights
}

/// Exact decoding of a sentence: the tag sequence of the highest total
/// score under first-order transitions (the features of the previous tag,
/// see [`transition_features`]), with `I-X` only after `B-X` or `I-X`.
/// The history features come from the earlier sentences only (record the
/// sentence's tags with [`record`] once it is decoded). Returns
/// the tags and, for each token, its scores for every tag given the
/// chosen previous tag (raw, in the weights' units).
pub fn viterbi(
    weights: &impl Weights,
    sentence: &SentenceFeatures,
    static_scores: &[[f32; TAGS.len()]],
    history: &PredictionHistory,
    tags: &mut Vec<usize>,
    scores_out: &mut Vec<[f32; TAGS.len()]>,
) {
    const N: usize = TAGS.len();
    tags.clear();
    scores_out.clear();
    let length = sentence.len();
    if length == 0 {
        return;
    }
    // Each token's scores before the transition features (static and
    // history), kept in `scores_out` during the forward pass; the chosen
    // path's full scores are recomputed from them after backtracking, in
    // the same order of additions, so they are the very floats the forward
    // pass compared (no table of every token × previous tag × tag).
    let mut back = vec![[0u8; N]; length];
    let mut best = [f32::NEG_INFINITY; N];
    // The first transition feature is the previous tag alone, the same
    // block for every token: looked up once.
    let mut by_previous = [[0f32; N]; N + 1];
    let [tag_block, ..] = transition_features(TokenKeys::default());
    for (previous, scores) in by_previous.iter_mut().enumerate() {
        weights.add_row_at(tag_block, previous, scores);
    }
    let with_transitions = |base: &[f32; N], keys: TokenKeys, previous: usize| {
        let mut scores = *base;
        for (score, transition) in scores.iter_mut().zip(&by_previous[previous]) {
            *score += transition;
        }
        for &feature in &transition_features(keys)[1..] {
            weights.add_row_at(feature, previous, &mut scores);
        }
        scores
    };
    for (index, back_pointers) in back.iter_mut().enumerate() {
        let keys = sentence.keys.get(index).copied().unwrap_or_default();
        let mut base = static_scores.get(index).copied().unwrap_or([0.0; N]);
        for feature in history_features(keys, history) {
            weights.add_row(feature, &mut base);
        }
        let mut next = [f32::NEG_INFINITY; N];
        let mut pointers = [0u8; N];
        let previous_tags = if index == 0 { START..START + 1 } else { 0..N };
        let all = weights.transition_scores(&base, &by_previous, keys);
        for previous in previous_tags {
            let so_far = if index == 0 { 0.0 } else { best[previous] };
            if so_far == f32::NEG_INFINITY {
                continue;
            }
            let scores = &all[previous];
            let allowed = &ALLOWED[previous];
            for (tag, score) in scores.iter().enumerate() {
                let total = so_far + score;
                if total > next[tag] && allowed[tag] {
                    next[tag] = total;
                    pointers[tag] = previous as u8;
                }
            }
        }
        scores_out.push(base);
        best = next;
        *back_pointers = pointers;
    }
    backtrack(&best, &back, length, tags);
    for (index, scores) in scores_out.iter_mut().enumerate() {
        let previous = if index == 0 { START } else { tags[index - 1] };
        let keys = sentence.keys.get(index).copied().unwrap_or_default();
        *scores = with_transitions(scores, keys, previous);
    }
}

/// The best path: the highest final score (the first tag on a tie),
/// followed back through the pointers. Shared by both decoders so they
/// break ties the same way.
fn backtrack(
    best: &[f32; TAGS.len()],
    back: &[[u8; TAGS.len()]],
    length: usize,
    tags: &mut Vec<usize>,
) {
    let mut tag = 0;
    for candidate in 1..TAGS.len() {
        if best[candidate] > best[tag] {
            tag = candidate;
        }
    }
    tags.resize(length, 0);
    for index in (0..length).rev() {
        tags[index] = tag;
        tag = back.get(index).map_or(0, |pointers| usize::from(pointers[tag]));
    }
}

/// [`viterbi`] for the run-time model, from scores computed once per
/// document: each token's static scores and its [`TransitionScores`]. The
/// same tags and scores as [`viterbi`] (a test compares them): a token's
/// score for a previous tag and a tag is a sum of whole numbers in either
/// order, exact in an `f32`, and the path sums are formed as there
/// (`best[previous] + score`). The step over the previous tags is
/// branch-free: a tag that may not follow is scored minus infinity, as is
/// every path through an unreachable previous tag, and neither can win a
/// strict comparison, so the first previous tag with the highest total
/// still wins ties, as in [`viterbi`]. The step's AVX2 version or its
/// portable one is chosen once per sentence (see [`simd`]).
#[allow(clippy::too_many_arguments)]
pub fn viterbi_cached(
    model: &Model,
    keys: &[TokenKeys],
    static_scores: &[[f32; TAGS.len()]],
    transitions: &[TransitionScores],
    history: &PredictionHistory,
    back: &mut Vec<[u8; TAGS.len()]>,
    tags: &mut Vec<usize>,
    scores_out: &mut Vec<[f32; TAGS.len()]>,
) {
    #[cfg(target_arch = "x86_64")]
    if let Some(avx2) = model.avx2 {
        // SAFETY: an `Avx2` exists only where the processor has AVX2.
        unsafe {
            viterbi_cached_avx2(
                avx2,
                model,
                keys,
                static_scores,
                transitions,
                history,
                back,
                tags,
                scores_out,
            )
        };
        return;
    }
    viterbi_cached_with(
        model,
        keys,
        static_scores,
        transitions,
        history,
        back,
        tags,
        scores_out,
        simd::step_portable,
    );
}

/// [`viterbi_cached`] compiled for AVX2, with the AVX2 step.
#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx2")]
#[allow(clippy::too_many_arguments)]
fn viterbi_cached_avx2(
    avx2: Avx2,
    model: &Model,
    keys: &[TokenKeys],
    static_scores: &[[f32; TAGS.len()]],
    transitions: &[TransitionScores],
    history: &PredictionHistory,
    back: &mut Vec<[u8; TAGS.len()]>,
    tags: &mut Vec<usize>,
    scores_out: &mut Vec<[f32; TAGS.len()]>,
) {
    viterbi_cached_with(
        model,
        keys,
        static_scores,
        transitions,
        history,
        back,
        tags,
        scores_out,
        |best, rows, base, next, pointers| avx2.step(best, rows, base, next, pointers),
    );
}

/// [`viterbi_cached`] with the Viterbi step `step` (see [`simd`]).
#[inline(always)]
#[allow(clippy::too_many_arguments)]
fn viterbi_cached_with(
    model: &Model,
    keys: &[TokenKeys],
    static_scores: &[[f32; TAGS.len()]],
    transitions: &[TransitionScores],
    history: &PredictionHistory,
    back: &mut Vec<[u8; TAGS.len()]>,
    tags: &mut Vec<usize>,
    scores_out: &mut Vec<[f32; TAGS.len()]>,
    step: impl Fn(
        &[f32; TAGS.len()],
        &TransitionScores,
        &[f32; TAGS.len()],
        &mut [f32; TAGS.len()],
        &mut [u8; TAGS.len()],
    ),
) {
    const N: usize = TAGS.len();
    tags.clear();
    scores_out.clear();
    back.clear();
    let length = keys.len().min(static_scores.len()).min(transitions.len());
    if length == 0 {
        return;
    }
    // A word not capitalised has the same history features whatever it
    // is (none: the history counts capitalised words only), so their rows
    // are summed once; whole numbers, so the sum is the same in any order.
    let mut uncapitalised = [0f32; N];
    for feature in history_features(TokenKeys::default(), history) {
        model.add_row(feature, &mut uncapitalised);
    }
    let mut best = [f32::NEG_INFINITY; N];
    for index in 0..length {
        let mut base = static_scores[index];
        if keys[index].capitalised {
            for feature in history_features(keys[index], history) {
                model.add_row(feature, &mut base);
            }
        } else {
            for (score, history) in base.iter_mut().zip(&uncapitalised) {
                *score += history;
            }
        }
        let transitions = &transitions[index];
        let mut next = [f32::NEG_INFINITY; N];
        let mut pointers = [0u8; N];
        if index == 0 {
            for tag in 0..N {
                if ALLOWED[START][tag] {
                    next[tag] = 0.0 + (transitions[START][tag] + base[tag]);
                    pointers[tag] = START as u8;
                }
            }
        } else {
            step(&best, transitions, &base, &mut next, &mut pointers);
        }
        scores_out.push(base);
        best = next;
        back.push(pointers);
    }
    backtrack(&best, back, length, tags);
    for (index, scores) in scores_out.iter_mut().enumerate() {
        let previous = if index == 0 { START } else { tags[index - 1] };
        let row = &transitions[index][previous];
        for (score, transition) in scores.iter_mut().zip(row) {
            *score += transition;
        }
    }
}

/// The Viterbi step over the previous tags, in a portable version and an
/// AVX2 one chosen at run time ([`Avx2::detect`]; the build's target stays the
/// baseline x86-64, whose vectors hold four floats, so the nine tags took
/// three vector steps where AVX2's eight-float vectors take one plus a
/// scalar one). Both versions do the same IEEE operations on the same
/// operands in the same order, lane by lane, so they give the same bits
/// (tests run both on random inputs, ties and minus infinity included).
mod simd {
    use super::{BARRIER, TAGS, TransitionScores};

    const N: usize = TAGS.len();

    /// Proof that this processor runs AVX2 code: only [`Avx2::detect`]
    /// makes one (the field is private), so the safe functions that take
    /// one may call the AVX2 versions.
    #[derive(Clone, Copy, Debug)]
    #[cfg_attr(not(target_arch = "x86_64"), allow(dead_code))]
    pub struct Avx2(());

    impl Avx2 {
        /// Some where this processor has AVX2.
        pub fn detect() -> Option<Avx2> {
            #[cfg(target_arch = "x86_64")]
            if std::arch::is_x86_feature_detected!("avx2") {
                return Some(Avx2(()));
            }
            None
        }

        /// [`step_portable`] on the AVX2 version.
        #[cfg(target_arch = "x86_64")]
        #[inline]
        pub fn step(
            self,
            best: &[f32; N],
            rows: &TransitionScores,
            base: &[f32; N],
            next: &mut [f32; N],
            pointers: &mut [u8; N],
        ) {
            // SAFETY: an `Avx2` exists only where `detect` found AVX2.
            unsafe { step_avx2(best, rows, base, next, pointers) };
        }
    }

    /// [`step_portable`], or its AVX2 version where there is an [`Avx2`].
    #[cfg(test)]
    pub fn step(
        avx2: Option<Avx2>,
        best: &[f32; N],
        rows: &TransitionScores,
        base: &[f32; N],
        next: &mut [f32; N],
        pointers: &mut [u8; N],
    ) {
        #[cfg(target_arch = "x86_64")]
        if let Some(avx2) = avx2 {
            avx2.step(best, rows, base, next, pointers);
            return;
        }
        let _ = avx2;
        step_portable(best, rows, base, next, pointers);
    }

    /// One Viterbi step for a token after the first: for each tag, the
    /// best total `best[previous] + ((rows[previous][tag] + base[tag]) +
    /// BARRIER[previous][tag])` over the previous tags (not [`START`](super::START)), into
    /// `next`, and the first previous tag that reaches it (a strict
    /// comparison: a later one must be higher to win) into `pointers`.
    #[inline(always)]
    pub fn step_portable(
        best: &[f32; N],
        rows: &TransitionScores,
        base: &[f32; N],
        next: &mut [f32; N],
        pointers_out: &mut [u8; N],
    ) {
        *next = [f32::NEG_INFINITY; N];
        let mut pointers = [0u32; N];
        // Indexed (not a zip of iterators, which the compiler did not
        // unroll): every index is below the arrays' lengths.
        for previous in 0..N {
            let (row, barrier, so_far) = (&rows[previous], &BARRIER[previous], best[previous]);
            for tag in 0..N {
                let total = so_far + ((row[tag] + base[tag]) + barrier[tag]);
                let better = total > next[tag];
                next[tag] = if better { total } else { next[tag] };
                pointers[tag] = if better { previous as u32 } else { pointers[tag] };
            }
        }
        // 32-bit lanes while choosing (as wide as the scores, so the
        // compiler selects them with the same mask), bytes to keep.
        *pointers_out = pointers.map(|previous| previous as u8);
    }

    /// [`step_portable`] with tags 0 to 7 in one eight-float vector and
    /// tag 8 alone: per lane the same additions in the same order, the
    /// same ordered `>` (`_CMP_GT_OQ`: false on equality, so the first
    /// previous tag keeps a tie), the same selections.
    #[cfg(target_arch = "x86_64")]
    #[target_feature(enable = "avx2")]
    fn step_avx2(
        best: &[f32; N],
        rows: &TransitionScores,
        base: &[f32; N],
        next_out: &mut [f32; N],
        pointers_out: &mut [u8; N],
    ) {
        use std::arch::x86_64::*;
        const LAST: usize = N - 1;
        // SAFETY (each unaligned load and store below): it reads or writes
        // the first eight floats of an array of nine, or an array of eight.
        let base_low = unsafe { _mm256_loadu_ps(base.as_ptr()) };
        let mut next = _mm256_set1_ps(f32::NEG_INFINITY);
        let mut pointers = _mm256_setzero_si256();
        let (mut next_last, mut pointer_last) = (f32::NEG_INFINITY, 0u8);
        for previous in 0..N {
            let (row, barrier, so_far) = (&rows[previous], &BARRIER[previous], best[previous]);
            let (row_low, barrier_low) =
                unsafe { (_mm256_loadu_ps(row.as_ptr()), _mm256_loadu_ps(barrier.as_ptr())) };
            let total = _mm256_add_ps(
                _mm256_set1_ps(so_far),
                _mm256_add_ps(_mm256_add_ps(row_low, base_low), barrier_low),
            );
            let better = _mm256_cmp_ps::<_CMP_GT_OQ>(total, next);
            next = _mm256_blendv_ps(next, total, better);
            pointers = _mm256_blendv_epi8(
                pointers,
                _mm256_set1_epi32(previous as i32),
                _mm256_castps_si256(better),
            );
        }
        // The last tag (`I-MISC`) may follow only `B-MISC` and itself: from
        // any other previous tag its total is minus infinity (`BARRIER`;
        // the other terms are finite, or minus infinity), which never wins
        // the strict comparison, so trying those two alone, in order,
        // chooses the same.
        for previous in LAST_FROM {
            let (row, barrier, so_far) = (&rows[previous], &BARRIER[previous], best[previous]);
            let total = so_far + ((row[LAST] + base[LAST]) + barrier[LAST]);
            if total > next_last {
                next_last = total;
                pointer_last = previous as u8;
            }
        }
        let mut low = [0f32; 8];
        let mut pointers_low = [0i32; 8];
        unsafe {
            _mm256_storeu_ps(low.as_mut_ptr(), next);
            _mm256_storeu_si256(pointers_low.as_mut_ptr().cast(), pointers);
        }
        next_out[..8].copy_from_slice(&low);
        next_out[LAST] = next_last;
        for (out, previous) in pointers_out.iter_mut().zip(pointers_low) {
            *out = previous as u8;
        }
        pointers_out[LAST] = pointer_last;
    }

    /// The previous tags the last tag may follow (checked at compile time).
    #[cfg(target_arch = "x86_64")]
    const LAST_FROM: [usize; 2] = [N - 2, N - 1];
    #[cfg(target_arch = "x86_64")]
    const _: () = {
        let mut previous = 0;
        while previous < N {
            let listed = previous == LAST_FROM[0] || previous == LAST_FROM[1];
            assert!(super::ALLOWED[previous][N - 1] == listed);
            previous += 1;
        }
    };
}

/// [`ALLOWED`] as a term of a sum: 0, or minus infinity for a tag that may
/// not follow (which no finite total beats).
const BARRIER: [[f32; TAGS.len()]; TAGS.len() + 1] = {
    let mut table = [[0f32; TAGS.len()]; TAGS.len() + 1];
    let mut previous = 0;
    while previous <= TAGS.len() {
        let mut tag = 0;
        while tag < TAGS.len() {
            if !ALLOWED[previous][tag] {
                table[previous][tag] = f32::NEG_INFINITY;
            }
            tag += 1;
        }
        previous += 1;
    }
    table
};

/// [`allowed`] as a table: `ALLOWED[previous][tag]`.
const ALLOWED: [[bool; TAGS.len()]; TAGS.len() + 1] = {
    let mut table = [[false; TAGS.len()]; TAGS.len() + 1];
    let mut previous = 0;
    while previous <= TAGS.len() {
        let mut tag = 0;
        while tag < TAGS.len() {
            table[previous][tag] = allowed(previous, tag);
            tag += 1;
        }
        previous += 1;
    }
    table
};

/// Adds a decoded sentence's tags to the document's prediction history.
pub fn record(history: &mut PredictionHistory, sentence: &SentenceFeatures, tags: &[usize]) {
    for (keys, &tag) in sentence.keys.iter().zip(tags) {
        history.record(*keys, tag);
    }
}

/// The scores of each token of a sentence from its static features alone.
pub fn static_scores(
    weights: &impl Weights,
    sentence: &SentenceFeatures,
) -> Vec<[f32; TAGS.len()]> {
    (0..sentence.len())
        .map(|index| {
            let mut scores = [0f32; TAGS.len()];
            for &feature in sentence.token(index) {
                weights.add_row(feature, &mut scores);
            }
            scores
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::xorshift;

    #[test]
    fn inside_tags_only_continue_their_type() {
        assert!(allowed(START, 1));
        assert!(!allowed(START, 2));
        assert!(allowed(1, 2));
        assert!(allowed(2, 2));
        assert!(!allowed(1, 4));
        assert!(!allowed(0, 8));
        assert!(allowed(7, 8));
    }

    #[test]
    fn transition_scores_are_the_row_by_row_sums() {
        let bits = 8;
        let weights: Vec<f32> =
            (0..(1 << bits) * TAGS.len()).map(|i| ((i * 7919) % 2001) as f32 - 1000.0).collect();
        let model = Model::quantize(bits, &weights);
        let base: [f32; TAGS.len()] = std::array::from_fn(|tag| tag as f32 * 3.0 - 11.0);
        let mut by_previous = [[0f32; TAGS.len()]; TAGS.len() + 1];
        for (previous, scores) in by_previous.iter_mut().enumerate() {
            model.add_row_at(12345, previous, scores);
        }
        // Keys whose transition blocks lie inside the table, and across its end.
        for lower in (0..2000u64).map(|key| key.wrapping_mul(0x9e37_79b9_7f4a_7c15)) {
            let keys = TokenKeys { lower, short_shape: lower.rotate_left(17), capitalised: true };
            let all = model.transition_scores(&base, &by_previous, keys);
            // The tagger's (without `base`), on both paths.
            for model in [model.clone(), model.clone().portable()] {
                let mut into = Vec::new();
                model.transition_scores_into(&by_previous, &[keys, keys], &mut into);
                for (into, all) in into.iter().flatten().zip(all.iter().cycle()) {
                    let with_base: Vec<f32> = into.iter().zip(&base).map(|(a, b)| a + b).collect();
                    assert_eq!(with_base, all, "keys {keys:?}");
                }
            }
            for (previous, scores) in all.iter().enumerate() {
                let mut expected = base;
                for (score, transition) in expected.iter_mut().zip(&by_previous[previous]) {
                    *score += transition;
                }
                for &feature in &transition_features(keys)[1..] {
                    model.add_row_at(feature, previous, &mut expected);
                }
                assert_eq!(*scores, expected, "keys {keys:?}, previous {previous}");
            }
        }
    }

    /// A small random model whose weights are mostly -1, 0 or 1 (many ties
    /// between paths), random sentences, and both passes' histories: the
    /// tagger's decoder gives the very tags and scores of [`viterbi`].
    #[test]
    fn cached_decoder_matches_viterbi_ties_included() {
        let mut state = 0x2545_f491_4f6c_dd1du64;
        let mut next = move || xorshift(&mut state);
        for round in 0..60 {
            let bits = 8;
            let spread = if round % 2 == 0 { 3 } else { 2001 };
            let weights: Vec<f32> = (0..(1 << bits) * TAGS.len())
                .map(|_| (next() % spread) as f32 - (spread / 2) as f32)
                .collect();
            // Both the dispatched loops and the portable ones.
            let model = Model::quantize(bits, &weights);
            let model = if round % 4 < 2 { model } else { model.portable() };
            let sentences: Vec<SentenceFeatures> = (0..4)
                .map(|_| {
                    let length = (next() % 12) as usize;
                    let mut sentence = SentenceFeatures::default();
                    for _ in 0..length {
                        sentence.offsets.push(sentence.features.len());
                        for _ in 0..next() % 6 {
                            sentence.features.push(next());
                        }
                        // Few distinct words, so the history has counts.
                        let word = next() % 4;
                        sentence.keys.push(TokenKeys {
                            lower: word.wrapping_mul(0x9e37_79b9_7f4a_7c15),
                            short_shape: next() % 3,
                            capitalised: next() % 2 == 0,
                        });
                    }
                    sentence.offsets.push(sentence.features.len());
                    sentence
                })
                .collect();
            let by_previous = model.by_previous();
            let mut history = PredictionHistory::default();
            let (mut back, mut tags, mut scores) = (Vec::new(), Vec::new(), Vec::new());
            let (mut expected_tags, mut expected_scores) = (Vec::new(), Vec::new());
            for pass in 0..2 {
                if pass == 1 {
                    history = std::mem::take(&mut history).second_pass();
                }
                for sentence in &sentences {
                    let cached = static_scores(&model, sentence);
                    viterbi(
                        &model,
                        sentence,
                        &cached,
                        &history,
                        &mut expected_tags,
                        &mut expected_scores,
                    );
                    let mut statics = Vec::new();
                    model.static_scores_into(sentence, &mut statics);
                    assert_eq!(statics, cached);
                    let mut transitions = Vec::new();
                    model.transition_scores_into(&by_previous, &sentence.keys, &mut transitions);
                    viterbi_cached(
                        &model,
                        &sentence.keys,
                        &statics,
                        &transitions,
                        &history,
                        &mut back,
                        &mut tags,
                        &mut scores,
                    );
                    assert_eq!(tags, expected_tags, "round {round}, pass {pass}");
                    assert_eq!(scores, expected_scores, "round {round}, pass {pass}");
                    record(&mut history, sentence, &tags);
                }
            }
        }
    }

    /// The tagger's static scores (own features' sums from the cache or
    /// scored when missing, plus the other rows) are those of all the
    /// features, the cache empty, filled, and of another model.
    #[test]
    fn split_static_scores_are_the_full_ones() {
        use crate::features::{
            DocumentContext, FeatureScratch, sentence_features, sentence_features_split,
        };
        use crate::gazetteer::Gazetteer;
        let mut gazetteer = Gazetteer::default();
        gazetteer.add("New York", 0);
        gazetteer.add("Peter", 2);
        let sentences = vec![
            vec!["PETER", "VISITS", "NEW", "YORK"],
            vec!["Peter", "flew", "to", "New", "York", ",", "Peter", "said", "."],
            vec![],
            vec!["Zürich", "ÉCOLE", "new", "york", "Tsimshatsui-Kowloon", "a\u{300}b", "1-0"],
            vec!["Peter", "Peter", "peter", "Zürich", "extraordinarily"],
        ];
        let context = DocumentContext::new(&sentences);
        let mut cache = WordScores::default();
        let mut scratch = FeatureScratch::default();
        let mut state = 0x2545_f491_4f6c_dd1du64;
        for round in 0..6 {
            // Sparse weights (the zero row is read) or dense.
            let weights: Vec<f32> = (0..(1 << 10) * TAGS.len())
                .map(|_| {
                    let random = xorshift(&mut state);
                    if round % 2 == 0 && !random.is_multiple_of(3) {
                        0.0
                    } else {
                        (random % 2001) as f32 - 1000.0
                    }
                })
                .collect();
            // The dispatched loops, or the portable ones.
            let model = Model::quantize(10, &weights);
            let model = if round % 3 == 2 { model.portable() } else { model };
            // Two passes with each model: the second all from the cache.
            for _ in 0..2 {
                cache.for_model(model.id());
                for (index, words) in sentences.iter().enumerate() {
                    let mut full = SentenceFeatures::default();
                    sentence_features(words, index, &gazetteer, &context, &mut full);
                    let mut expected = Vec::new();
                    model.static_scores_into(&full, &mut expected);
                    let mut split = SentenceFeatures::default();
                    sentence_features_split(
                        words,
                        index,
                        &gazetteer,
                        &context,
                        &mut scratch,
                        &cache,
                        &mut split,
                    );
                    model.own_scores(words, &mut split, &mut cache);
                    let mut got = Vec::new();
                    model.split_static_scores_into(&split, &mut got);
                    assert_eq!(got, expected, "round {round}, {words:?}");
                }
            }
            assert!(!cache.is_empty());
        }
        // Each model its own id; a clone has the same rows, and the id.
        let model = Model::quantize(4, &[0.0; 16 * TAGS.len()]);
        assert_ne!(model.id(), Model::quantize(4, &[0.0; 16 * TAGS.len()]).id());
        assert_eq!(model.id(), model.clone().id());
    }

    /// A random float from a few whole numbers (many ties), or minus
    /// infinity now and then (an unreachable previous tag).
    fn small_float(state: &mut u64, infinities: bool) -> f32 {
        let random = xorshift(state);
        if infinities && random.is_multiple_of(11) {
            f32::NEG_INFINITY
        } else {
            (random % 7) as f32 - 3.0
        }
    }

    /// The AVX2 Viterbi step gives the very bits of the portable one
    /// (where the processor has AVX2; elsewhere both calls take the
    /// portable path and the test checks nothing new).
    #[test]
    fn simd_paths_agree_with_the_portable_ones() {
        if Avx2::detect().is_none() {
            eprintln!("simd test: no AVX2 on this processor, the portable path only");
        }
        let mut state = 0x9e37_79b9_7f4a_7c15u64;
        for round in 0..20_000 {
            let best: [f32; TAGS.len()] = std::array::from_fn(|_| small_float(&mut state, true));
            let base: [f32; TAGS.len()] =
                std::array::from_fn(|_| small_float(&mut state, false) * 1000.0);
            let rows: TransitionScores = std::array::from_fn(|_| {
                std::array::from_fn(|_| small_float(&mut state, false) * (round % 3) as f32)
            });
            let mut expected = ([0f32; TAGS.len()], [0u8; TAGS.len()]);
            simd::step(None, &best, &rows, &base, &mut expected.0, &mut expected.1);
            let mut got = ([1f32; TAGS.len()], [7u8; TAGS.len()]);
            simd::step(Avx2::detect(), &best, &rows, &base, &mut got.0, &mut got.1);
            assert_eq!(got.1, expected.1, "round {round}: {best:?} {base:?} {rows:?}");
            assert_eq!(
                got.0.map(f32::to_bits),
                expected.0.map(f32::to_bits),
                "round {round}: {best:?} {base:?} {rows:?}"
            );
            // Every path unreachable: minus infinity and the first tag.
            if best.iter().all(|&score| score == f32::NEG_INFINITY) {
                assert!(got.0.iter().all(|&score| score == f32::NEG_INFINITY));
            }
        }
    }

    /// The bitmap window of a block says what asking row by row says, at
    /// every start in the table, across words and at the end.
    #[test]
    fn block_windows_are_the_rows_bits() {
        let bits = 9;
        let rows = 1 << bits;
        for period in [3, 17, 64, 100] {
            let weights: Vec<f32> = (0..rows * TAGS.len())
                .map(|i| if (i / TAGS.len()).is_multiple_of(period) { 1.0 } else { 0.0 })
                .collect();
            let model = Model::quantize(bits, &weights);
            for first in 0..rows + 70 {
                let row_by_row = (first..first + TAGS.len() + 1).all(|row| !model.is_nonzero(row));
                assert_eq!(model.block_is_zero(first), row_by_row, "period {period}, {first}");
            }
        }
    }

    #[test]
    fn huge_page_vectors_are_empty_vectors_with_room() {
        for length in [0, 1, 9 << 20] {
            let mut weights = huge_page_vec(length);
            assert!(weights.is_empty() && weights.capacity() >= length);
            weights.extend((0..length).map(|index| index as i16));
            assert_eq!(weights.last().copied(), length.checked_sub(1).map(|last| last as i16));
        }
    }

    #[test]
    fn static_scores_skip_only_all_zero_rows() {
        let bits = 8;
        let rows = 1 << bits;
        // Runs of 16 rows with weights between runs of 48 without; and a
        // table without any all-zero row.
        let sparse: Vec<f32> = (0..rows * TAGS.len())
            .map(|i| if (i / TAGS.len() / 16) % 4 == 1 { (i % 7) as f32 - 3.0 } else { 0.0 })
            .collect();
        let dense: Vec<f32> = (0..rows * TAGS.len()).map(|i| (i % 5) as f32 + 1.0).collect();
        for weights in [sparse, dense] {
            let model = Model::quantize(bits, &weights);
            for (index, row) in model.weights.chunks_exact(TAGS.len()).enumerate() {
                let marked = model.nonzero[index / 64] >> (index % 64) & 1 != 0;
                assert!(marked || row.iter().all(|&weight| weight == 0), "row {index}");
            }
            assert!(
                model.weights[model.zero_row * TAGS.len()..][..TAGS.len()].iter().all(|&w| w == 0)
                    || model.nonzero.iter().all(|&bits| bits == u64::MAX)
            );
            let mut sentence = SentenceFeatures::default();
            for token in 0..50u64 {
                sentence.offsets.push(sentence.features.len());
                sentence
                    .features
                    .extend((0..7).map(|k| (token * 7 + k).wrapping_mul(0x9e37_79b9_7f4a_7c15)));
                sentence.keys.push(TokenKeys::default());
            }
            sentence.offsets.push(sentence.features.len());
            let mut scores = Vec::new();
            model.static_scores_into(&sentence, &mut scores);
            assert_eq!(scores, static_scores(&model, &sentence));
            assert!(scores.iter().any(|row| row.iter().any(|&score| score != 0.0)));
            // Transition blocks of zeros are skipped, the others added.
            let by_previous = model.by_previous();
            let keys: Vec<TokenKeys> = (0..3000u64)
                .map(|key| TokenKeys {
                    lower: key.wrapping_mul(0x9e37_79b9_7f4a_7c15),
                    short_shape: key % 5,
                    capitalised: false,
                })
                .collect();
            let mut transitions = Vec::new();
            model.transition_scores_into(&by_previous, &keys, &mut transitions);
            for (keys, all) in keys.iter().zip(&transitions) {
                let mut expected = by_previous;
                for &feature in &transition_features(*keys)[1..] {
                    for (previous, scores) in expected.iter_mut().enumerate() {
                        model.add_row_at(feature, previous, scores);
                    }
                }
                assert_eq!(*all, expected, "{keys:?}");
            }
        }
    }

    #[test]
    fn round_trips_through_bytes() {
        let weights: Vec<f32> = (0..(1 << 8) * TAGS.len()).map(|i| (i % 7) as f32 - 3.0).collect();
        let model = Model::quantize(8, &weights).with_phrases(vec![(7, 1), (3, 2)]);
        let back = Model::from_bytes(&model.to_bytes().unwrap()).unwrap();
        assert_eq!(back.weights, model.weights);
        assert_eq!(back.weights[0], -i16::MAX);
        assert_eq!(back.phrases(), [(3, 2), (7, 1)]);
        assert!(Model::from_bytes(b"junk").is_err());
    }
}
