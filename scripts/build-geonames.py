#!/usr/bin/env python3
"""Builds the compact geoparsing gazetteer of the `entities` extractor.

Reads ../shared/data/gazetteers/geonames (GeoNames cities15000, countries,
continents, US states) and Debian's iso-codes
(/usr/share/iso-codes/json/iso_3166-1.json, when present), and writes
crates/extractors/entities/data/geonames.tsv.gz: one place a line, UTF-8,
tab-separated, sorted by geonameid, gzip'd with a fixed timestamp so that
a rebuild is byte-identical:

  geonameid  feature  name  alternates  lat  lon  country  admin1  population

  feature     country | capital (a national capital) | city | region (a US
              state; England, Scotland, Wales, Northern Ireland) | continent
  alternates  `|`-separated: for cities of >= 100,000 people, their ASCII
              alternate names written with a capital (`Washington` for
              Washington, D.C. is the name itself; `Peking` for Beijing);
              for countries, the ISO 3166-1 name, common and official names
  lat, lon    as GeoNames gives them; for countries and US states, which the
              source gives without coordinates, the population-weighted
              median of their cities' coordinates (a point inside the
              populated part of the country), 4 decimals
  admin1      GeoNames admin1 code (`DC`, `77`); for a region, its code

Hand-written tables (demonyms, country aliases such as `U.S.` and
`Britain`) are not built here: they are data/countries.tsv, committed.

Usage: python3 scripts/build-geonames.py [SHARED_GAZETTEERS_DIR]
"""
import gzip
import io
import json
import os
import re
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SOURCE = sys.argv[1] if len(sys.argv) > 1 else os.path.join(ROOT, "..", "shared", "data", "gazetteers")
OUT = os.path.join(ROOT, "crates", "extractors", "entities", "data", "geonames.tsv.gz")
ISO = "/usr/share/iso-codes/json/iso_3166-1.json"
LATIN = re.compile(r"^[A-Z][A-Za-z.' -]*[A-Za-z.]$")
ALTERNATES_FROM = 100_000
UK_NATIONS = {"ENG": (6269131, "England"), "SCT": (2638360, "Scotland"),
              "WLS": (2634895, "Wales"), "NIR": (2641364, "Northern Ireland")}


def clean(value):
    return str(value).replace("\t", " ").replace("|", " ").strip()


def weighted_median(points):
    """Population-weighted median of (value, weight) pairs."""
    points = sorted(points)
    total = sum(weight for _, weight in points)
    running = 0
    for value, weight in points:
        running += weight
        if running * 2 >= total:
            return value
    return None


def centre(cities):
    if not cities:
        return "", ""
    lat = weighted_median([(c["latitude"], max(c.get("population", 0), 1)) for c in cities])
    lon = weighted_median([(c["longitude"], max(c.get("population", 0), 1)) for c in cities])
    return f"{lat:.4f}", f"{lon:.4f}"


def main():
    geonames = os.path.join(SOURCE, "geonames")
    cities = json.load(open(os.path.join(geonames, "cities15000.json"), encoding="utf-8"))
    countries = json.load(open(os.path.join(geonames, "countries.json"), encoding="utf-8"))
    continents = json.load(open(os.path.join(geonames, "continents.json"), encoding="utf-8"))
    states = json.load(open(os.path.join(geonames, "us_states.json"), encoding="utf-8"))
    iso = {}
    if os.path.exists(ISO):
        for c in json.load(open(ISO, encoding="utf-8"))["3166-1"]:
            iso[c["alpha_2"]] = [c[k] for k in ("name", "common_name", "official_name") if k in c]

    by_country = {}
    by_state = {}
    for city in cities.values():
        by_country.setdefault(city["countrycode"], []).append(city)
        if city["countrycode"] == "US":
            by_state.setdefault(city["admin1code"], []).append(city)

    capitals = set()
    for code, country in countries.items():
        capital = country.get("capital")
        candidates = [c for c in by_country.get(code, []) if capital and c["name"] == capital]
        if candidates:
            capitals.add(max(candidates, key=lambda c: c.get("population", 0))["geonameid"])

    rows = []
    for city in cities.values():
        alternates = []
        if city.get("population", 0) >= ALTERNATES_FROM:
            alternates = sorted({a for a in city.get("alternatenames", [])
                                 if LATIN.match(a) and a != city["name"] and len(a) >= 4
                                 and not a.isupper()})
        feature = "capital" if city["geonameid"] in capitals else "city"
        rows.append((city["geonameid"], feature, city["name"], alternates,
                     f'{city["latitude"]:.5f}', f'{city["longitude"]:.5f}',
                     city["countrycode"], city.get("admin1code", ""), city.get("population", 0)))
    for code, country in countries.items():
        names = sorted({n for n in iso.get(code, []) if n != country["name"] and "," not in n})
        lat, lon = centre(by_country.get(code, []))
        rows.append((country["geonameid"], "country", country["name"], names, lat, lon, code, "",
                     country.get("population", 0)))
    for code, state in states.items():
        lat, lon = centre(by_state.get(code, []))
        population = sum(c.get("population", 0) for c in by_state.get(code, []))
        rows.append((state["geonameid"], "region", state["name"], [], lat, lon, "US", code, population))
    # The four countries of the United Kingdom, which the GeoNames extracts
    # here lack (ids from geonames.org), as regions of GB.
    for admin1, (gid, name) in UK_NATIONS.items():
        members = [c for c in by_country.get("GB", []) if c.get("admin1code") == admin1]
        lat, lon = centre(members)
        population = sum(c.get("population", 0) for c in members)
        rows.append((gid, "region", name, [], lat, lon, "GB", admin1, population))
    for code, continent in continents.items():
        name = continent.get("name") or continent.get("toponymName")
        rows.append((continent["geonameId"], "continent", name, [], f'{float(continent["lat"]):.4f}',
                     f'{float(continent["lng"]):.4f}', "", code, continent.get("population", 0)))

    rows.sort(key=lambda row: row[0])
    text = io.StringIO()
    for (gid, feature, name, alternates, lat, lon, cc, admin1, population) in rows:
        fields = [str(gid), feature, clean(name), "|".join(clean(a) for a in alternates), lat, lon,
                  cc, clean(admin1), str(population)]
        text.write("\t".join(fields) + "\n")
    data = text.getvalue().encode("utf-8")
    with open(OUT, "wb") as raw:
        with gzip.GzipFile(filename="geonames.tsv", mode="wb", fileobj=raw, mtime=0, compresslevel=9) as out:
            out.write(data)
    print(f"{OUT}: {len(rows)} places, {len(data)} bytes, {os.path.getsize(OUT)} gzipped")


if __name__ == "__main__":
    main()
