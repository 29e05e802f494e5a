"""``--all`` against a large simulator world: each page is printed as it arrives, and the zcli process's
peak memory does not grow with the number of pages (jsonl, csv and value)."""

from __future__ import annotations

import itertools
import subprocess
import sys

import pytest

from tests.conftest import login, spawn_sim
from tests.integration.clirun import Zcli
from zcli.sessions import SessionStore

SCALE = 150  # 3,000 VMs, with their NICs and volumes: about 6 MB of jsonl, 5 MB of csv
VMS = 20 * SCALE
PAGE = 20


@pytest.fixture(scope="module")
def big(tmp_path_factory):
    """A ``zcli sim --scale`` world of its own, and a zcli logged in to it."""
    running = spawn_sim("--scale", str(SCALE))
    tmp = tmp_path_factory.mktemp("big")
    SessionStore(tmp / "state").save(running.url, "admin", login(running.api))
    yield Zcli(tmp, ZCLI_URL=running.url)
    running.stop()


# Runs zcli and then reports the process's own high-water mark of resident memory. VmHWM belongs to the
# address space, which exec replaces: unlike wait4's ru_maxrss, it does not inherit the size of the
# pytest process that forked it.
_MEASURED = (
    "import sys\n"
    "from zcli.__main__ import main\n"
    "rc = main(sys.argv[1:])\n"
    "sys.stdout.flush()\n"
    "hwm = [l for l in open('/proc/self/status') if l.startswith('VmHWM:')][0].split()[1]\n"
    "sys.stderr.write('VmHWM ' + hwm + '\\n')\n"
    "sys.exit(rc)\n"
)


def peak_rss(z: Zcli, *args: str) -> tuple[int, int]:
    """Run zcli; its peak resident memory in KiB and its output's size."""
    proc = subprocess.Popen([sys.executable, "-c", _MEASURED, *args], env=z.env, text=True, encoding="utf-8",
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    size = sum(len(chunk) for chunk in iter(lambda: proc.stdout.read(1 << 16), ""))
    err = proc.stderr.read()
    assert proc.wait() == 0, err
    proc.stdout.close()
    proc.stderr.close()
    return int(err.rsplit("VmHWM ", 1)[1].split()[0]), size


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc/self/status")
@pytest.mark.parametrize("fmt", ["jsonl", "csv", "value"])
def test_all_runs_in_constant_memory(big, fmt):
    few = peak_rss(big, "QueryVmInstance", "--all", f"limit={PAGE}", f"start={VMS - 10 * PAGE}", "-o", fmt)
    many = peak_rss(big, "QueryVmInstance", "--all", f"limit={PAGE}", "-o", fmt)
    assert many[1] > 9 * few[1]  # ten times the pages, ten times the output...
    growth_kib = many[0] - few[0]
    # ...same memory: streaming grows by under 1 MiB here, keeping the pages' rows by about 10 MiB
    assert growth_kib < 3072, f"peak RSS grew by {growth_kib} KiB from 10 to {VMS // PAGE} pages"


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc/self/status")
def test_the_memory_measure_sees_a_whole_reply(big):
    """The control: the same rows as one reply (no paging) do take memory that grows with them."""
    paged, _ = peak_rss(big, "QueryVmInstance", "--all", f"limit={PAGE}", "-o", "jsonl")
    whole, _ = peak_rss(big, "QueryVmInstance", f"limit={VMS}", "-o", "jsonl")
    assert whole - paged > 12 * 1024, f"whole reply {whole} KiB, paged {paged} KiB"


def test_each_page_is_printed_before_the_next_is_fetched(big):
    """stdout and the --debug log share one pipe: every page's rows come before the request of the next."""
    done = subprocess.run([sys.executable, "-m", "zcli", "QueryVmInstance", "--all", f"limit={PAGE}",
                           f"start={VMS - 5 * PAGE}", "fields=uuid", "-o", "value", "--debug"],
                          env=big.env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, timeout=60)
    assert done.returncode == 0, done.stdout
    lines = done.stdout.splitlines()
    gets = [i for i, line in enumerate(lines) if line.startswith("debug: > GET")]
    assert len(gets) == 6  # five full pages, then an empty one
    for page, (this, following) in enumerate(itertools.pairwise(gets)):
        rows = [line for line in lines[this + 1:following] if not line.startswith("debug:")]
        assert len(rows) == PAGE, f"page {page}: {len(rows)} rows before the next request"
