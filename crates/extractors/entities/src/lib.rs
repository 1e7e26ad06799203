//! The `entities` extractor: who and where, beyond single mentions. It
//! runs after `ner` (and `dateline`) and adds three things to their
//! annotations.
//!
//! * **Name coreference within a document.** Every PER, ORG and LOC
//!   mention gets `attrs.entity` (`E1`, `E2`, … numbered in order of first
//!   mention) and `attrs.canonical`, the fullest name: `Serraj` and `Prime
//!   Minister Serraj` → `Fayez Serraj`; `WHO` after `World Health
//!   Organization (WHO)`; `U.S.`, `US`, `United States`, `America` → one
//!   place. The document gets a list of its entities
//!   ([`Document::entities`]), written by the JSONL exporter.
//! * **Titles and affiliations.** A `ROLE` annotation, value `{"person",
//!   "title", "country"?, "organization"?}`, for a title written before a
//!   name (`Italian Minister of Interior Marco Minniti`, `Gen. Khalifa
//!   Haftar` → `General`) or as an apposition (`Fayez Serraj, the prime
//!   minister,`); the person's entity record lists its roles. Nationality
//!   words (`Italian`, `African`) get `attrs.country` (ISO 3166-1 alpha-2)
//!   or `attrs.region`.
//! * **Geoparsing.** Every place entity, the dateline place included, is
//!   resolved where possible to a GeoNames record: `attrs.geonameid`,
//!   `lat`, `lon`, `country`, `feature` (`country`, `city`, `region`,
//!   `continent`), chosen among homonyms with population, the dateline,
//!   the countries and states the document names and the nearness of its
//!   other places ([`geo`]).
//!
//! # Design
//!
//! The reference systems each do one of these with heavy machinery: GATE's
//! OrthoMatcher (coreference by orthographic rules), CoreNLP's KBP
//! relation extractor (`per:title`), Mordecai and CLAVIN (geoparsing, with
//! an Elasticsearch or Lucene server). Here the three feed each other in
//! one pass over a document's mentions, with no server: coreference gives
//! roles their person's full name and geoparsing all the names of a
//! place; geoparsing gives roles their country; nationality words give
//! geoparsing its context.
//!
//! Everything is rules over the `ner` annotations and the tokens, and
//! table lookups: the GeoNames places (34,320 records: cities of 15,000
//! people or more, countries, US states, UK nations, continents),
//! nationality words and country aliases, title words. The tables are
//! committed under `data/`, embedded in the binary, parsed once per process
//! (0.28 s measured on a loaded two-core machine) into hash maps and shared
//! by every thread ([`Gazetteer::embedded`]).
//!
//! The `ner` model's habits are taken as they are: a nationality word is
//! MISC, `Interior` of `Minister of Interior` may be an ORG, a title may or
//! may not be inside a PER span, `Attorneys General` may be a PER. A
//! mention made only of title words is no entity; titles and honorifics
//! are stripped from a name; a one-word ORG, LOC or MISC mention that is
//! the surname of a person named in full (and names no place) joins that
//! person.
//!
//! `docs/entities.md` gives the rules in full, the evaluation and the
//! figures.

pub mod gazetteer;
pub mod geo;
pub mod mentions;
mod repair;
pub mod roles;

use std::sync::Arc;

use document::{
    Annotation, BuildContext, Component, ComponentOptions, Document, Entity, Extractor, Map,
    OptionDoc, Span, Value, json,
};
use serde::Deserialize;

use gazetteer::FxHashMap;
pub use gazetteer::{Feature, Gazetteer, Nationality, Place};
use mentions::{Label, Mention};

/// The label of title annotations.
pub const ROLE: &str = "ROLE";

/// The options of a `[[extractor]] kind = "entities"` entry.
#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct EntitiesOptions {
    pub roles: bool,
    pub geoparse: bool,
    pub nationalities: bool,
}

impl Default for EntitiesOptions {
    fn default() -> Self {
        EntitiesOptions { roles: true, geoparse: true, nationalities: true }
    }
}

