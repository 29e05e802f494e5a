"""Global options of the one-shot face: endpoint, profiles, environment, TLS, colour, validation, debug, help."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.integration.clirun import Zcli
from zcli import __version__
from zcli.sessions import SessionStore


@pytest.fixture
def z(tmp_path, sim, admin_session):
    SessionStore(tmp_path / "state").save(sim.url, "admin", admin_session)
    return Zcli(tmp_path)


def zones(ran) -> list[str]:
    assert ran.status == 0, ran.err
    return sorted(i["name"] for i in json.loads(ran.out)["inventories"])


def test_host_and_port(z, sim):
    assert zones(z.run("-H", sim.host, "-p", str(sim.port), "QueryZone")) == ["zone-1", "华东区域"]
    assert zones(z.run("--host", sim.host, "--port", str(sim.port), "QueryZone", "-o", "json"))


def test_default_endpoint_is_localhost_8080(z):
    ran = z.run("LogInByAccount", "accountName=admin", "password=password", "--debug", "--timeout", "1")
    assert "http://localhost:8080/zstack/v1/accounts/login" in ran.err


def test_url_wins_over_host_and_port(z, sim):
    assert zones(z.run("-H", "nowhere.invalid", "-p", "1", "--url", sim.url, "QueryZone"))
    assert zones(z.run("--url", f"http://{sim.host}:{sim.port}/zstack/v1/", "QueryZone"))


def test_env_url_and_options_after_the_api(z, sim):
    assert zones(z.run("QueryZone", env={"ZCLI_URL": sim.url}))
    ran = z.run("QueryZone", "fields=name", "-o", "value", "sortBy=name", env={"ZCLI_URL": sim.url})
    assert ran.out.splitlines() == ["zone-1", "华东区域"]


def test_profiles_from_the_config_file(z, sim):
    z.write_config(f'output = "json"\n\n[profiles.lab]\nurl = "{sim.url}"\noutput = "value"\n\n'
                   f'[profiles.other]\nhost = "{sim.host}"\nport = {sim.port}\n')
    ran = z.run("--profile", "lab", "QueryZone", "fields=name", "sortBy=name")
    assert json.loads(ran.out)["inventories"][0]["name"] == "zone-1"  # piped: the file's output is for a terminal
    ran = z.run("--profile", "lab", "QueryZone", "fields=name", "sortBy=name", env={"ZCLI_OUTPUT": "value"})
    assert ran.out.splitlines() == ["zone-1", "华东区域"]  # ZCLI_OUTPUT applies wherever stdout goes
    assert zones(z.run("QueryZone", env={"ZCLI_PROFILE": "other"}))
    ran = z.run("--profile", "nope", "QueryZone")
    assert ran.status == 2 and "no profile 'nope'" in ran.err and "lab, other" in ran.err


def test_bad_config_file_is_a_usage_error(z, sim):
    path = z.write_config("output = [")
    ran = z.run("--url", sim.url, "QueryZone")
    assert ran.status == 2 and str(path) in ran.err and ran.err.count("\n") == 1


def test_version_and_help(z):
    ran = z.run("--version")
    assert (ran.status, ran.out.strip()) == (0, f"zcli {__version__}")
    ran = z.run("--help")
    assert ran.status == 0
    for option in ("--host", "--port", "--url", "--profile", "--output", "--query", "--all", "--timeout",
                   "--insecure", "--ca-bundle", "--no-color", "--no-validate", "--debug", "--version", "-f",
                   "--keep-going", "--demo"):
        assert option in ran.out
    for text in ("-H, --host", "-p, --port", "-o, --output", "table|json|yaml|csv|tsv|jsonl|value", "JMESPATH",
                 "-h, --help", "NO_COLOR", "ZCLI_URL", "ZCLI_PROFILE", "ZCLI_OUTPUT", "config.toml"):
        assert text in ran.out
    assert "zcli help" in ran.out  # how to list the APIs
    assert "a typo on line 5 stops it before line 1" in " ".join(ran.out.split())  # batches are checked first
    assert z.run("-h").out == ran.out


def test_help_lists_the_apis(z):
    ran = z.run("help")
    assert ran.status == 0 and "categories" in ran.out and "ai/model-services" in ran.out
    ran = z.run("help", "ai/model-services")
    assert "QueryModelService" in ran.out
    ran = z.run("help", "CreateZone")
    assert "POST /v1/zones" in ran.out and "name" in ran.out and "required" in ran.out
    ran = z.run("help", "QueryVmInstnce")
    assert ran.status == 2 and "QueryVmInstance" in ran.err


def test_api_help_option_prints_that_apis_help(z):
    """Issue 9: ``zcli API --help`` prints that API's help, as aws users expect (the same as ``zcli help API``)."""
    ran = z.run("QueryZone", "--help", env={"COLUMNS": "80"})
    assert ran.status == 0 and ran.out == z.run("help", "QueryZone", env={"COLUMNS": "80"}).out
    assert ran.out.startswith("QueryZone: GET /v1/zones\n") and "Conditions on ZoneInventory" in ran.out
    ran = z.run("-o", "json", "CreateZone", "name=x", "-h")
    assert ran.status == 0 and "Parameters (key=value):" in ran.out
    ran = z.run("QueryZoen", "--help")
    assert ran.status == 2 and "QueryZone" in ran.err
    assert "Usage:" in z.run("--help").out  # without an API: the options


