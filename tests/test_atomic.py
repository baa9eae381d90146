"""Atomic outputs: a process killed with SIGKILL in the middle of writing a map, a GeoJSON file or the
gazetteer leaves the previous file whole, and the temporary file it leaves behind is cleared by the next
write; two runs at once into one folder both succeed. (Two gazetteer builds at once:
tests/test_gazetteer.py::test_two_builds_at_once_leave_one_good_file.)"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from gazetteer import Gazetteer, build
from geomap import frame, render
from tests.conftest import ROOT
from tests.test_hostile import geomap_command
from tests.test_render import make_frame

pytestmark = pytest.mark.skipif(os.name != "posix", reason="SIGKILL and fcntl locks are POSIX")

# The child writes half of the file, says where through its stdout, then waits to be killed.
BLOCKING_WRITE = """
import sys, time
from pathlib import Path

def half_then_wait(self, data, *args, **kwargs):
    with open(self, "w", encoding="utf-8") as fh:
        fh.write(data[: len(data) // 2])
    print(self, flush=True)
    time.sleep(600)

Path.write_text = half_then_wait
"""

WRITERS = {
    "geojson": ("incidents.geojson", "frame.write(make_frame(40), out)"),
    "map": ("map.html", "render.save(render.incident_map(make_frame(40)), out)"),
    "embed": ("map.html", "render.save(render.incident_map(make_frame(40)), out, embed=True)"),
}


def killed_mid_write(code: str, *args: str) -> Path:
    """Run ``code`` in a child, wait until it reports the temporary file it is writing, SIGKILL it;
    returns that temporary file."""
    child = subprocess.Popen(
        [sys.executable, "-c", code, *args], cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )
    try:
        line = child.stdout.readline().strip()
        assert line, f"the child ended before writing: {child.stderr.read()}"
        os.kill(child.pid, signal.SIGKILL)
    finally:
        child.kill()
        child.wait(timeout=30)
        child.stdout.close()
        child.stderr.close()
    assert child.returncode == -signal.SIGKILL
    return Path(line)


def leftovers(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if ".tmp" in p.name)


@pytest.mark.parametrize("kind", WRITERS)
def test_killed_writer_leaves_the_previous_output_whole(tmp_path, kind):
    name, call = WRITERS[kind]
    out = tmp_path / name
    if kind == "geojson":
        frame.write(make_frame(3), out)
    else:
        render.save(render.incident_map(make_frame(3)), out, embed=kind == "embed")
    before = out.read_bytes()

    code = BLOCKING_WRITE + textwrap.dedent(f"""
        from geomap import frame, render
        from tests.test_render import make_frame
        out = Path(sys.argv[1])
        {call}
    """)
    tmp = killed_mid_write(code, str(out))
    assert tmp.parent == tmp_path and tmp.name.startswith(f".{out.stem}.") and tmp.stat().st_size > 0
    assert out.read_bytes() == before  # the previous output, byte for byte
    assert leftovers(tmp_path) == [tmp.name]

    # the next write works and clears what the killed run left
    if kind == "geojson":
        frame.write(make_frame(5), out)
        assert len(frame.read(out)) == 5
    else:
        render.save(render.incident_map(make_frame(5)), out, embed=kind == "embed")
        assert "5 incidents" in out.read_text(encoding="utf-8")
    assert leftovers(tmp_path) == []


def test_a_live_writers_temporary_file_is_left_alone(tmp_path):
    out = tmp_path / "incidents.geojson"
    mine = tmp_path / f".incidents.{os.getpid()}-0123abcd.tmp.geojson"  # this process is alive: in progress
    gone = tmp_path / ".incidents.999999999-0123abcd.tmp.geojson"  # beyond any process id
    other = tmp_path / ".incidents.report.999999999-0123abcd.tmp.json"  # another file's
    for path in (mine, gone, other):
        path.write_text("partial")
    frame.write(make_frame(2), out)
    assert leftovers(tmp_path) == sorted([mine.name, other.name])


def test_killed_gazetteer_build_leaves_the_previous_file_usable(tmp_path, tiny_sources):
    path = tmp_path / "g.sqlite"
    build.build(path, fetch=False)
    before = path.read_bytes()

    code = textwrap.dedent("""
        import sys, time
        from pathlib import Path
        from gazetteer import build
        from gazetteer.sources import geonames_cache

        def wait():  # the build holds its lock and has begun its temporary database
            tmp = next(Path(sys.argv[1]).parent.glob(".g.sqlite.*.tmp"))
            print(tmp, flush=True)
            time.sleep(600)

        geonames_cache.load_cities = wait
        build.build(Path(sys.argv[1]), fetch=False)
    """)
    tmp = killed_mid_write(code, str(path))
    assert tmp.exists() and path.read_bytes() == before
    gaz = Gazetteer(path)  # opens: complete and of the right version
    assert gaz.lookup("Alpha")[0].entry.name == "Alpha"
    gaz.close()

    build.build(path, fetch=False)  # the lock died with the child; the next build clears its file
    assert not tmp.exists() and leftovers(tmp_path) == []
    assert Gazetteer(path).lookup("Beta")[0].entry.name == "Beta"


def test_two_runs_at_once_into_one_folder(gaz, tmp_path):
    """Two `geomap run` processes over the same articles, into the same folder and results cache, at once:
    both succeed, and the folder holds whole files and nothing else."""
    env = {k: v for k, v in os.environ.items() if k != "GEOMAP_ONLINE"}
    env.update(GEOMAP_GAZETTEER=str(gaz.path), GEOMAP_CACHE=str(tmp_path / "cache"))
    out = tmp_path / "out"
    command = [*geomap_command(), "run", str(ROOT / "examples" / "articles"), "-j", "1", "-q", "-o", str(out)]
    runs = [subprocess.Popen(command, env=env, stderr=subprocess.PIPE, text=True) for _ in range(2)]
    for run in runs:
        _, stderr = run.communicate(timeout=600)
        assert run.returncode == 0, stderr
    assert sorted(p.name for p in out.iterdir()) == ["incidents.geojson", "map.html", "report.json"]
    assert len(frame.read(out / "incidents.geojson")) == json.loads((out / "report.json").read_text())["selected"]
    assert (out / "map.html").read_text(encoding="utf-8").rstrip().endswith("</html>")