impl ComponentOptions for EntitiesOptions {
    const OPTIONS: &'static [OptionDoc] = &[
        OptionDoc {
            name: "roles",
            ty: "boolean",
            default: Some("true"),
            doc: "Add ROLE annotations for titles and affiliations of people, and list them on the person's entity.",
        },
        OptionDoc {
            name: "geoparse",
            ty: "boolean",
            default: Some("true"),
            doc: "Resolve place entities and the dateline place to GeoNames records (geonameid, lat, lon, country, feature).",
        },
        OptionDoc {
            name: "nationalities",
            ty: "boolean",
            default: Some("true"),
            doc: "Give nationality words (MISC `Italian`, `African`) attrs.country or attrs.region.",
        },
    ];
}

pub struct EntitiesExtractor {
    gazetteer: Arc<Gazetteer>,
    options: EntitiesOptions,
}

impl Component for EntitiesExtractor {
    const KIND: &'static str = "entities";
    const DESCRIPTION: &'static str = "Name coreference (attrs.entity, attrs.canonical, document entities), ROLE titles, nationality words and GeoNames geoparsing; after ner and dateline";
    type Options = EntitiesOptions;

    fn build(options: EntitiesOptions, _context: &BuildContext) -> anyhow::Result<Self> {
        Ok(EntitiesExtractor { gazetteer: Gazetteer::embedded()?, options })
    }
}

impl EntitiesExtractor {
    /// An extractor with the embedded tables and the given options.
    pub fn new(options: EntitiesOptions) -> anyhow::Result<Self> {
        Ok(EntitiesExtractor { gazetteer: Gazetteer::embedded()?, options })
    }
}

/// One entity being built.
struct Built {
    label: Label,
    members: Vec<usize>,
    canonical: String,
    place: Option<u32>,
    roles: Vec<Value>,
}

/// The role parser's view of the mentions.
struct Lookup<'a> {
    mentions: &'a [Mention],
    entity_of: &'a [usize],
    entities: &'a [Built],
    gazetteer: &'a Gazetteer,
}

impl Lookup<'_> {
    /// The mention whose span covers `span` (mentions are sorted by start
    /// and rarely overlap, so the nearest few starting before it suffice).
    fn covering(&self, span: Span) -> Option<usize> {
        let after = self.mentions.partition_point(|m| m.span.start <= span.start);
        (after.saturating_sub(4)..after).rev().find(|&m| {
            self.mentions[m].span.start <= span.start && span.end <= self.mentions[m].span.end
        })
    }
}

impl roles::Context for Lookup<'_> {
    fn known(&self, span: Span) -> bool {
        self.covering(span).is_some()
    }

    fn organisation(&self, span: Span) -> Option<String> {
        let m = self.covering(span)?;
        let entity = &self.entities[self.entity_of[m]];
        (entity.label == Label::Org).then(|| entity.canonical.clone())
    }

    fn country(&self, span: Span) -> Option<String> {
        let m = self.covering(span)?;
        let entity = &self.entities[self.entity_of[m]];
        if entity.label != Label::Loc {
            return None;
        }
        if let Some(place) = entity.place.and_then(|index| self.gazetteer.place(index)) {
            return (place.feature == Feature::Country).then(|| place.country.clone());
        }
        match self.mentions[m].nation.clone() {
            Some(Nationality::Country(code)) => Some(code),
            _ => None,
        }
    }
}

