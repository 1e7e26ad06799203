//! The committed tables: GeoNames places (`data/geonames.tsv.gz`, built by
//! `scripts/build-geonames.py`), nationality words and country aliases
//! (`data/countries.tsv`) and title words (`data/titles.tsv`), embedded in
//! the binary, parsed once per process and indexed by hash maps.
//!
//! The maps are looked up several times per mention (a name, each of its
//! words, with and without a plural `s`), so a lookup must be cheap: the
//! key of a short ASCII name is lower-cased into a buffer each thread
//! reuses rather than into a new `String` ([`with_key`]), and the maps hash with [`FxHasher`], a
//! multiply-rotate hash, instead of SipHash: the keys are the committed
//! tables' words, not an attacker's, and no map of this module is ever
//! iterated, so the hasher cannot change any output.

use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};
use std::io::Read;
use std::sync::{Arc, OnceLock};

use anyhow::{Context, bail};

const GEONAMES: &[u8] = include_bytes!("../data/geonames.tsv.gz");
const COUNTRIES: &str = include_str!("../data/countries.tsv");
const TITLES: &str = include_str!("../data/titles.tsv");

/// The kind of a GeoNames record, as written in `attrs.feature`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Feature {
    Country,
    /// A city that is its country's capital (written as `city`).
    Capital,
    City,
    /// A first-level division (a US state).
    Region,
    Continent,
}

impl Feature {
    pub fn as_str(self) -> &'static str {
        match self {
            Feature::Country => "country",
            Feature::Capital | Feature::City => "city",
            Feature::Region => "region",
            Feature::Continent => "continent",
        }
    }

    fn parse(text: &str) -> Option<Feature> {
        Some(match text {
            "country" => Feature::Country,
            "capital" => Feature::Capital,
            "city" => Feature::City,
            "region" => Feature::Region,
            "continent" => Feature::Continent,
            _ => return None,
        })
    }
}

/// One GeoNames record.
#[derive(Clone, Debug, PartialEq)]
pub struct Place {
    pub geonameid: u32,
    pub feature: Feature,
    pub name: String,
    /// `None` for the few countries without a city in `cities15000`.
    pub coordinates: Option<(f64, f64)>,
    /// ISO 3166-1 alpha-2; empty for continents.
    pub country: String,
    /// The first-level division as votes and qualifiers name it (`US-IL`,
    /// `GB-SCT`): the country, `-` and the GeoNames admin1 code
    /// ([`Place::admin1`]), built once when the gazetteer loads.
    pub region: String,
    pub population: u64,
}

impl Place {
    /// GeoNames admin1 code (`DC`, `77`); a US state's own code; a
    /// continent's two-letter code: [`Place::region`] after the country.
    pub fn admin1(&self) -> &str {
        self.region.get(self.country.len() + 1..).unwrap_or_default()
    }
}

/// What a nationality word or a country alias stands for.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum Nationality {
    /// An ISO 3166-1 alpha-2 code.
    Country(String),
    /// A continent or a region (`Africa`, `Middle East`).
    Region(String),
}

/// What a title word is.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct TitleWord {
    /// A title may end in it (`Minister`, `Gen.`).
    pub head: bool,
    /// It may precede a head (`Prime`, `Foreign`).
    pub modifier: bool,
    /// `Mr.`, `Mrs.`: stripped from names, never a role.
    pub honorific: bool,
}

/// A place name's candidates: indexes into [`Gazetteer::places`], and
/// whether the name is an alternate name of that place.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Candidate {
    pub place: u32,
    pub alternate: bool,
}

/// The FxHash of rustc (a rotate, a xor and a multiplication per 8 bytes):
/// several times cheaper than SipHash on short keys, with no protection
/// against chosen keys, which the committed tables do not need. Only for
/// maps that are never iterated (the order of the entries would follow
/// the hash).
#[derive(Clone, Copy, Debug, Default)]
pub struct FxHasher {
    hash: u64,
}

const FX_SEED: u64 = 0x51_7c_c1_b7_27_22_0a_95;

impl FxHasher {
    #[inline]
    fn add(&mut self, word: u64) {
        self.hash = (self.hash.rotate_left(5) ^ word).wrapping_mul(FX_SEED);
    }
}

