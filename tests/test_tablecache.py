"""The cache of imported tables: read back equal, hit when nothing changed, miss otherwise,
damaged entries rebuilt, entries written whole, the folder bounded."""

from __future__ import annotations

import os
import shutil
import threading
import time
from dataclasses import replace
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import shapely
from geopandas.testing import assert_geodataframe_equal

import dashboard.tablecache as tablecache
from bench.generate import acled_frame
from dashboard.cli import main
from dashboard.dataset import Dataset
from dashboard.importing import load_path
from dashboard.paths import DEFAULT_EVENTS, GEODATA_DIR, PLACES_FILE
from dashboard.settings import Settings
from dashboard.tablecache import TableCache, load_cached, store
from dashboard.tablecache.frames import (
    Unsupported,
    read_frame,
    shape_at,
    shapes_in,
    write_frame,
)

FIXTURES = Path(__file__).parent / "fixtures" / "imports"
LIMITS = Settings().file_limits


@pytest.fixture(scope="module")
def acled_2k(tmp_path_factory) -> Path:
    """A generated ACLED export of 2,000 rows, a few of them bad."""
    frame = acled_frame(2000, seed=7)
    frame.loc[3, "event_date"] = "2023-02-30"
    frame.loc[10, "latitude"] = "140.5"
    frame.loc[11, "fatalities"] = "-2"
    frame.loc[12, "event_type"] = "Picnics"
    path = tmp_path_factory.mktemp("acled") / "acled-2k.csv"
    frame.to_csv(path, index=False)
    return path


@pytest.fixture
def cache(tmp_path) -> TableCache:
    return TableCache(tmp_path / "cache")


def entries(cache: TableCache) -> list[Path]:
    folder = cache.folder
    return sorted(p for p in folder.iterdir() if not p.name.startswith(".")) if folder.is_dir() \
        else []


def no_import(monkeypatch) -> None:
    """Any import from now on fails the test: the data must come from the cache."""
    def refuse(*args, **kwargs):
        raise AssertionError("imported again")
    monkeypatch.setattr(tablecache, "load_path", refuse)


def assert_same(cached: Dataset, loaded: Dataset, base_regions: bool = True) -> None:
    assert cached is not loaded
    assert_geodataframe_equal(cached.events, loaded.events, check_dtype=True, check_crs=True)
    assert list(cached.events.dtypes.astype(str)) == list(loaded.events.dtypes.astype(str))
    for column in loaded.events.columns:  # the same kinds of value: tuples stay tuples
        assert [type(v) for v in cached.events[column]] == \
            [type(v) for v in loaded.events[column]], column
    assert cached.problems == loaded.problems and cached.notices == loaded.notices
    assert (cached.path, cached.name, cached.format, cached.unit, cached.total_rows) == \
        (loaded.path, loaded.name, loaded.format, loaded.unit, loaded.total_rows)
    before, after = loaded.geodata.gazetteer, cached.geodata.gazetteer
    ids = [p.id for p in before]
    # One by one first (a cached place is made when asked for), then all of them.
    for place_id in ids[::-1]:
        mine, theirs = after[place_id], before[place_id]
        assert mine == theirs and mine.geometry.equals_exact(theirs.geometry, 0)
        assert {f: type(getattr(mine, f)) for f in mine.__dataclass_fields__} == \
            {f: type(getattr(theirs, f)) for f in theirs.__dataclass_fields__}
        assert after.on(place_id, None) is mine
    assert [p.id for p in after] == ids and len(after) == len(before)
    assert cached.geodata.place_regions == loaded.geodata.place_regions
    if base_regions:
        assert cached.geodata.regions is loaded.geodata.regions


@pytest.mark.parametrize("name", ["events.csv", "acled-2k.csv", "ged.csv", "acled.geojson"])
def test_a_cached_dataset_equals_the_loaded_one(name, geodata, cache, acled_2k, monkeypatch):
    path = {"events.csv": DEFAULT_EVENTS, "acled-2k.csv": acled_2k}.get(name, FIXTURES / name)
    loaded = load_cached(path, geodata, cache, limits=LIMITS)
    assert len(entries(cache)) == 1
    no_import(monkeypatch)
    assert_same(load_cached(path, geodata, cache, limits=LIMITS), loaded)
    assert_same(load_cached(path, geodata, cache, limits=LIMITS),
                load_path(path, geodata, limits=LIMITS))


def test_the_generated_file_keeps_its_bad_rows_and_added_places(geodata, cache, acled_2k):
    loaded = load_cached(acled_2k, geodata, cache, limits=LIMITS)
    cached = load_cached(acled_2k, geodata, cache, limits=LIMITS)
    assert {p.line for p in cached.skipped} == {5, 12, 13, 14}
    assert len(cached.geodata.gazetteer) > len(geodata.gazetteer) + 100
    assert len(cached.events) == len(loaded.events) == 1996


