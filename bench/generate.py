"""Synthetic ACLED exports for the scale benchmarks and tests: clustered, bursty, realistic.

Events fall around real towns of the South Caucasus (each town weighted, points scattered
by ACLED's geo_precision), on days drawn from a quiet background plus bursts (the 2020 war,
the 2022 border clashes, the 2023 offensive and exodus), with ACLED's 31 columns filled the
way its exports fill them. Vectorised with numpy: a million rows take seconds.

``python -m bench.generate ROWS -o acled.csv [--seed N]``
"""

from __future__ import annotations

import argparse
import sys
from datetime import date
from pathlib import Path

import numpy as np
import pandas as pd

# Real towns: (name, admin1, country, iso, latitude, longitude, weight).
TOWNS = (
    ("Yerevan", "Yerevan", "Armenia", 51, 40.1811, 44.5136, 10),
    ("Goris", "Syunik", "Armenia", 51, 39.5111, 46.3417, 6),
    ("Kornidzor", "Syunik", "Armenia", 51, 39.4611, 46.3800, 4),
    ("Kapan", "Syunik", "Armenia", 51, 39.2075, 46.4058, 4),
    ("Jermuk", "Vayots Dzor", "Armenia", 51, 39.8417, 45.6722, 3),
    ("Sotk", "Gegharkunik", "Armenia", 51, 40.2097, 45.9372, 3),
    ("Vardenis", "Gegharkunik", "Armenia", 51, 40.1833, 45.7306, 2),
    ("Gyumri", "Shirak", "Armenia", 51, 40.7894, 43.8475, 2),
    ("Ijevan", "Tavush", "Armenia", 51, 40.8756, 45.1492, 2),
    ("Khankendi", "Khankendi", "Azerbaijan", 31, 39.8153, 46.7519, 10),
    ("Shusha", "Shusha", "Azerbaijan", 31, 39.7583, 46.7484, 5),
    ("Aghdam", "Aghdam", "Azerbaijan", 31, 39.9911, 46.9297, 3),
    ("Martuni", "Khojavend", "Azerbaijan", 31, 39.7950, 47.1150, 4),
    ("Askeran", "Khojaly", "Azerbaijan", 31, 39.9394, 46.8297, 3),
    ("Lachin", "Lachin", "Azerbaijan", 31, 39.6397, 46.5461, 4),
    ("Fuzuli", "Fuzuli", "Azerbaijan", 31, 39.6003, 47.1431, 3),
    ("Jabrayil", "Jabrayil", "Azerbaijan", 31, 39.3989, 47.0264, 2),
    ("Tartar", "Tartar", "Azerbaijan", 31, 40.3419, 46.9322, 3),
    ("Ganja", "Ganja", "Azerbaijan", 31, 40.6828, 46.3606, 2),
    ("Baku", "Baku", "Azerbaijan", 31, 40.4093, 49.8671, 5),
    ("Nakhchivan", "Nakhchivan", "Azerbaijan", 31, 39.2089, 45.4122, 1),
)
# Bursts: (first day, last day, share of all events).
BURSTS = (
    (date(2020, 9, 27), date(2020, 11, 10), 0.25),
    (date(2022, 9, 12), date(2022, 9, 16), 0.05),
    (date(2022, 12, 12), date(2023, 9, 18), 0.10),
    (date(2023, 9, 19), date(2023, 10, 2), 0.15),
)
SPAN = (date(2018, 1, 1), date(2024, 12, 31))  # the quiet background
# ACLED event and sub-event types with their disorder type, weighted.
TYPES = (
    ("Battles", "Armed clash", "Political violence", 20),
    ("Explosions/Remote violence", "Shelling/artillery/missile attack",
     "Political violence", 25),
    ("Explosions/Remote violence", "Air/drone strike", "Political violence", 8),
    ("Explosions/Remote violence", "Remote explosive/landmine/IED", "Political violence", 4),
    ("Violence against civilians", "Attack", "Political violence", 6),
    ("Violence against civilians", "Abduction/forced disappearance", "Political violence", 2),
    ("Protests", "Peaceful protest", "Demonstrations", 15),
    ("Protests", "Protest with intervention", "Demonstrations", 4),
    ("Riots", "Violent demonstration", "Demonstrations", 3),
    ("Strategic developments", "Agreement", "Strategic developments", 3),
    ("Strategic developments", "Arrests", "Strategic developments", 4),
    ("Strategic developments", "Looting/property destruction", "Strategic developments", 2),
)
ACTORS = {
    "Armenia": ("Military Forces of Armenia (2018-)", "Protesters (Armenia)",
                "Police Forces of Armenia (2018-)", "Civilians (Armenia)"),
    "Azerbaijan": ("Military Forces of Azerbaijan (2003-)", "Protesters (Azerbaijan)",
                   "Police Forces of Azerbaijan (2003-)", "Civilians (Azerbaijan)"),
}
SOURCES = ("Armenpress", "APA", "Azatutyun", "Trend", "Ministry of Defence of Armenia",
           "Ministry of Defence of Azerbaijan", "CivilNet", "JAMnews", "OC Media")