impl Extractor for EntitiesExtractor {
    fn extract(&self, document: &mut Document) -> anyhow::Result<()> {
        let gazetteer = &*self.gazetteer;
        relabel_titled_names(document, gazetteer);
        repair::repair(document, gazetteer);
        let text = document.text.as_str();

        // Nationality words, and the mentions.
        let mut nationality_words: Vec<(usize, Nationality)> = Vec::new();
        let mut mentions: Vec<Mention> = Vec::new();
        // Looked up only, never iterated.
        let mut by_span: FxHashMap<Span, usize> = FxHashMap::default();
        for (index, annotation) in document.annotations.iter().enumerate() {
            let written = document.slice(annotation.span);
            let label = match annotation.label.as_str() {
                "PER" => Label::Per,
                "ORG" | "LOC" | "MISC" => {
                    if (annotation.label == "MISC" || annotation.label == "ORG")
                        && let Some(nationality) = gazetteer.demonym(written)
                    {
                        nationality_words.push((index, nationality.clone()));
                        continue;
                    }
                    match (annotation.label.as_str(), gazetteer.nation(written)) {
                        (_, Some(_)) => Label::Loc,
                        ("ORG", None) => Label::Org,
                        ("LOC", None) => Label::Loc,
                        _ => continue,
                    }
                }
                _ => continue,
            };
            if let Some(&m) = by_span.get(&annotation.span) {
                mentions[m].annotations.push(index);
                continue;
            }
            if let Some(mention) = mentions::mention(text, index, annotation, label, gazetteer) {
                by_span.insert(annotation.span, mentions.len());
                mentions.push(mention);
            }
        }
        mentions.sort_by_key(|m| (m.span.start, m.span.end));

        let tokens = roles::Tokens { text, tokens: &document.tokens };
        // An expansion followed by its acronym in brackets.
        let mut linked = Vec::new();
        for (m, mention) in mentions.iter().enumerate() {
            if mention.label != Label::Org || mention.acronym.is_some() {
                continue;
            }
            let next = tokens.at(mention.span.end);
            let word = |i: usize| document.tokens.get(i).map_or("", |t| t.span.slice(text));
            if word(next) == "("
                && word(next + 2) == ")"
                && let Some(target) = document.tokens.get(next + 1)
                && let Some(other) = mentions.iter().position(|o| o.name == target.span)
            {
                linked.push((m, other));
            }
        }

        let clusters = mentions::cluster(&mentions, &linked, gazetteer);
        let mut entity_of = vec![0; mentions.len()];
        let mut entities: Vec<Built> = Vec::with_capacity(clusters.len());
        for cluster in &clusters {
            let best = mentions::fullest(&mentions, cluster);
            let mut counts: [(usize, Label); 3] =
                [(0, Label::Per), (0, Label::Org), (0, Label::Loc)];
            for &m in &cluster.members {
                counts[mentions[m].label as usize].0 += 1;
                entity_of[m] = entities.len();
            }
            let label = if mentions[best].label == Label::Per {
                Label::Per
            } else {
                counts
                    .iter()
                    .max_by_key(|(count, label)| (*count, *label == mentions[best].label))
                    .map_or(mentions[best].label, |c| c.1)
            };
            entities.push(Built {
                label,
                members: cluster.members.clone(),
                canonical: mentions[best].text.clone(),
                place: None,
                roles: Vec::new(),
            });
        }

        // The dateline place.
        let dateline = document.annotations.iter().find(|a| a.label == "DATELINE").map(|a| a.span);
        let dateline_mention = dateline.and_then(|span| {
            mentions.iter().position(|m| {
                m.label == Label::Loc && span.start <= m.span.start && m.span.end <= span.end
            })
        });

        if self.options.geoparse {
            self.geoparse(
                text,
                &tokens,
                &mentions,
                &mut entities,
                &nationality_words,
                dateline_mention,
            );
            // Places written differently that resolve to the same record
            // are one entity.
            let mut first_of: FxHashMap<u32, usize> = FxHashMap::default();
            for e in 0..entities.len() {
                if let Some(place) = entities[e].place {
                    match first_of.get(&place) {
                        Some(&keep) => {
                            let members = std::mem::take(&mut entities[e].members);
                            entities[keep].members.extend(members);
                            entities[keep].members.sort_unstable();
                        }
                        None => {
                            first_of.insert(place, e);
                        }
                    }
                }
            }
            entities.retain(|entity| !entity.members.is_empty());
            for (e, entity) in entities.iter().enumerate() {
                for &m in &entity.members {
                    entity_of[m] = e;
                }
            }
        }
        for entity in &mut entities {
            if let Some(place) = entity.place.and_then(|index| gazetteer.place(index)) {
                entity.canonical = place.name.clone();
            } else if entity.canonical.chars().all(|c| !c.is_lowercase())
                && entity.canonical.len() > 4
            {
                // A headline or dateline in capitals: `TRIPOLI` → `Tripoli`.
                entity.canonical = title_case(&entity.canonical);
            }
        }

        // Roles.
        let mut role_annotations = Vec::new();
        if self.options.roles && !document.tokens.is_empty() {
            let lookup = Lookup {
                mentions: &mentions,
                entity_of: &entity_of,
                entities: &entities,
                gazetteer,
            };
            let parser = roles::Parser {
                tokens: roles::Tokens { text, tokens: &document.tokens },
                gazetteer,
                context: &lookup,
            };
            let mut found: Vec<(usize, roles::Role)> = Vec::new();
            for (m, mention) in mentions.iter().enumerate() {
                if entities[entity_of[m]].label != Label::Per || mention.label != Label::Per {
                    continue;
                }
                let first = parser.tokens.at(mention.name.start);
                let end = parser.tokens.until(mention.name.end);
                let (floor, ceiling) = sentence_bounds(document, first);
                let before = parser
                    .before_name(first, floor, mention.span.end.max(mention.name.end))
                    .or_else(|| parser.apposition_before(first, floor, mention.span.end));
                let after = parser.after_name(end, ceiling, first);
                for role in [before, after].into_iter().flatten() {
                    found.push((m, role));
                }
            }
            for (m, role) in found {
                let entity = &mut entities[entity_of[m]];
                let mut value = Map::new();
                value.insert("person".into(), json!(entity.canonical));
                value.insert("title".into(), json!(role.title));
                let mut record = Map::new();
                record.insert("title".into(), json!(role.title));
                if let Some(country) = &role.country {
                    value.insert("country".into(), json!(country));
                    record.insert("country".into(), json!(country));
                }
                if let Some(organization) = &role.organization {
                    value.insert("organization".into(), json!(organization));
                    record.insert("organization".into(), json!(organization));
                }
                let record = Value::Object(record);
                if !entity.roles.contains(&record) {
                    entity.roles.push(record);
                }
                role_annotations
                    .push(Annotation::new(ROLE, role.span).with_value(Value::Object(value)));
            }
        }

        // A role that says less than another with the same title goes.
        for entity in &mut entities {
            let roles = entity.roles.clone();
            entity.roles.retain(|role| {
                !roles.iter().any(|other| {
                    other != role
                        && other["title"] == role["title"]
                        && role.as_object().is_some_and(|fields| {
                            fields.iter().all(|(key, value)| other.get(key) == Some(value))
                        })
                })
            });
        }

        // Attributes, entity records, nationality words.
        let mut records = Vec::with_capacity(entities.len());
        for (e, entity) in entities.iter().enumerate() {
            let id = format!("E{}", e + 1);
            let place = entity.place.and_then(|index| gazetteer.place(index));
            let mut attrs = Map::new();
            if let Some(place) = place {
                place_attrs(place, &mut attrs);
            }
            if !entity.roles.is_empty() {
                attrs.insert("roles".into(), Value::Array(entity.roles.clone()));
            }
            for &m in &entity.members {
                for &index in &mentions[m].annotations {
                    let Some(annotation) = document.annotations.get_mut(index) else { continue };
                    annotation.set_attr("entity", id.clone());
                    annotation.set_attr("canonical", entity.canonical.clone());
                    if let Some(place) = place
                        && (annotation.label == "LOC"
                            || annotation.label == "MISC"
                            || annotation.label == "ORG")
                    {
                        let map = annotation.attrs.get_or_insert_with(Map::new);
                        place_attrs(place, map);
                    }
                }
            }
            records.push(Entity {
                id,
                label: entity.label.as_str().to_string(),
                canonical: entity.canonical.clone(),
                mentions: entity.members.len(),
                attrs,
            });
        }
        if let (Some(span), Some(m)) = (dateline, dateline_mention) {
            let place = entities[entity_of[m]].place.and_then(|index| gazetteer.place(index));
            if let (Some(place), Some(annotation)) = (
                place,
                document.annotations.iter_mut().find(|a| a.label == "DATELINE" && a.span == span),
            ) {
                let map = annotation.attrs.get_or_insert_with(Map::new);
                place_attrs(place, map);
            }
        }
        if self.options.nationalities {
            for (index, nationality) in nationality_words {
                let Some(annotation) = document.annotations.get_mut(index) else { continue };
                match nationality {
                    Nationality::Country(code) => annotation.set_attr("country", code),
                    Nationality::Region(region) => annotation.set_attr("region", region),
                }
            }
        }
        document.entities = records;
        for annotation in role_annotations {
            document.annotate(annotation)?;
        }
        Ok(())
    }
}

