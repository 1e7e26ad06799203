//! Geoparsing: choosing, for each place entity, one GeoNames record among
//! its homonyms.
//!
//! Every candidate gets a score; the best wins. The score adds
//!
//! * prominence: `log10(population)`, plus a bonus for countries and
//!   continents (a name that is a country's is meant as the country), and
//!   for national capitals (the capital is named far more often than its
//!   namesakes);
//! * a penalty when the name is only an alternate name of the record;
//! * the document's context: the candidate lies in a country the document
//!   names (as a place, an alias or a nationality word), in the dateline
//!   place's country, or in a US state the document names or in which it
//!   names a city; and it lies near the other places the document names;
//! * a qualifier written beside the name (`Paris, Texas`, `Springfield,
//!   Illinois`, `Victoria, Canada`) decides alone.
//!
//! Resolution runs twice: the first pass sees only the context that is
//! certain (unambiguous country names, nationality words, qualifiers); the
//! second also sees the places the first pass resolved, each place
//! ignoring its own vote.

use crate::gazetteer::{Feature, FxHashMap, Gazetteer, Nationality, Place};

/// What a document tells about where it is.
#[derive(Clone, Debug, Default)]
pub struct Context {
    /// Votes for countries: the entity that casts it (`usize::MAX` for a
    /// nationality word or a qualifier) and the country code.
    pub countries: Votes,
    /// Votes for first-level divisions (`US-IL`, `GB-SCT`), as for
    /// countries.
    pub states: Votes,
    /// Coordinates of places already resolved, with the entity they belong
    /// to (so that a place does not count itself); only the first
    /// [`MAX_POINTS`] are kept, so that a document naming thousands of
    /// places stays linear.
    pub points: Vec<(usize, f64, f64)>,
    /// The dateline place's country.
    pub dateline_country: Option<String>,
}

/// How many resolved places the nearness bonus looks at.
pub const MAX_POINTS: usize = 64;

/// Votes for codes (countries, first-level divisions), each cast by an
/// entity, counted so that an entity's own votes can be left out in
/// constant time.
#[derive(Clone, Debug, Default)]
pub struct Votes {
    /// Code → (all votes, votes by entity). Only looked up, never
    /// iterated: the hasher reaches no output.
    by_code: FxHashMap<String, (u32, FxHashMap<usize, u32>)>,
    total: u32,
    by_entity: FxHashMap<usize, u32>,
}

impl Votes {
    /// One vote of `entity` (`usize::MAX` for none) for `code`.
    pub fn push(&mut self, (entity, code): (usize, String)) {
        let (all, mine) = self.by_code.entry(code).or_default();
        *all += 1;
        *mine.entry(entity).or_default() += 1;
        self.total += 1;
        *self.by_entity.entry(entity).or_default() += 1;
    }

    /// The votes for `code` cast by others than `entity`.
    pub fn count(&self, code: &str, entity: usize) -> u32 {
        self.by_code
            .get(code)
            .map_or(0, |(all, mine)| all - mine.get(&entity).copied().unwrap_or(0))
    }

    /// Whether anyone but `entity` voted at all.
    pub fn any_but(&self, entity: usize) -> bool {
        self.total > self.by_entity.get(&entity).copied().unwrap_or(0)
    }
}