def test_piped_help_is_plain_text_at_the_width(z):
    ran = z.run("help", "CreateVmInstance", env={"COLUMNS": "80"})
    assert "\x1b" not in ran.out and "…" not in ran.out and "─" not in ran.out
    assert "One of: InstantStart, JustCreate, CreateStopped." in " ".join(ran.out.split())


def test_no_validate_sends_unknown_names(z, sim):
    ran = z.run("--url", sim.url, "QueryZone", "colour=red")
    assert ran.status == 2 and "colour" in ran.err
    ran = z.run("--url", sim.url, "--no-validate", "QueryZone", "colour=red", "--debug")
    assert "debug: > GET" in ran.err and "colour=red" in ran.err  # it was sent
    assert ran.status == 1  # and the server refused it


def test_no_color_and_NO_COLOR(z, sim):
    # colour is on only for a terminal; the terminal tests show it there. Here: never an escape code.
    for args, env in ((["--no-color"], {}), ([], {"NO_COLOR": "1"})):
        ran = z.run("--url", sim.url, *args, "QueryVmInstance", "-o", "table", env=env)
        assert ran.status == 0 and "\x1b[" not in ran.out


def test_debug_shows_the_exchanges(z, sim):
    ran = z.run("--url", sim.url, "--debug", "QueryZone", "name=zone-1")
    assert ran.status == 0
    assert f"debug: > GET {sim.url}/v1/zones [('q', 'name=zone-1')]" in ran.err
    assert "debug: < 200" in ran.err


def test_timeout_must_not_be_negative(z, sim):
    ran = z.run("--url", sim.url, "--timeout", "-1", "QueryZone")
    assert ran.status == 2 and "timeout" in ran.err


def test_ca_bundle_and_insecure(z, sim, tmp_path):
    ran = z.run("--url", sim.url, "--ca-bundle", str(tmp_path / "none.pem"), "QueryZone")
    assert ran.status == 2 and "none.pem" in ran.err
    bundle = tmp_path / "ca.pem"
    bundle.write_text("not used over plain http\n")
    assert zones(z.run("--url", sim.url, "--ca-bundle", str(bundle), "QueryZone"))
    assert zones(z.run("--url", sim.url, "--insecure", "QueryZone"))
    # https to a port that speaks plain HTTP: TLS is attempted (verified by default) and fails.
    SessionStore(z.state).save(sim.url.replace("http:", "https:"), "admin", "x")
    ran = z.run("--url", sim.url.replace("http:", "https:"), "QueryZone")
    assert ran.status == 3 and "TLS" in ran.err


def test_demo_runs_one_command_against_an_embedded_simulator(z):
    before = z.session_files()
    ran = z.run("--demo", "QueryZone", "-o", "json")
    assert zones(ran) == ["zone-1", "华东区域"]
    assert z.session_files() == before  # nothing kept for the throwaway endpoint


def test_host_case_finds_the_kept_session(z, sim):
    assert sim.host == "127.0.0.1"
    z.write_config(f'[profiles.up]\nhost = "LOCALHOST"\nport = {sim.port}\n')
    z2 = SessionStore(z.state)
    z2.save(f"http://localhost:{sim.port}/zstack", "admin", SessionStore(z.state).load(sim.url))
    assert zones(z.run("-H", "LOCALHOST", "-p", str(sim.port), "QueryZone"))
    assert zones(z.run("--profile", "up", "QueryZone"))


def test_port_changes_the_port_of_a_profiles_url(z, sim):
    z.write_config(f'[profiles.lab]\nurl = "http://{sim.host}:1/zstack"\n')
    assert zones(z.run("--profile", "lab", "-p", str(sim.port), "QueryZone"))


def test_a_bad_value_in_the_config_file_names_the_file(z, sim):
    path = z.write_config('output = "xml"\n')
    ran = z.run("--url", sim.url, "QueryZone")
    assert ran.status == 2 and ran.err.startswith(f"zcli: {path}: 'output'") and "xml" in ran.err


def test_a_malformed_host_is_a_usage_error_naming_it(z):
    ran = z.run("-H", "bad host", "QueryZone")
    assert ran.status == 2 and ran.err == "zcli: 'bad host' is not a host name or an IP address\n"


def test_the_readme_sample_config_leaves_scripts_reading_json(z, sim):
    """``zcli --profile lab QueryZone | cat`` with the README's own config.toml (``output = "table"``)."""
    import re

    readme = (Path(__file__).resolve().parents[2] / "README.md").read_text(encoding="utf-8")
    sample = re.search(r"```toml\n(.*?)```", readme, re.S).group(1)
    assert 'output = "table"' in sample
    sample = re.sub(r'(\[profiles\.lab\]\n)url = "[^"]*"', rf'\1url = "{sim.url}"', sample)
    z.write_config(sample)
    ran = z.run("--profile", "lab", "QueryZone")
    assert ran.status == 0, ran.err
    assert zones(ran)  # JSON, not the table the file asks for on a terminal