impl Hasher for FxHasher {
    #[inline]
    fn write(&mut self, bytes: &[u8]) {
        let mut chunks = bytes.chunks_exact(8);
        for chunk in &mut chunks {
            let mut word = [0; 8];
            word.copy_from_slice(chunk);
            self.add(u64::from_le_bytes(word));
        }
        let rest = chunks.remainder();
        if !rest.is_empty() {
            let mut word = [0; 8];
            word[..rest.len()].copy_from_slice(rest);
            // The length keeps `ab` and `ab\0` apart.
            self.add(u64::from_le_bytes(word) ^ ((rest.len() as u64) << 59));
        }
    }

    #[inline]
    fn write_u8(&mut self, value: u8) {
        self.add(u64::from(value));
    }

    #[inline]
    fn write_u32(&mut self, value: u32) {
        self.add(u64::from(value));
    }

    #[inline]
    fn write_u64(&mut self, value: u64) {
        self.add(value);
    }

    #[inline]
    fn write_usize(&mut self, value: usize) {
        self.add(value as u64);
    }

    #[inline]
    fn finish(&self) -> u64 {
        self.hash
    }
}

/// A hash map with [`FxHasher`]: never to be iterated where the order
/// could reach the output.
pub type FxHashMap<K, V> = HashMap<K, V, BuildHasherDefault<FxHasher>>;

pub struct Gazetteer {
    pub places: Vec<Place>,
    /// Lower-cased name or alternate name → candidates.
    names: FxHashMap<String, Vec<Candidate>>,
    /// Alpha-2 code → the country's place.
    countries: FxHashMap<String, u32>,
    /// US state code → the state's place.
    states: FxHashMap<String, u32>,
    /// Continent name (lower case) → its place.
    continents: FxHashMap<String, u32>,
    /// Lower-cased nationality word → what it stands for.
    demonyms: FxHashMap<String, Nationality>,
    /// Lower-cased country alias (`u.s.`, `britain`) → what it names.
    aliases: FxHashMap<String, Nationality>,
    /// Lower-cased title word → its kinds and normalised form.
    titles: FxHashMap<String, (TitleWord, String)>,
}

/// Lower case, with typographic apostrophes made straight.
pub fn key(text: &str) -> String {
    // ASCII (nearly every name) lower-cases byte by byte, with the same
    // result as the general path below.
    if text.is_ascii() {
        return text.to_ascii_lowercase();
    }
    text.chars()
        .map(|c| if c == '\u{2019}' { '\'' } else { c })
        .flat_map(char::to_lowercase)
        .collect()
}

/// The longest text [`with_key`] lower-cases in its reused buffer.
const SHORT_KEY: usize = 64;

/// Calls `f` with [`key`]`(text)`. A short ASCII text (nearly every name
/// and word) is lower-cased into a buffer of the thread's, which gives the
/// same key: an ASCII character lower-cases to one ASCII character, and
/// the typographic apostrophe is not ASCII. Anything else goes through
/// [`key`].
pub fn with_key<R>(text: &str, f: impl FnOnce(&str) -> R) -> R {
    with_ascii_lowered(text, key, f)
}

/// Calls `f` with `text.to_lowercase()`, in the reused buffer for a short ASCII
/// text as [`with_key`] does (unlike [`key`], the typographic apostrophe
/// stays as it is).
pub fn with_lower<R>(text: &str, f: impl FnOnce(&str) -> R) -> R {
    with_ascii_lowered(text, str::to_lowercase, f)
}

fn with_ascii_lowered<R>(text: &str, general: fn(&str) -> String, f: impl FnOnce(&str) -> R) -> R {
    thread_local! {
        /// The buffer short ASCII keys are lower-cased into: a `String`,
        /// so that `str::make_ascii_lowercase` keeps it a `str` without the
        /// UTF-8 check a byte buffer would need on every lookup.
        static LOWERED: std::cell::RefCell<String> =
            const { std::cell::RefCell::new(String::new()) };
    }
    if text.len() > SHORT_KEY || !text.is_ascii() {
        return f(&general(text));
    }
    let lowered = LOWERED.with(|cell| match cell.try_borrow_mut() {
        Ok(mut buffer) => {
            buffer.clear();
            buffer.push_str(text);
            buffer.make_ascii_lowercase();
            Ok(f(&buffer))
        }
        // Only a lookup made from inside `f` finds the buffer taken.
        Err(_) => Err(f),
    });
    lowered.unwrap_or_else(|f| f(&general(text)))
}

