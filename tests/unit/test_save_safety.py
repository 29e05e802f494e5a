"""``save N FILE`` (issue 12, Secrets): mode 0600, never through a symbolic link, never over an existing file
without ``--force``, never into a FIFO or device (which would block the shell). Driven through the real shell."""

from __future__ import annotations

import os
import stat
import threading

import pytest

from tests.unit.test_shell import FakeClient, drive
from zcli.catalog import Catalog
from zcli.commands import Context
from zcli.errors import UsageError
from zcli.privatefile import write_private

pytestmark = pytest.mark.timeout(30)


@pytest.fixture(scope="module")
def catalog():
    return Catalog()


@pytest.fixture
def ctx(catalog):
    return Context(catalog=catalog, client=FakeClient(), endpoint="http://mn:8080/zstack", account="admin")


def test_save_writes_0600_whatever_the_umask(ctx, tmp_path):
    old = os.umask(0o022)
    try:
        status, _, err, _ = drive(ctx, f"QueryZone\rsave 1 {tmp_path}/z.json\rexit\r")
    finally:
        os.umask(old)
    assert status == 0 and err == "", err
    assert stat.S_IMODE((tmp_path / "z.json").stat().st_mode) == 0o600


def test_save_never_follows_a_symlink(ctx, tmp_path):
    victim = tmp_path / "victim"
    victim.write_text("keep me\n")
    (tmp_path / "link.json").symlink_to(victim)
    (tmp_path / "dangling.json").symlink_to(tmp_path / "nowhere")
    keys = f"QueryZone\rsave 1 {tmp_path}/link.json\rsave 1 {tmp_path}/link.json --force\r" \
           f"save 1 {tmp_path}/dangling.json\rexit\r"
    _, _, err, _ = drive(ctx, keys)
    assert victim.read_text() == "keep me\n"
    assert not (tmp_path / "nowhere").exists()
    assert err.count("is a symbolic link: not followed") == 3, err


def test_save_does_not_replace_a_file_unless_told_to(ctx, tmp_path):
    target = tmp_path / "z.json"
    target.write_text("old\n")
    target.chmod(0o644)
    _, _, err, _ = drive(ctx, f"QueryZone\rsave 1 {target}\rexit\r")
    assert target.read_text() == "old\n" and "exists: not replaced (add --force" in err
    _, _, err, _ = drive(ctx, f"QueryZone\rsave --force 1 {target}\rexit\r")
    assert err == "" and '"zone-1"' in target.read_text()
    assert stat.S_IMODE(target.stat().st_mode) == 0o600  # replaced whole, private
    assert [p.name for p in tmp_path.iterdir()] == ["z.json"]  # no temporary file left


def test_save_refuses_a_fifo_instead_of_blocking(ctx, tmp_path):
    fifo = tmp_path / "pipe.json"
    os.mkfifo(fifo)
    done = threading.Event()
    result = {}

    def run():
        result["run"] = drive(ctx, f"QueryZone\rsave 1 {fifo}\rsave 1 {fifo} --force\rexit\r")
        done.set()

    threading.Thread(target=run, daemon=True).start()
    assert done.wait(10), "save blocked on a FIFO"
    _, _, err, _ = result["run"]
    assert err.count("is a FIFO, not a regular file") == 2, err


def test_save_refuses_a_device(tmp_path):
    with pytest.raises(UsageError, match="is a device, not a regular file"):
        write_private("/dev/null", "x", replace=True)


def test_save_of_a_folder_is_refused(tmp_path):
    with pytest.raises(UsageError, match="is a folder"):
        write_private(tmp_path, "x", replace=True)