impl EntitiesExtractor {
    fn geoparse(
        &self,
        text: &str,
        tokens: &roles::Tokens<'_>,
        mentions: &[Mention],
        entities: &mut [Built],
        nationality_words: &[(usize, Nationality)],
        dateline_mention: Option<usize>,
    ) {
        let gazetteer = &*self.gazetteer;
        const NOBODY: usize = usize::MAX;
        let mut context = geo::Context::default();
        for (_, nationality) in nationality_words {
            if let Nationality::Country(code) = nationality {
                context.countries.push((NOBODY, code.clone()));
            }
        }
        let mut queries = Vec::new();
        for (e, entity) in entities.iter().enumerate() {
            if entity.label != Label::Loc {
                continue;
            }
            let mut names: Vec<String> = Vec::new();
            let mut qualifier = None;
            for &m in &entity.members {
                let mention = &mentions[m];
                let written = mention.name.slice(text);
                // `Paris, Texas` inside one span.
                let (name, inside) = match written.split_once(',') {
                    Some((name, rest)) => (name.trim(), qualifier_of(gazetteer, rest.trim())),
                    None => (written, None),
                };
                if !names.iter().any(|n| n == name) {
                    names.push(name.to_string());
                }
                let after = tokens.at(mention.span.end);
                let beside = (tokens.tokens.get(after).map(|t| t.span.slice(text)) == Some(","))
                    .then(|| {
                        // Mentions are sorted by start: the one starting at
                        // the token after the comma, if any.
                        let start = tokens.tokens.get(after + 1)?.span.start;
                        let at = mentions.partition_point(|o| o.span.start < start);
                        mentions.get(at).filter(|o| o.span.start == start)
                    })
                    .flatten()
                    .and_then(|o| qualifier_of(gazetteer, o.name.slice(text)));
                // A country or a region takes no qualifier: `Britain,
                // France and Germany`, `England, Scotland and Wales` are
                // lists.
                let top_level = mention.nation.is_some()
                    || gazetteer.candidates(name).iter().any(|c| {
                        !c.alternate
                            && gazetteer.place(c.place).is_some_and(|p| {
                                matches!(
                                    p.feature,
                                    Feature::Country | Feature::Region | Feature::Continent
                                )
                            })
                    });
                if qualifier.is_none() && !top_level {
                    qualifier = inside.or(beside);
                }
                // A name that can only be one country is certain context.
                if let Some(Nationality::Country(code)) = &mention.nation {
                    let ambiguous = gazetteer.candidates(name).iter().any(|c| {
                        gazetteer
                            .place(c.place)
                            .is_some_and(|p| p.feature != Feature::Country && !c.alternate)
                    });
                    if !ambiguous {
                        context.countries.push((e, code.clone()));
                    }
                }
            }
            if let Some(q) = &qualifier {
                match q {
                    geo::Qualifier::Country(code) => context.countries.push((NOBODY, code.clone())),
                    geo::Qualifier::State(code) => {
                        context.states.push((NOBODY, code.clone()));
                        let country = code.split('-').next().unwrap_or_default();
                        context.countries.push((NOBODY, country.to_string()));
                    }
                }
            }
            let dateline = dateline_mention.is_some_and(|m| entity.members.contains(&m));
            queries.push(geo::Query { entity: e, names, qualifier, dateline });
        }
        // Pass 1, certain context only; pass 2 with every other place.
        let first: Vec<Option<u32>> =
            queries.iter().map(|query| geo::resolve(gazetteer, query, &context)).collect();
        for (query, place) in queries.iter().zip(&first) {
            let Some(place) = place.and_then(|index| gazetteer.place(index)) else { continue };
            let weight = entities[query.entity].members.len().min(3);
            for _ in 0..weight {
                if !place.country.is_empty() {
                    context.countries.push((query.entity, place.country.clone()));
                }
            }
            if matches!(place.feature, Feature::City | Feature::Capital | Feature::Region) {
                context.states.push((query.entity, place.region.clone()));
            }
            if let (Some((lat, lon)), Feature::City | Feature::Capital | Feature::Region) =
                (place.coordinates, place.feature)
                && context.points.len() < geo::MAX_POINTS
            {
                context.points.push((query.entity, lat, lon));
            }
            if query.dateline {
                context.dateline_country = Some(place.country.clone());
            }
        }
        for query in &queries {
            entities[query.entity].place = geo::resolve(gazetteer, query, &context);
        }
    }
}

