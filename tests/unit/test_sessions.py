"""SessionStore: private files, one per endpoint and account, newest current, nothing but the uuid."""

from __future__ import annotations

import json
import stat

from zcli.sessions import SessionStore, endpoint_key

EP = "http://localhost:8080/zstack"
OTHER = "https://mn.example.com:8443/zstack"


class Clock:
    def __init__(self):
        self.t = 1000.0

    def __call__(self) -> float:
        self.t += 1
        return self.t


def test_save_makes_private_folder_and_file(tmp_path):
    store = SessionStore(tmp_path / "state")
    path = store.save(EP, "admin", "S1")
    assert stat.S_IMODE(path.parent.stat().st_mode) == 0o700
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert json.loads(path.read_text()) == {"endpoint": EP, "account": "admin", "uuid": "S1",
                                            "saved": json.loads(path.read_text())["saved"]}
    assert [p.name for p in path.parent.iterdir()] == [path.name]  # no temporary file left behind


def test_loose_folder_is_tightened(tmp_path):
    folder = tmp_path / "sessions"
    folder.mkdir(mode=0o755)
    folder.chmod(0o755)
    SessionStore(tmp_path).save(EP, "admin", "S1")
    assert stat.S_IMODE(folder.stat().st_mode) == 0o700


def test_load_account_clear(tmp_path):
    store = SessionStore(tmp_path, clock=Clock())
    assert store.load(EP) is None and store.account(EP) is None
    store.save(EP, "admin", "S1")
    store.save(EP, "ops", "S2")
    store.save(OTHER, "admin", "S3")
    assert (store.load(EP), store.account(EP)) == ("S2", "ops")  # the newest is current
    assert store.load(EP, "admin") == "S1"
    assert store.load(OTHER) == "S3"
    assert store.clear(EP) is True  # the current one
    assert (store.load(EP), store.account(EP)) == ("S1", "admin")
    assert store.clear(EP, "admin") is True
    assert store.load(EP) is None and store.clear(EP) is False
    assert store.load(OTHER) == "S3"


def test_saving_again_replaces_the_accounts_session(tmp_path):
    store = SessionStore(tmp_path, clock=Clock())
    store.save(EP, "admin", "S1")
    store.save(EP, "admin", "S4")
    assert store.load(EP) == "S4"
    assert len(list((tmp_path / "sessions").iterdir())) == 1


def test_discard_by_uuid(tmp_path):
    store = SessionStore(tmp_path, clock=Clock())
    store.save(EP, "admin", "S1")
    store.save(EP, "ops", "S2")
    assert store.discard(EP, "S1") is True
    assert store.load(EP, "admin") is None and store.load(EP) == "S2"
    assert store.discard(EP, "nope") is False


def test_trailing_slash_is_the_same_endpoint_and_odd_names_are_safe(tmp_path):
    store = SessionStore(tmp_path)
    path = store.save(EP + "/", "../../etc/passwd", "S1")
    assert path.parent == tmp_path / "sessions"
    assert store.load(EP) == "S1"
    assert endpoint_key(EP) == endpoint_key(EP + "/") != endpoint_key(OTHER)


def test_unreadable_files_are_skipped(tmp_path):
    store = SessionStore(tmp_path)
    store.save(EP, "admin", "S1")
    (tmp_path / "sessions" / f"{endpoint_key(EP)}.broken.json").write_text("{not json")
    assert store.load(EP) == "S1"


def test_current_is_the_newest_account_and_uuid(tmp_path):
    store = SessionStore(tmp_path, clock=Clock())
    assert store.current(EP) is None
    store.save(EP, "admin", "S1")
    store.save(EP, "ops", "S2")
    assert store.current(EP) == ("ops", "S2")
    assert store.current(OTHER) is None


def test_the_host_of_an_endpoint_is_compared_case_insensitively(tmp_path):
    store = SessionStore(tmp_path)
    store.save("http://localhost:8080/zstack", "admin", "S1")
    assert store.current("HTTP://LOCALHOST:8080/zstack/") == ("admin", "S1")
    store.save("http://Mn.Example.com:8080/zstack", "ops", "S2")
    assert store.load("http://mn.example.COM:8080/zstack") == "S2"
    assert store.load("http://mn.example.com:8080/ZStack") is None  # a path's case matters
    assert store.discard("http://MN.example.com:8080/zstack", "S2") is True
