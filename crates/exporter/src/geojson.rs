//! The `geojson` exporter: the places of a run as one GeoJSON
//! FeatureCollection (RFC 7946), to drop into any map tool.
//!
//! One Feature per document and resolved place: a place entity of the
//! `entities` extractor (`Document::entities`, label `LOC`) with `lat` and
//! `lon` in its attributes. Its geometry is a Point (`[lon, lat]`, as
//! GeoJSON orders them); its properties are `doc_id`, `name` (the first
//! mention as written), `canonical`, `mentions`, `geonameid`, `country`
//! and `feature`. Documents without resolved places add nothing; a run
//! without any writes an empty collection.

use std::io::Write;
use std::path::PathBuf;
use std::sync::Arc;

use anyhow::Context;
use document::{
    BuildContext, Component, ComponentOptions, Document, Encoder, Exporter, OptionDoc, Value, json,
};
use serde::Deserialize;

use crate::AtomicFile;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct GeojsonOptions {
    path: String,
}

impl ComponentOptions for GeojsonOptions {
    const OPTIONS: &'static [OptionDoc] = &[OptionDoc {
        name: "path",
        ty: "path",
        default: None,
        doc: "output file, a GeoJSON FeatureCollection of the resolved places; relative to the pipeline file's folder",
    }];
}

/// Writes the resolved places of every document as GeoJSON Features.
pub struct GeojsonExporter {
    path: PathBuf,
    output: Option<AtomicFile>,
    /// Whether a feature has been written (the first goes without a comma).
    wrote_any: bool,
}

impl Component for GeojsonExporter {
    const KIND: &'static str = "geojson";
    const DESCRIPTION: &'static str =
        "a GeoJSON FeatureCollection of the places the `entities` extractor resolved";
    type Options = GeojsonOptions;

    fn build(options: GeojsonOptions, context: &BuildContext) -> anyhow::Result<Self> {
        let path = crate::output_file(&options.path, context, Some("places.geojson"))?;
        Ok(GeojsonExporter { path, output: None, wrote_any: false })
    }
}

/// The Features of one document, in the order of its entities.
pub fn features(document: &Document) -> Vec<Value> {
    let mut features = Vec::new();
    for entity in &document.entities {
        let attrs = &entity.attrs;
        let (Some(lat), Some(lon)) =
            (attrs.get("lat").and_then(Value::as_f64), attrs.get("lon").and_then(Value::as_f64))
        else {
            continue;
        };
        if entity.label != "LOC" {
            continue;
        }
        let name = document
            .annotations
            .iter()
            .filter(|a| a.attr("entity").and_then(Value::as_str) == Some(entity.id.as_str()))
            .min_by_key(|a| (a.span.start, a.span.end))
            .map_or(entity.canonical.as_str(), |a| document.slice(a.span));
        features.push(json!({
            "type": "Feature",
            "geometry": {"type": "Point", "coordinates": [lon, lat]},
            "properties": {
                "doc_id": document.id,
                "name": name,
                "canonical": entity.canonical,
                "mentions": entity.mentions,
                "geonameid": attrs.get("geonameid").cloned().unwrap_or(Value::Null),
                "country": attrs.get("country").cloned().unwrap_or(Value::Null),
                "feature": attrs.get("feature").cloned().unwrap_or(Value::Null),
            },
        }));
    }
    features
}

impl GeojsonExporter {
    fn output(&mut self) -> anyhow::Result<&mut AtomicFile> {
        if self.output.is_none() {
            let mut file = AtomicFile::create(&self.path)?;
            file.write_all(b"{\"type\":\"FeatureCollection\",\"features\":[")
                .with_context(|| format!("cannot write {}", self.path.display()))?;
            self.output = Some(file);
        }
        self.output.as_mut().context("output file could not be opened")
    }
}

/// A document's features, each after `,\n` (the writer drops the comma
/// before the first feature of the file); nothing for a document without.
struct GeojsonEncoder;

impl Encoder for GeojsonEncoder {
    fn encode(&self, document: &Document, out: &mut Vec<u8>) -> anyhow::Result<()> {
        for feature in features(document) {
            out.extend_from_slice(b",\n");
            serde_json::to_writer(&mut *out, &feature)?;
        }
        Ok(())
    }
}

impl Exporter for GeojsonExporter {
    fn write(&mut self, document: &Document) -> anyhow::Result<()> {
        let mut bytes = Vec::new();
        GeojsonEncoder.encode(document, &mut bytes)?;
        self.write_encoded(&bytes)
    }