/// `ner` sometimes tags the name after a title as ORG or MISC (`Gen.
/// Khalifa Haftar`): a name of one to three capitalised words that no
/// gazetteer knows as a place, right after a title or an honorific, is a
/// person.
fn relabel_titled_names(document: &mut Document, gazetteer: &Gazetteer) {
    let text = document.text.as_str();
    let tokens = roles::Tokens { text, tokens: &document.tokens };
    let mut relabel = Vec::new();
    for (index, annotation) in document.annotations.iter().enumerate() {
        if !matches!(annotation.label.as_str(), "ORG" | "MISC") {
            continue;
        }
        let written = document.slice(annotation.span);
        let words: Vec<&str> = written.split_whitespace().collect();
        let name_like = (1..=3).contains(&words.len())
            && words.iter().all(|w| w.chars().next().is_some_and(char::is_uppercase))
            && words.iter().all(|w| gazetteer.title_word(w).is_none() && acronym_free(w))
            && gazetteer.candidates(written).is_empty()
            && gazetteer.nation(written).is_none()
            && gazetteer.demonym(written).is_none();
        if !name_like {
            continue;
        }
        let first = tokens.at(annotation.span.start);
        let Some(previous) = first.checked_sub(1).and_then(|i| document.tokens.get(i)) else {
            continue;
        };
        let titled = gazetteer
            .title_word(previous.span.slice(text))
            .is_some_and(|(kind, _)| kind.head || kind.honorific)
            && text
                .get(previous.span.end..annotation.span.start)
                .is_some_and(|gap| gap.trim().is_empty());
        if titled {
            relabel.push(index);
        }
    }
    for index in relabel {
        if let Some(annotation) = document.annotations.get_mut(index) {
            annotation.label = "PER".into();
        }
    }
}