def test_a_file_changed_under_the_same_time_stamp_is_imported_again(geodata, cache, tmp_path):
    path = tmp_path / "acled.csv"
    shutil.copy(FIXTURES / "acled.csv", path)
    first = load_cached(path, geodata, cache, limits=LIMITS)
    stamp = path.stat()
    text = path.read_text(encoding="utf-8").replace("a protest in Yerevan", "a march in Yerevan")
    path.write_text(text, encoding="utf-8")
    os.utime(path, ns=(stamp.st_atime_ns, stamp.st_mtime_ns))
    second = load_cached(path, geodata, cache, limits=LIMITS)
    assert len(entries(cache)) == 2
    assert set(second.events["quote"]) - set(first.events["quote"]) == {
        "Fixture: a test row describing a march in Yerevan."}


def test_changed_geodata_limits_or_format_miss(geodata, cache, tmp_path, monkeypatch):
    path = FIXTURES / "ged.csv"
    load_cached(path, geodata, cache, limits=LIMITS)
    folder = tmp_path / "geodata"
    shutil.copytree(GEODATA_DIR, folder)
    with (folder / PLACES_FILE).open("a", encoding="utf-8") as handle:
        handle.write("\n")  # the same places: only the bytes differ
    load_cached(path, geodata, cache, geodata_dir=folder, limits=LIMITS)
    narrower = Settings.from_env({"DASHBOARD_DATE_MIN": "2000-01-01"}).file_limits
    load_cached(path, geodata, cache, limits=narrower)
    load_cached(path, geodata, cache, limits=LIMITS, fmt="ged")
    assert len(entries(cache)) == 4
    no_import(monkeypatch)
    load_cached(path, geodata, cache, geodata_dir=folder, limits=LIMITS)


@pytest.mark.parametrize("damage", [
    lambda entry: (entry / "events.parquet").write_bytes(b"PAR1 not parquet"),
    lambda entry: (entry / "meta.json").write_text("{", encoding="utf-8"),
    lambda entry: (entry / "meta.json").unlink(),
    lambda entry: (entry / "points.parquet").write_bytes(  # an imported file's places
        (entry / "points.parquet").read_bytes()[:200]),
    lambda entry: (entry / "meta.json").write_text('{"fields": {"nope": 1}, "rows": 1}',
                                                   encoding="utf-8"),
])
def test_a_damaged_entry_is_dropped_and_the_file_imported_again(damage, geodata, cache):
    path = FIXTURES / "acled.csv"
    loaded = load_cached(path, geodata, cache, limits=LIMITS)
    [entry] = entries(cache)
    damage(entry)
    again = load_cached(path, geodata, cache, limits=LIMITS)  # no exception
    assert_same(again, loaded)
    assert entries(cache) == [entry]  # written anew
    assert_same(load_cached(path, geodata, cache, limits=LIMITS), loaded)


def test_an_entry_is_written_whole_or_not_at_all(tmp_path):
    folder = tmp_path / "cache"
    seen: list[bool] = []

    def fill(entry: Path) -> None:
        (entry / "a").write_text("1")
        seen.append(store.find(folder, "key") is None)  # not visible while written
        raise OSError("disk full")

    assert store.write(folder, "key", fill) is None
    assert seen == [True] and list(folder.iterdir()) == []

    def slow(entry: Path) -> None:
        time.sleep(0.05)
        (entry / "a").write_text(threading.current_thread().name)

    writers = [threading.Thread(target=store.write, args=(folder, "key", slow), name=str(i))
               for i in range(4)]
    for writer in writers:
        writer.start()
    for writer in writers:
        writer.join()
    assert [p.name for p in folder.iterdir()] == ["key"]  # one won, the others dropped
    assert (folder / "key" / "a").read_text() in {"0", "1", "2", "3"}


def test_the_folder_keeps_the_most_recently_used_entries(geodata, tmp_path):
    cache = TableCache(tmp_path / "cache", keep=2)
    names = ["acled.csv", "ged.csv", "acled.geojson"]
    for name in names[:2]:
        load_cached(FIXTURES / name, geodata, cache, limits=LIMITS)
        time.sleep(0.02)
    load_cached(FIXTURES / names[0], geodata, cache, limits=LIMITS)  # used again: newest
    leftover = cache.folder / ".abandoned-by-a-dead-writer"
    leftover.mkdir()
    os.utime(leftover, (0, 0))
    load_cached(FIXTURES / names[2], geodata, cache, limits=LIMITS)
    kept = {p.name for p in entries(cache)}
    assert len(kept) == 2 and not leftover.exists()
    assert TableCache(cache.folder).key(FIXTURES / "ged.csv", GEODATA_DIR, None,
                                        LIMITS) not in kept