impl Gazetteer {
    /// The embedded tables, parsed once per process and shared.
    pub fn embedded() -> anyhow::Result<Arc<Gazetteer>> {
        static GAZETTEER: OnceLock<Result<Arc<Gazetteer>, String>> = OnceLock::new();
        GAZETTEER
            .get_or_init(|| {
                Gazetteer::parse_embedded().map(Arc::new).map_err(|error| format!("{error:#}"))
            })
            .clone()
            .map_err(anyhow::Error::msg)
    }

    /// Parses the embedded tables afresh (for timing: [`Gazetteer::embedded`]
    /// parses them once per process and shares the result).
    pub fn parse_embedded() -> anyhow::Result<Gazetteer> {
        Gazetteer::parse(GEONAMES, COUNTRIES, TITLES)
    }

    /// Parses the three tables: gzip'd GeoNames TSV, countries, titles.
    pub fn parse(geonames_gz: &[u8], countries: &str, titles: &str) -> anyhow::Result<Gazetteer> {
        let mut text = String::with_capacity(geonames_gz.len() * 3);
        flate2::read::GzDecoder::new(geonames_gz)
            .read_to_string(&mut text)
            .context("cannot decompress the GeoNames table")?;
        let mut gazetteer = Gazetteer {
            places: Vec::with_capacity(40_000),
            names: FxHashMap::with_capacity_and_hasher(120_000, Default::default()),
            countries: FxHashMap::default(),
            states: FxHashMap::default(),
            continents: FxHashMap::default(),
            demonyms: FxHashMap::default(),
            aliases: FxHashMap::default(),
            titles: FxHashMap::default(),
        };
        for (number, line) in text.lines().enumerate() {
            gazetteer
                .add_place(line)
                .with_context(|| format!("GeoNames table, line {}", number + 1))?;
        }
        for (number, line) in countries.lines().enumerate() {
            gazetteer
                .add_country_line(line)
                .with_context(|| format!("countries table, line {}", number + 1))?;
        }
        for line in titles.lines() {
            if line.starts_with('#') || line.trim().is_empty() {
                continue;
            }
            let fields: Vec<&str> = line.split('\t').collect();
            let (Some(form), Some(kind)) = (fields.first(), fields.get(1)) else { continue };
            let normal = fields.get(2).filter(|text| !text.is_empty()).map_or(*form, |text| text);
            let entry = gazetteer
                .titles
                .entry(key(form))
                .or_insert_with(|| (TitleWord::default(), normal.to_string()));
            match *kind {
                "head" => entry.0.head = true,
                "mod" => entry.0.modifier = true,
                "honorific" => entry.0.honorific = true,
                other => bail!("titles table: unknown kind `{other}` for `{form}`"),
            }
        }
        Ok(gazetteer)
    }

    fn add_place(&mut self, line: &str) -> anyhow::Result<()> {
        let fields: Vec<&str> = line.split('\t').collect();
        let [id, feature, name, alternates, lat, lon, country, admin1, population] = fields[..]
        else {
            bail!("expected 9 fields, found {}", fields.len());
        };
        let coordinates = match (lat.parse::<f64>(), lon.parse::<f64>()) {
            (Ok(lat), Ok(lon)) => Some((lat, lon)),
            _ => None,
        };
        let index = u32::try_from(self.places.len())?;
        let mut region = String::with_capacity(country.len() + 1 + admin1.len());
        region.push_str(country);
        region.push('-');
        region.push_str(admin1);
        let place = Place {
            geonameid: id.parse().with_context(|| format!("bad geonameid `{id}`"))?,
            feature: Feature::parse(feature).with_context(|| format!("bad feature `{feature}`"))?,
            name: name.to_string(),
            coordinates,
            country: country.to_string(),
            region,
            population: population.parse().unwrap_or(0),
        };
        match place.feature {
            Feature::Country => {
                self.countries.insert(place.country.clone(), index);
            }
            Feature::Region => {
                self.states.insert(admin1.to_string(), index);
            }
            Feature::Continent => {
                self.continents.insert(key(name), index);
            }
            _ => {}
        }
        self.names.entry(key(name)).or_default().push(Candidate { place: index, alternate: false });
        for alternate in alternates.split('|').filter(|text| !text.is_empty()) {
            let candidates = self.names.entry(key(alternate)).or_default();
            if !candidates.iter().any(|candidate| candidate.place == index) {
                candidates.push(Candidate { place: index, alternate: true });
            }
        }
        self.places.push(place);
        Ok(())
    }

