#!/usr/bin/env python3
"""Builds the compact gazetteers of the `ner` extractor.

Reads ../shared/data/gazetteers (GeoNames cities15000, countries,
continents, US states; US Census first names and surnames) and Debian's
iso-codes (/usr/share/iso-codes/json/iso_3166-1.json, when present), and
writes crates/extractors/ner/data/<list>.txt: one entry a line, UTF-8,
sorted, de-duplicated, original capitalisation kept (matching is done on
lower-cased text). Lists:

  location.txt  cities (population >= 15,000; English/ASCII alternate names
                of cities >= 200,000), countries, continents, US states
  country.txt   country names (GeoNames, ISO 3166-1 name, common and
                official names)
  first.txt     Census first names (male and female)
  last.txt      Census surnames

Usage: python3 scripts/build-gazetteers.py [SHARED_GAZETTEERS_DIR]
"""
import json
import os
import re
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SOURCE = sys.argv[1] if len(sys.argv) > 1 else os.path.join(ROOT, "..", "shared", "data", "gazetteers")
OUT = os.path.join(ROOT, "crates", "extractors", "ner", "data")
ISO = "/usr/share/iso-codes/json/iso_3166-1.json"
LATIN = re.compile(r"^[A-Z][A-Za-z.' -]*[A-Za-z.]$")


def write(name, entries):
    entries = sorted({e.strip() for e in entries if e and e.strip() and "\t" not in e})
    with open(os.path.join(OUT, name), "w", encoding="utf-8") as out:
        for entry in entries:
            out.write(entry + "\n")
    print(f"{name}: {len(entries)} entries")


def census(path):
    with open(path, encoding="ascii") as lines:
        return [line.split()[0].title() for line in lines if line.strip()]


def main():
    geonames = os.path.join(SOURCE, "geonames")
    cities = json.load(open(os.path.join(geonames, "cities15000.json"), encoding="utf-8"))
    countries = json.load(open(os.path.join(geonames, "countries.json"), encoding="utf-8"))
    continents = json.load(open(os.path.join(geonames, "continents.json"), encoding="utf-8"))
    states = json.load(open(os.path.join(geonames, "us_states.json"), encoding="utf-8"))

    country_names = [c["name"] for c in countries.values()]
    if os.path.exists(ISO):
        for c in json.load(open(ISO, encoding="utf-8"))["3166-1"]:
            for key in ("name", "common_name", "official_name"):
                if key in c:
                    country_names.append(c[key])
    locations = list(country_names)
    for city in cities.values():
        locations.append(city["name"])
        if city.get("population", 0) >= 200000:
            locations.extend(a for a in city.get("alternatenames", []) if LATIN.match(a))
    for c in continents.values():
        locations.extend(v for v in (c.get("name"), c.get("asciiName")) if v)
    locations.extend(s["name"] for s in states.values())

    write("location.txt", locations)
    write("country.txt", country_names)
    first = census(os.path.join(SOURCE, "census", "dist.male.first"))
    first += census(os.path.join(SOURCE, "census", "dist.female.first"))
    write("first.txt", first)
    write("last.txt", census(os.path.join(SOURCE, "census", "dist.all.last")))


if __name__ == "__main__":
    main()