def test_an_unwritable_folder_or_an_unkept_table_leaves_the_file_uncached(
        geodata, tmp_path, monkeypatch):
    blocked = tmp_path / "file"
    blocked.write_text("not a folder")
    data = load_cached(FIXTURES / "ged.csv", geodata, TableCache(blocked / "cache"),
                       limits=LIMITS)
    assert len(data.events) == 2
    cache = TableCache(tmp_path / "cache")
    original = tablecache.load_path

    def with_odd_column(*args, **kwargs):
        loaded = original(*args, **kwargs)
        loaded.events["odd"] = [{"a": 1}] * len(loaded.events)
        return loaded

    monkeypatch.setattr(tablecache, "load_path", with_odd_column)
    assert "odd" in load_cached(FIXTURES / "ged.csv", geodata, cache, limits=LIMITS).events
    assert entries(cache) == []


def test_progress_goes_from_0_to_1(geodata, cache):
    told: list[tuple[float, str]] = []
    for _ in range(2):  # imported, then from the cache
        told.clear()
        load_cached(FIXTURES / "acled.csv", geodata, cache, limits=LIMITS,
                    progress=lambda f, m: told.append((f, m)))
        fractions = [f for f, _ in told]
        assert fractions == sorted(fractions) and fractions[-1] == 1.0 and fractions[0] >= 0
    assert "Reading the table kept from the last load" in {m for _, m in told}


def test_a_background_write_lands(geodata, tmp_path):
    cache = TableCache(tmp_path / "cache", background=True)
    load_cached(FIXTURES / "ged.csv", geodata, cache, limits=LIMITS)
    for _ in range(200):
        if entries(cache):
            break
        time.sleep(0.05)
    assert len(entries(cache)) == 1


def test_validate_prints_the_same_from_the_cache(capsys, acled_2k, table_cache):
    outputs = []
    for _ in range(3):  # checked; then imported (by the snapshot); then from the cache
        assert main(["validate", str(acled_2k)]) == 1
        outputs.append(capsys.readouterr())
        if len(outputs) == 1:
            before = set(table_cache.iterdir())
            assert main(["snapshot", "--events", str(acled_2k), "--format", "csv",
                         "-o", str(acled_2k.with_suffix(".out.csv"))]) == 0
            assert set(table_cache.iterdir()) - before  # the snapshot kept its table
            capsys.readouterr()
    assert outputs[0] == outputs[1] == outputs[2]
    assert "2000 rows, 1996 valid, 4 errors" in outputs[0].err


def test_frames_keep_every_dtype(tmp_path):
    frame = pd.DataFrame({
        "category": pd.Categorical(["b", "a", None], categories=["b", "a"], ordered=True),
        "count": pd.array([1, None, 3], dtype="Int64"),
        "when": pd.to_datetime(["2023-09-19", "2020-01-01", None]).astype("datetime64[s]"),
        "text": pd.array(["x", None, "z"], dtype="str"),
        "tuples": [("a", "b"), (), None],
        "shapes": [shapely.Point(1, 2), None, shapely.box(0, 0, 1, 1)],
        "points": [shapely.Point(1, 2), None, shapely.Point(3, 4)],
        "empty": [None, None, None],
        "float": [0.5, np.nan, 2.0],
    }, index=pd.Index([5, 7, 9]))
    frame.attrs = {"source": "test"}
    write_frame(frame, tmp_path / "t.parquet")
    back = read_frame(tmp_path / "t.parquet")
    pd.testing.assert_frame_equal(back, frame)
    assert back.attrs == frame.attrs
    with pytest.raises(Unsupported):
        write_frame(pd.DataFrame({"mixed": [(1,), "a"]}), tmp_path / "u.parquet")


def test_a_table_of_the_geodata_that_is_not_the_base_one_is_kept_whole(geodata, cache):
    loaded = load_path(FIXTURES / "acled.csv", geodata, limits=LIMITS)
    own = replace(loaded.geodata, regions=loaded.geodata.regions.copy())
    data = replace(loaded, geodata=own)
    assert cache.write("key", data, geodata)
    back = cache.get("key", data.path, geodata)
    assert back is not None and back.geodata.regions is not geodata.regions
    assert_geodataframe_equal(back.geodata.regions, own.regions, check_dtype=True)
    assert_same(back, data, base_regions=False)


def test_mostly_distinct_tuples_are_kept_per_row_and_can_wait(tmp_path):
    count = 3000
    frame = pd.DataFrame({"anchor": [(i / 7, -i / 3) for i in range(count)],
                          "names": [[f"n{i}", "x"] if i % 5 else None for i in range(count)],
                          "point": [shapely.Point(i, 1) for i in range(count)]})
    write_frame(frame, tmp_path / "t.parquet")
    pd.testing.assert_frame_equal(read_frame(tmp_path / "t.parquet"), frame)
    waiting = read_frame(tmp_path / "t.parquet", as_needed=["anchor", "point"])
    assert isinstance(waiting["anchor"].dtype, pd.ArrowDtype)
    assert tuple(waiting["anchor"].array[5]) == frame["anchor"][5]
    assert list(shapes_in(waiting["point"])) == list(frame["point"])
    assert shape_at(waiting["point"].array[7]) == frame["point"][7]