    fn add_country_line(&mut self, line: &str) -> anyhow::Result<()> {
        if line.starts_with('#') || line.trim().is_empty() {
            return Ok(());
        }
        let mut fields = line.split('\t');
        let code = fields.next().unwrap_or_default();
        let nationality = match code.strip_prefix('@') {
            Some(region) => Nationality::Region(region.to_string()),
            None if code.len() == 2 => Nationality::Country(code.to_string()),
            None => bail!("bad code `{code}`"),
        };
        let words = |field: Option<&str>| -> Vec<String> {
            field.unwrap_or_default().split('|').filter(|w| !w.is_empty()).map(key).collect()
        };
        for demonym in words(fields.next()) {
            self.demonyms.entry(demonym).or_insert_with(|| nationality.clone());
        }
        for alias in words(fields.next()) {
            // An alias of a place the table knows (`Britain`) also becomes a
            // place name, a country's first-class name.
            let place = match &nationality {
                Nationality::Country(code) => self.countries.get(code).copied(),
                Nationality::Region(name) => self.continents.get(&key(name)).copied(),
            };
            if let Some(place) = place {
                let candidates = self.names.entry(alias.clone()).or_default();
                if !candidates.iter().any(|candidate| candidate.place == place) {
                    candidates.insert(0, Candidate { place, alternate: false });
                }
            }
            self.aliases.entry(alias).or_insert_with(|| nationality.clone());
        }
        Ok(())
    }

    /// The places a name (any case) may stand for.
    pub fn candidates(&self, name: &str) -> &[Candidate] {
        with_key(name, |name| self.names.get(name).map_or(&[][..], Vec::as_slice))
    }

    pub fn place(&self, index: u32) -> Option<&Place> {
        self.places.get(index as usize)
    }

    pub fn country(&self, code: &str) -> Option<u32> {
        self.countries.get(code).copied()
    }

    pub fn state(&self, code: &str) -> Option<u32> {
        self.states.get(code).copied()
    }

    pub fn continent(&self, name: &str) -> Option<u32> {
        with_key(name, |name| self.continents.get(name).copied())
    }

    /// `Italian` → IT, `African` → the region Africa.
    pub fn demonym(&self, word: &str) -> Option<&Nationality> {
        with_key(word, |word| self.demonyms.get(word))
    }

    /// `U.S.`, `Britain`, `Italy` → the country (aliases and the names of
    /// countries and continents).
    pub fn nation(&self, name: &str) -> Option<Nationality> {
        with_key(name, |name| self.nation_of_key(name))
    }

    fn nation_of_key(&self, name: &str) -> Option<Nationality> {
        let name = name.strip_prefix("the ").unwrap_or(name);
        if let Some(nationality) = self.aliases.get(name) {
            return Some(nationality.clone());
        }
        self.names.get(name)?.iter().find_map(|candidate| {
            let place = self.place(candidate.place)?;
            match place.feature {
                Feature::Country if !candidate.alternate => {
                    Some(Nationality::Country(place.country.clone()))
                }
                Feature::Continent => Some(Nationality::Region(place.name.clone())),
                _ => None,
            }
        })
    }