    fn encoder(&self) -> Option<Arc<dyn Encoder>> {
        Some(Arc::new(GeojsonEncoder))
    }

    fn write_encoded(&mut self, encoded: &[u8]) -> anyhow::Result<()> {
        if encoded.is_empty() {
            return Ok(());
        }
        let bytes = match encoded.strip_prefix(b",") {
            Some(first) if !self.wrote_any => first,
            _ => encoded,
        };
        self.wrote_any = true;
        let path = self.path.clone();
        self.output()?.write_all(bytes).with_context(|| format!("cannot write {}", path.display()))
    }

    fn outputs(&self) -> Vec<PathBuf> {
        vec![self.path.clone()]
    }

    fn finish(mut self: Box<Self>) -> anyhow::Result<Vec<PathBuf>> {
        let path = self.path.clone();
        let closing: &[u8] = if !self.wrote_any { b"]}\n" } else { b"\n]}\n" };
        let output = self.output()?;
        output.write_all(closing).with_context(|| format!("cannot write {}", path.display()))?;
        let output = self.output.take().context("output file could not be opened")?;
        Ok(vec![output.commit()?])
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use document::{Annotation, Entity, Map, Span};
    use std::fs;

    fn exporter(folder: &std::path::Path) -> Box<dyn Exporter> {
        let mut registry = document::Registry::new();
        crate::register(&mut registry);
        let options =
            json!({"path": "out/places.geojson"}).as_object().cloned().unwrap_or_default();
        registry
            .exporter("geojson")
            .unwrap()
            .build(options, &BuildContext::new(folder, "geojson"))
            .map_err(|errors| errors[0].to_string())
            .unwrap()
    }

    fn scratch(name: &str) -> PathBuf {
        let folder =
            std::env::temp_dir().join(format!("dateline-geojson-{}-{name}", std::process::id()));
        let _ = fs::remove_dir_all(&folder);
        folder
    }

    fn tripoli() -> Document {
        let mut document = Document::new("d1", "TRIPOLI -- Talks in Tripoli and in Atlantis.");
        for (start, end, entity) in [(0, 7, "E1"), (20, 27, "E1"), (35, 43, "E2")] {
            let annotation =
                Annotation::new("LOC", Span::new(start, end)).with_attr("entity", entity);
            document.annotate(annotation).unwrap();
        }
        let mut attrs = Map::new();
        for (key, value) in [
            ("geonameid", json!(2210247)),
            ("lat", json!(32.88743)),
            ("lon", json!(13.18733)),
            ("country", json!("LY")),
            ("feature", json!("city")),
        ] {
            attrs.insert(key.into(), value);
        }
        let entity = |id: &str, canonical: &str, mentions, attrs| Entity {
            id: id.into(),
            label: "LOC".into(),
            canonical: canonical.into(),
            mentions,
            attrs,
        };
        document.entities =
            vec![entity("E1", "Tripoli", 2, attrs), entity("E2", "Atlantis", 1, Map::new())];
        document
    }

    #[test]
    fn one_feature_per_document_and_resolved_place() {
        let folder = scratch("features");
        let mut exporter = exporter(&folder);
        exporter.write(&tripoli()).unwrap();
        exporter.write(&Document::new("d2", "Nothing here.")).unwrap();
        let written = exporter.finish().unwrap();
        assert_eq!(written, [folder.join("out/places.geojson")]);
        assert_eq!(
            fs::read_to_string(&written[0]).unwrap(),
            concat!(
                "{\"type\":\"FeatureCollection\",\"features\":[\n",
                r#"{"geometry":{"coordinates":[13.18733,32.88743],"type":"Point"},"properties":{"#,
                r#""canonical":"Tripoli","country":"LY","doc_id":"d1","feature":"city","geonameid":2210247,"#,
                r#""mentions":2,"name":"TRIPOLI"},"type":"Feature"}"#,
                "\n]}\n"
            )
        );
        let parsed: Value =
            serde_json::from_str(&fs::read_to_string(&written[0]).unwrap()).unwrap();
        assert_eq!(parsed["features"].as_array().map(Vec::len), Some(1));
        fs::remove_dir_all(folder).unwrap();
    }

    #[test]
    fn an_empty_run_writes_an_empty_collection_and_building_creates_nothing() {
        let folder = scratch("empty");
        let exporter = exporter(&folder);
        assert!(!folder.exists());
        let written = exporter.finish().unwrap();
        assert_eq!(
            fs::read_to_string(&written[0]).unwrap(),
            "{\"type\":\"FeatureCollection\",\"features\":[]}\n"
        );
        fs::remove_dir_all(folder).unwrap();
    }
}