/// A place entity to resolve.
#[derive(Clone, Debug)]
pub struct Query {
    /// The entity's index, to skip its own votes.
    pub entity: usize,
    /// The distinct names written for it.
    pub names: Vec<String>,
    /// A qualifier written beside it: a country or a first-level division
    /// (`US-TX`).
    pub qualifier: Option<Qualifier>,
    /// Whether this is the dateline place.
    pub dateline: bool,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Qualifier {
    Country(String),
    State(String),
}

/// Great-circle distance in kilometres.
pub fn distance((lat1, lon1): (f64, f64), (lat2, lon2): (f64, f64)) -> f64 {
    let (p1, p2) = (lat1.to_radians(), lat2.to_radians());
    let dp = p2 - p1;
    let dl = (lon2 - lon1).to_radians();
    let a = (dp / 2.0).sin().powi(2) + p1.cos() * p2.cos() * (dl / 2.0).sin().powi(2);
    6371.0 * 2.0 * a.sqrt().min(1.0).asin()
}

/// The score of one candidate. Public for the documentation's sake and
/// the tests.
pub fn score(place: &Place, alternate: bool, query: &Query, context: &Context) -> f64 {
    let mut score = ((place.population as f64) + 10.0).log10();
    score += match place.feature {
        Feature::Country | Feature::Continent => 4.0,
        Feature::Capital => 2.0,
        Feature::Region => 1.0,
        Feature::City => 0.0,
    };
    if alternate {
        score -= 2.0;
    }
    if let Some(qualifier) = &query.qualifier {
        let fits = match qualifier {
            Qualifier::Country(code) => &place.country == code && place.feature != Feature::Country,
            Qualifier::State(code) => &place.region == code,
        };
        score += if fits { 20.0 } else { -20.0 };
    }
    let in_country = context.countries.count(&place.country, query.entity);
    if in_country > 0 && place.feature != Feature::Continent {
        score += 3.0 + f64::from(in_country.min(3)) * 0.5;
    }
    if context.dateline_country.as_deref() == Some(place.country.as_str())
        && !place.country.is_empty()
    {
        score += 1.5;
    }
    if matches!(place.feature, Feature::City | Feature::Capital | Feature::Region)
        && context.states.count(&place.region, query.entity) > 0
    {
        score += 4.0;
    }
    // A small town of a country the document does not name, in a document
    // that names others, is probably a homonym of a place the gazetteer
    // lacks (`Whitehall` in a British story is not Whitehall, Ohio).
    let names_countries = context.countries.any_but(query.entity);
    if place.feature == Feature::City
        && in_country == 0
        && names_countries
        && query.qualifier.is_none()
    {
        score -= 2.0;
    }
    if let (Some(here), Feature::City | Feature::Capital) = (place.coordinates, place.feature) {
        let nearest = context
            .points
            .iter()
            .filter(|(entity, _, _)| *entity != query.entity)
            .map(|&(_, lat, lon)| distance(here, (lat, lon)))
            .fold(f64::INFINITY, f64::min);
        if nearest < 200.0 {
            score += 2.0;
        } else if nearest < 800.0 {
            score += 1.0;
        }
    }
    score
}

/// The least score a record needs to be chosen.
pub const MIN_SCORE: f64 = 3.0;

/// The best record for a query, with its score, or `None` when no name
/// is known.
pub fn resolve(gazetteer: &Gazetteer, query: &Query, context: &Context) -> Option<u32> {
    let mut best: Option<(f64, u32)> = None;
    for name in &query.names {
        let mut candidates: Vec<(u32, bool)> =
            gazetteer.candidates(name).iter().map(|c| (c.place, c.alternate)).collect();
        if let Some(nation) = gazetteer.nation(name) {
            let place = match nation {
                Nationality::Country(code) => gazetteer.country(&code),
                Nationality::Region(region) => gazetteer.continent(&region),
            };
            if let Some(place) = place {
                candidates.push((place, false));
            }
        }
        for (index, alternate) in candidates {
            let Some(place) = gazetteer.place(index) else { continue };
            let value = score(place, alternate, query, context);
            // Ties go to the smaller geonameid, so the result never depends
            // on table order.
            let better = match best {
                None => true,
                Some((top, top_index)) => {
                    value > top
                        || (value == top
                            && gazetteer
                                .place(top_index)
                                .is_some_and(|p| place.geonameid < p.geonameid))
                }
            };
            if better {
                best = Some((value, index));
            }
        }
    }
    best.filter(|(score, _)| *score >= MIN_SCORE).map(|(_, index)| index)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn regions_are_the_country_and_the_admin1_code() {
        let gazetteer = Gazetteer::embedded().unwrap();
        let region_of = |name: &str, geonameid: u32| {
            let place = gazetteer
                .candidates(name)
                .iter()
                .filter_map(|candidate| gazetteer.place(candidate.place))
                .find(|place| place.geonameid == geonameid)
                .unwrap();
            (place.region.as_str(), place.admin1())
        };
        assert_eq!(region_of("Springfield", 4250542), ("US-IL", "IL"));
        assert_eq!(region_of("Paris", 4717560), ("US-TX", "TX"));
        for index in 0..2_000 {
            let Some(place) = gazetteer.place(index) else { continue };
            assert_eq!(place.region, format!("{}-{}", place.country, place.admin1()));
        }
    }

    fn query(name: &str) -> Query {
        Query { entity: 0, names: vec![name.to_string()], qualifier: None, dateline: false }
    }

    fn resolved(name: &str, context: &Context, qualifier: Option<Qualifier>) -> u32 {
        let gazetteer = Gazetteer::embedded().unwrap();
        let query = Query { qualifier, ..query(name) };
        let index = resolve(&gazetteer, &query, context).unwrap();
        gazetteer.place(index).unwrap().geonameid
    }

    #[test]
    fn population_decides_without_context() {
        let context = Context::default();
        assert_eq!(resolved("Tripoli", &context, None), 2210247);
        assert_eq!(resolved("Paris", &context, None), 2988507);
        assert_eq!(resolved("Berlin", &context, None), 2950159);
        assert_eq!(resolved("Georgia", &context, None), 614540);
    }

    #[test]
    fn context_and_qualifiers_choose_among_homonyms() {
        let mut lebanon = Context::default();
        lebanon.countries.push((9, "LB".into()));
        assert_eq!(resolved("Tripoli", &lebanon, None), 266826);
        assert_eq!(
            resolved("Paris", &Context::default(), Some(Qualifier::State("US-TX".into()))),
            4717560
        );
        let mut illinois = Context::default();
        illinois.states.push((9, "US-IL".into()));
        illinois.countries.push((9, "US".into()));
        assert_eq!(resolved("Springfield", &illinois, None), 4250542);
    }

    #[test]
    fn distance_is_in_kilometres() {
        let tripoli = (32.88743, 13.18733);
        let rome = (41.89193, 12.51133);
        assert!((distance(tripoli, rome) - 1003.0).abs() < 5.0, "{}", distance(tripoli, rome));
    }
}