    pub fn title_word(&self, word: &str) -> Option<(TitleWord, &str)> {
        with_key(word, |word| self.titles.get(word)).map(|(kind, normal)| (*kind, normal.as_str()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_embedded_tables_load_and_index() {
        let gazetteer = Gazetteer::embedded().unwrap();
        let tripoli: Vec<u32> = gazetteer
            .candidates("TRIPOLI")
            .iter()
            .filter(|candidate| !candidate.alternate)
            .map(|candidate| gazetteer.place(candidate.place).unwrap().geonameid)
            .collect();
        assert!(tripoli.contains(&2210247) && tripoli.contains(&266826), "{tripoli:?}");
        assert_eq!(gazetteer.nation("U.S."), Some(Nationality::Country("US".into())));
        assert_eq!(gazetteer.nation("the United States"), Some(Nationality::Country("US".into())));
        assert_eq!(gazetteer.nation("Libya"), Some(Nationality::Country("LY".into())));
        assert_eq!(gazetteer.nation("Britain"), Some(Nationality::Country("GB".into())));
        assert_eq!(gazetteer.nation("Africa"), Some(Nationality::Region("Africa".into())));
        assert_eq!(gazetteer.demonym("Italian"), Some(&Nationality::Country("IT".into())));
        assert_eq!(gazetteer.demonym("African"), Some(&Nationality::Region("Africa".into())));
        let us = gazetteer.place(gazetteer.country("US").unwrap()).unwrap();
        assert_eq!((us.geonameid, us.feature), (6252001, Feature::Country));
        let georgia = gazetteer.place(gazetteer.state("GA").unwrap()).unwrap();
        assert_eq!((georgia.name.as_str(), georgia.feature), ("Georgia", Feature::Region));
        let (word, normal) = gazetteer.title_word("gen.").unwrap();
        assert!(word.head);
        assert_eq!(normal, "General");
    }

    #[test]
    fn short_keys_are_the_keys() {
        let long = "A Very Long Place Name That Does Not Fit On The Stack Buffer At All";
        assert!(long.len() > SHORT_KEY);
        for text in
            ["TRIPOLI", "U.S.", "al-Serraj", "", "Côte d'Ivoire", "O\u{2019}Hare", "ÅLAND", long]
        {
            assert_eq!(with_key(text, str::to_string), key(text), "{text}");
        }
        for text in ["TRIPOLI", "Côte d'Ivoire", "O\u{2019}Hare", "ÅLAND", "", long] {
            assert_eq!(with_lower(text, str::to_string), text.to_lowercase(), "{text}");
        }
        assert_eq!(with_key("Gen.", str::to_string), "gen.");
        // A lookup inside a lookup finds the buffer taken and allocates.
        let nested =
            with_key("OUTER", |outer| with_key("Inner", |inner| format!("{outer} {inner}")));
        assert_eq!(nested, "outer inner");
        assert_eq!(with_key("O\u{2019}Hare", str::to_string), "o'hare");
    }

    #[test]
    fn the_fx_hasher_tells_keys_apart_and_indexes() {
        let hash = |text: &str| {
            let mut hasher = FxHasher::default();
            hasher.write(text.as_bytes());
            hasher.finish()
        };
        assert_ne!(hash("ab"), hash("ab\0"));
        assert_ne!(hash("abcdefgh"), hash("abcdefgh\0"));
        assert_ne!(hash("paris"), hash("parís"));
        assert_eq!(hash("paris"), hash("paris"));
        let mut map: FxHashMap<String, usize> = FxHashMap::default();
        for n in 0..1000 {
            map.insert(format!("name {n}"), n);
        }
        assert_eq!(map.len(), 1000);
        assert!((0..1000).all(|n| map.get(format!("name {n}").as_str()) == Some(&n)));
    }

    #[test]
    fn a_bad_table_is_an_error_with_its_line() {
        let mut gz = Vec::new();
        {
            use std::io::Write;
            let mut encoder = flate2::write::GzEncoder::new(&mut gz, flate2::Compression::fast());
            encoder
                .write_all(b"1\tcity\tA\t\t1\t2\tXX\t\t5\n2\tvillage\tB\t\t1\t2\tXX\t\t5\n")
                .unwrap();
            encoder.finish().unwrap();
        }
        let error = Gazetteer::parse(&gz, "", "").err().unwrap();
        assert_eq!(format!("{error:#}"), "GeoNames table, line 2: bad feature `village`");
    }
}