SCATTER_KM = {1: 2.0, 2: 15.0, 3: 40.0}  # geo_precision -> spread of points around a town
COLUMNS = (
    "event_id_cnty", "event_date", "year", "time_precision", "disorder_type", "event_type",
    "sub_event_type", "actor1", "assoc_actor_1", "inter1", "actor2", "assoc_actor_2",
    "inter2", "interaction", "civilian_targeting", "iso", "region", "country", "admin1",
    "admin2", "admin3", "location", "latitude", "longitude", "geo_precision", "source",
    "source_scale", "notes", "fatalities", "tags", "timestamp",
)


def _days(rng: np.random.Generator, count: int) -> np.ndarray:
    """Event days: a uniform background plus the bursts, as datetime64[D]."""
    shares = np.array([share for *_, share in BURSTS])
    which = rng.choice(len(BURSTS) + 1, size=count, p=[1 - shares.sum(), *shares])
    spans = [SPAN, *((first, last) for first, last, _ in BURSTS)]
    first = np.array([np.datetime64(a) for a, _ in spans])
    length = np.array([(b - a).days + 1 for a, b in spans])
    offset = np.floor(rng.random(count) ** 1.5 * length[which]).astype(int)  # early-heavy
    return first[which] + offset.astype("timedelta64[D]")


