"""The copies Streamlit's static route serves (Leaflet's files, the source texts) are written
only when missing or changed, and whole: servers started together on one checkout never
rewrite a file a browser is reading, nor serve half of one."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from dashboard.assets import KNOWN, sync_static
from dashboard.files import write_atomic
from dashboard.sources import load_sources, sync_texts


def signatures(folder: Path) -> dict[Path, tuple[int, int]]:
    """Every file under ``folder`` -> (inode, modification time in ns)."""
    return {p.relative_to(folder): (p.stat().st_ino, p.stat().st_mtime_ns)
            for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.mark.parametrize("sync", [sync_static, sync_texts], ids=["vendor", "sources"])
def test_a_second_sync_rewrites_nothing(tmp_path, sync):
    target = sync(tmp_path)
    for path in target.rglob("*"):  # a time no copy would get: a rewrite shows
        os.utime(path, ns=(10**18, 10**18))
    first = signatures(target)
    assert first
    assert sync(tmp_path) == target
    assert signatures(target) == first


def test_the_images_a_stylesheet_needs_are_copied(tmp_path):
    vendor = sync_static(tmp_path)
    leaflet = KNOWN["leaflet_css"]
    images = sorted(p.name for p in (leaflet.directory / "images").iterdir() if p.is_file())
    assert images
    for name in images:
        copy = vendor / leaflet.vendor_dir / "images" / name
        assert copy.read_bytes() == (leaflet.directory / "images" / name).read_bytes()


@pytest.mark.parametrize("damage", [b"", b"x" * 10, None], ids=["empty", "short", "same-size"])
def test_a_changed_copy_is_replaced_whole(tmp_path, damage):
    leaflet = KNOWN["leaflet"]
    vendor = sync_static(tmp_path)
    copy = vendor / leaflet.vendor_dir / leaflet.file
    original = leaflet.path.read_bytes()
    copy.write_bytes(b"y" * len(original) if damage is None else damage)
    untouched = signatures(vendor)
    before = untouched.pop(copy.relative_to(vendor))
    with copy.open("rb") as reader:  # a browser reading the old copy meanwhile
        sync_static(tmp_path)
        assert reader.read() == (b"y" * len(original) if damage is None else damage)
    assert copy.read_bytes() == original
    after = signatures(vendor)
    assert after.pop(copy.relative_to(vendor))[0] != before[0]  # moved into place
    assert after == untouched  # only the changed file was written
    assert not [p for p in vendor.rglob(".*") if p.is_file()]  # no temporary file left


def test_a_changed_text_is_replaced_whole(tmp_path):
    target = sync_texts(tmp_path)
    source = load_sources()[0]
    copy = target / source.file
    wanted = copy.read_bytes()
    copy.write_bytes(wanted[: len(wanted) // 2])  # half a text, as an in-place write leaves
    before = copy.stat().st_ino
    sync_texts(tmp_path)
    assert copy.read_bytes() == wanted
    assert copy.stat().st_ino != before  # moved into place, not written over
    assert not [p for p in target.iterdir() if p.name.startswith(".")]


def test_a_failed_write_leaves_the_old_file(tmp_path, monkeypatch):
    path = tmp_path / "file.txt"
    path.write_bytes(b"old")

    def refuse(*_args):
        raise OSError("disk full")

    monkeypatch.setattr("dashboard.files.os.replace", refuse)
    with pytest.raises(OSError, match="disk full"):
        write_atomic(path, b"new")
    assert path.read_bytes() == b"old"
    assert [p.name for p in tmp_path.iterdir()] == ["file.txt"]
