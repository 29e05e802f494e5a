"""Live values (uuids, names) from the simulator when a session is kept for the endpoint, in all three
shells; and a server that is absent or silent never stalls the Tab."""

from __future__ import annotations

import io
import socket
import time

import pytest
import requests

from tests.shellcomp.shells import bash_complete, fish_complete
from zcli.completion.scripts import complete_main
from zcli.sessions import SessionStore


def names_and_uuids(sim, session: str, path: str) -> tuple[list[str], list[str]]:
    reply = requests.get(f"{sim.api}{path}", headers={"Authorization": f"OAuth {session}"}, timeout=10).json()
    rows = reply["inventories"]
    return [r["name"] for r in rows], [r["uuid"] for r in rows]


@pytest.fixture(scope="module")
def kept(sim, admin_session, shell_env):
    """A session kept for the simulator's endpoint, as ``zcli LogInByAccount`` keeps it."""
    SessionStore(shell_env["ZCLI_STATE_DIR"]).save(sim.url, "admin", admin_session)
    return sim


def test_bash_offers_uuids_of_the_resource_a_parameter_names(kept, admin_session, shell_env):
    _, vm_uuids = names_and_uuids(kept, admin_session, "/vm-instances")
    assert vm_uuids
    replies = bash_complete(f"zcli --url {kept.url} StartVmInstance uuid=", shell_env)
    assert set(vm_uuids) <= set(replies)  # bash's word starts after '='


def test_fish_offers_names_and_uuids_of_query_fields(kept, admin_session, shell_env):
    vm_names, vm_uuids = names_and_uuids(kept, admin_session, "/vm-instances")
    got = fish_complete(f"zcli -H {kept.host} -p {kept.port} QueryVmInstance name=", shell_env)
    assert {f"name={n}" for n in vm_names} <= set(got)
    assert got[f"name={vm_names[0]}"] == "live"
    got = fish_complete(f"zcli -H {kept.host} -p {kept.port} QueryVmInstance uuid={vm_uuids[0][:6]}", shell_env)
    assert f"uuid={vm_uuids[0]}" in got
    assert got[f"uuid={vm_uuids[0]}"] == vm_names[0]  # a uuid's help names its resource, as in the zcli shell


def test_bash_lists_uuids_with_the_names_of_their_resources(kept, admin_session, shell_env):
    vm_names, vm_uuids = names_and_uuids(kept, admin_session, "/vm-instances")
    line = f"zcli --url {kept.url} StartVmInstance uuid="
    listed = bash_complete(line, shell_env, comp_type=63)  # a second Tab: bash lists the replies
    pad = max(map(len, vm_uuids))
    assert {f"{u.ljust(pad)}  ({n})" for u, n in zip(vm_uuids, vm_names, strict=True)} <= set(listed)
    # A Tab that inserts gets the uuids alone, and so does a lone candidate.
    assert set(vm_uuids) <= set(bash_complete(line, shell_env))
    assert bash_complete(line + vm_uuids[0][:8], shell_env, comp_type=63) == [vm_uuids[0]]


def test_zsh_and_fish_get_the_name_of_a_live_uuids_resource(kept, admin_session, shell_env):
    """What the scripts hand to zsh's _describe (``+word:help``) and to fish (``word<TAB>help``)."""
    vm_names, vm_uuids = names_and_uuids(kept, admin_session, "/vm-instances")
    line = f"zcli --url {kept.url} StartVmInstance uuid="
    out = io.BytesIO()
    complete_main(["zsh", line], env=shell_env, out=out)
    rows = set(out.getvalue().decode().split("\n"))
    assert {f"+uuid={u}:{n}" for u, n in zip(vm_uuids, vm_names, strict=True)} <= rows
    got = fish_complete(line, shell_env)
    assert {f"uuid={u}": n for u, n in zip(vm_uuids, vm_names, strict=True)}.items() <= got.items()


def test_zsh_offers_live_values_across_tables(kept, admin_session, zsh):
    l3_names, _ = names_and_uuids(kept, admin_session, "/l3-networks")
    found, _ = zsh.complete(f"zcli --url {kept.url} QueryVmInstance vmNics.l3Network.name=")
    assert {f"vmNics.l3Network.name={n}" for n in l3_names} <= set(found)


def test_endpoint_from_the_environment(kept, admin_session, shell_env):
    _, zone_uuids = names_and_uuids(kept, admin_session, "/zones")
    got = fish_complete("zcli QueryZone uuid=", {**shell_env, "ZCLI_URL": kept.url})
    assert {f"uuid={u}" for u in zone_uuids} <= set(got)


def test_no_live_values_without_a_session_for_that_endpoint(kept, shell_env):
    # Same server, other spelling of its address: sessions are kept per endpoint URL.
    other = f"http://localhost:{kept.port}/zstack" if kept.host != "localhost" else f"http://127.0.0.1:{kept.port}/zstack"
    got = fish_complete(f"zcli --url {other} QueryVmInstance name=", shell_env)
    assert set(got) == {"name=null"}


def timed(fn, *args):
    start = time.monotonic()
    result = fn(*args)
    return result, time.monotonic() - start


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_an_absent_server_does_not_stall(shell_env):
    url = f"http://127.0.0.1:{free_port()}/zstack"  # nothing listens there
    SessionStore(shell_env["ZCLI_STATE_DIR"]).save(url, "admin", "0" * 32)
    replies, took = timed(bash_complete, f"zcli --url {url} QueryVmInstance name=", shell_env)
    assert replies == ["null"]  # the catalogue's part still comes
    assert took < 1.5


def test_a_silent_server_costs_one_short_timeout(shell_env):
    with socket.socket() as silent:  # accepts connections (the kernel's backlog) and never answers
        silent.bind(("127.0.0.1", 0))
        silent.listen(8)
        url = f"http://127.0.0.1:{silent.getsockname()[1]}/zstack"
        SessionStore(shell_env["ZCLI_STATE_DIR"]).save(url, "admin", "0" * 32)
        _, baseline = timed(fish_complete, f"zcli --url {url} QueryVmInstance state=", shell_env)
        got, took = timed(fish_complete, f"zcli --url {url} StartVmInstance uuid=", shell_env)
    assert got == {}
    # uuid= asks the server: at most one 0.3 s timeout more than a Tab that asks nothing.
    assert took - baseline < 0.8, (took, baseline)
    assert took < 2.0


def test_endpoint_from_a_profile(kept, admin_session, shell_env, tmp_path):
    (tmp_path / "config.toml").write_text(f'[profiles.lab]\nurl = "{kept.url}"\n', encoding="utf-8")
    _, vm_uuids = names_and_uuids(kept, admin_session, "/vm-instances")
    env = {**shell_env, "ZCLI_CONFIG_DIR": str(tmp_path)}
    assert set(vm_uuids) <= set(bash_complete("zcli --profile lab StartVmInstance uuid=", env))
    assert bash_complete("zcli StartVmInstance uuid=", env) == []  # the default endpoint has no session


def test_live_values_can_be_turned_off(kept, shell_env):
    got = fish_complete(f"zcli --url {kept.url} QueryVmInstance name=", {**shell_env, "ZCLI_NO_LIVE_COMPLETION": "1"})
    assert set(got) == {"name=null"}