def acled_frame(count: int, seed: int = 0, first: int = 1) -> pd.DataFrame:
    """``count`` synthetic ACLED rows (all 31 columns, strings as ACLED writes them),
    numbered from ``first``."""
    rng = np.random.default_rng(seed)
    towns = pd.DataFrame(TOWNS, columns=["location", "admin1", "country", "iso", "lat",
                                         "lon", "weight"])
    town = towns.iloc[rng.choice(len(towns), size=count,
                                 p=towns["weight"] / towns["weight"].sum())]
    town = town.reset_index(drop=True)
    kinds = pd.DataFrame(TYPES, columns=["event_type", "sub_event_type", "disorder_type",
                                         "weight"])
    kind = kinds.iloc[rng.choice(len(kinds), size=count,
                                 p=kinds["weight"] / kinds["weight"].sum())]
    kind = kind.reset_index(drop=True)
    geo = rng.choice([1, 2, 3], size=count, p=[0.7, 0.25, 0.05])
    spread = np.vectorize(SCATTER_KM.get)(geo) / 111.0
    lat = town["lat"].to_numpy() + rng.normal(0, 1, count) * spread
    lon = town["lon"].to_numpy() + rng.normal(0, 1, count) * spread / np.cos(
        np.radians(town["lat"].to_numpy()))
    days = _days(rng, count)
    violent = kind["disorder_type"].eq("Political violence").to_numpy()
    fatalities = np.where(violent & (rng.random(count) < 0.3),
                          rng.geometric(0.35, count), 0)
    own = np.array([ACTORS[c][0] for c in town["country"]], dtype=object)
    other = np.array([ACTORS["Azerbaijan" if c == "Armenia" else "Armenia"][0]
                      for c in town["country"]], dtype=object)
    protest = kind["event_type"].isin(["Protests", "Riots"]).to_numpy()
    civilians = kind["event_type"].eq("Violence against civilians").to_numpy()
    actor1 = np.where(protest, [ACTORS[c][1] for c in town["country"]],
                      np.where(civilians, other, own))
    actor2 = np.where(protest, np.where(rng.random(count) < 0.3,
                                        [ACTORS[c][2] for c in town["country"]], ""),
                      np.where(civilians, [ACTORS[c][3] for c in town["country"]], other))
    source = np.array(SOURCES, dtype=object)[rng.integers(0, len(SOURCES), count)]
    time_precision = rng.choice([1, 2, 3], size=count, p=[0.85, 0.12, 0.03])
    number = np.arange(first, first + count)
    prefix = np.where(town["country"].eq("Armenia"), "ARM", "AZE")
    day_text = pd.Series(days).dt.strftime("%d %B %Y").str.lstrip("0")
    notes = ("On " + day_text + ", " + kind["sub_event_type"].str.lower() + " reported in "
             + town["location"] + " (" + town["admin1"] + ", " + town["country"]
             + "). Synthetic event " + pd.Series(number).astype(str) + " for testing; "
             + np.where(fatalities > 0, pd.Series(fatalities).astype(str) + " fatalities.",
                        "no fatalities reported."))
    return pd.DataFrame({
        "event_id_cnty": pd.Series(prefix) + pd.Series(number).astype(str),
        "event_date": pd.Series(days).dt.strftime("%Y-%m-%d"),
        "year": pd.Series(days).dt.year.astype(str),
        "time_precision": time_precision.astype(str),
        "disorder_type": kind["disorder_type"],
        "event_type": kind["event_type"], "sub_event_type": kind["sub_event_type"],
        "actor1": actor1, "assoc_actor_1": "", "inter1": "1", "actor2": actor2,
        "assoc_actor_2": "", "inter2": np.where(actor2 == "", "", "1"), "interaction": "11",
        "civilian_targeting": np.where(civilians, "Civilian targeting", ""),
        "iso": town["iso"].astype(str), "region": "Caucasus and Central Asia",
        "country": town["country"], "admin1": town["admin1"], "admin2": "", "admin3": "",
        "location": town["location"], "latitude": np.round(lat, 4).astype(str),
        "longitude": np.round(lon, 4).astype(str), "geo_precision": geo.astype(str),
        "source": source, "source_scale": "National", "notes": notes,
        "fatalities": fatalities.astype(str), "tags": "",
        "timestamp": "1700000000",
    }, columns=list(COLUMNS))


def write_acled(path: Path, count: int, seed: int = 0, chunk: int = 250_000) -> Path:
    """Write ``count`` synthetic ACLED rows to ``path`` as CSV (in chunks: bounded memory)."""
    path = Path(path)
    with path.open("w", encoding="utf-8", newline="") as handle:
        for start in range(0, count, chunk):
            part = acled_frame(min(chunk, count - start), seed + start, first=start + 1)
            part.to_csv(handle, index=False, header=start == 0, lineterminator="\n")
    return path


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.generate", description=__doc__
                                     .splitlines()[0])
    parser.add_argument("rows", type=int, help="how many events")
    parser.add_argument("-o", "--output", required=True, help="CSV file to write")
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args(argv)
    write_acled(Path(args.output), args.rows, args.seed)
    print(f"wrote {args.rows:,} synthetic ACLED events to {args.output}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