fn acronym_free(word: &str) -> bool {
    mentions::acronym(word).is_none()
}

/// A written qualifier (`Texas`, `Canada`) as a US state or a country.
fn qualifier_of(gazetteer: &Gazetteer, name: &str) -> Option<geo::Qualifier> {
    for candidate in gazetteer.candidates(name) {
        if let Some(place) = gazetteer.place(candidate.place)
            && place.feature == Feature::Region
            && !candidate.alternate
        {
            return Some(geo::Qualifier::State(place.region.clone()));
        }
    }
    match gazetteer.nation(name)? {
        Nationality::Country(code) => Some(geo::Qualifier::Country(code)),
        Nationality::Region(_) => None,
    }
}

fn place_attrs(place: &Place, attrs: &mut Map<String, Value>) {
    attrs.insert("geonameid".into(), json!(place.geonameid));
    if let Some((lat, lon)) = place.coordinates {
        attrs.insert("lat".into(), json!(lat));
        attrs.insert("lon".into(), json!(lon));
    }
    if !place.country.is_empty() {
        attrs.insert("country".into(), json!(place.country));
    }
    attrs.insert("feature".into(), json!(place.feature.as_str()));
}

/// The token range of the sentence holding token `index`.
fn sentence_bounds(document: &Document, index: usize) -> (usize, usize) {
    // Sentences are in order: the first that ends after the token.
    let at = document.sentences.partition_point(|sentence| sentence.tokens.end <= index);
    document
        .sentences
        .get(at)
        .filter(|sentence| sentence.tokens.contains(&index))
        .map_or((0, document.tokens.len()), |sentence| (sentence.tokens.start, sentence.tokens.end))
}

fn title_case(text: &str) -> String {
    text.split(' ')
        .map(|word| {
            let mut chars = word.chars();
            match chars.next() {
                Some(first) => {
                    first.to_uppercase().chain(chars.flat_map(char::to_lowercase)).collect()
                }
                None => String::new(),
            }
        })
        .collect::<Vec<String>>()
        .join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn documented_defaults_match_the_default() {
        let documented: Map<String, Value> = EntitiesOptions::OPTIONS
            .iter()
            .map(|option| (option.name.to_string(), json!(option.default == Some("true"))))
            .collect();
        let parsed: EntitiesOptions =
            serde_json::from_value(Value::Object(documented)).expect("documented defaults parse");
        assert_eq!(parsed, EntitiesOptions::default());
        assert!(serde_json::from_value::<EntitiesOptions>(json!({"role": false})).is_err());
    }
}
