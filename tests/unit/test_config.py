"""Settings: options over environment over profile over the file's defaults over built-in defaults."""

from __future__ import annotations

import pytest

from zcli.config import Settings, base_url, config_file, load_config, normalize_url, resolve
from zcli.errors import UsageError

CONFIG = """
output = "yaml"
timeout = 30

[profiles.lab]
url = "http://10.0.0.5:8080/zstack"
output = "csv"

[profiles.prod]
host = "mn.example.com"
port = 8443
insecure = true

[profiles.default]
host = "home"
"""


@pytest.fixture
def config(tmp_path):
    path = tmp_path / "config.toml"
    path.write_text(CONFIG)
    return load_config(path)


def test_builtin_defaults():
    s = resolve({}, {}, {})
    assert s == Settings()
    assert s.url == "http://localhost:8080/zstack"
    assert s.verify is True and s.http_timeout == (5.0, 60.0) and s.validate and s.output is None


def test_default_profile_and_top_level_defaults(config):
    s = resolve({}, {}, config)
    assert (s.profile, s.url, s.terminal_output, s.timeout) == ("default", "http://home:8080/zstack", "yaml", 30.0)
    assert s.output is None  # the file's output is for a terminal only
    assert s.http_timeout == (5.0, 30.0)


def test_profile_by_option_and_by_env(config):
    s = resolve({"profile": "lab"}, {}, config)
    assert (s.url, s.terminal_output, s.output) == ("http://10.0.0.5:8080/zstack", "csv", None)
    s = resolve({}, {"ZCLI_PROFILE": "prod"}, config)
    assert (s.url, s.insecure, s.verify) == ("http://mn.example.com:8443/zstack", True, False)
    assert resolve({"profile": "lab"}, {"ZCLI_PROFILE": "prod"}, config).profile == "lab"


def test_unknown_profile_names_the_known_ones(config):
    with pytest.raises(UsageError, match=r"no profile 'labb' .*profiles: default, lab, prod"):
        resolve({"profile": "labb"}, {}, config)


def test_env_over_profile_and_options_over_env(config):
    env = {"ZCLI_URL": "https://env.example.com/zstack", "ZCLI_OUTPUT": "jsonl", "ZCLI_TIMEOUT": "7"}
    s = resolve({"profile": "lab"}, env, config)
    assert (s.url, s.output, s.timeout) == ("https://env.example.com/zstack", "jsonl", 7.0)
    s = resolve({"profile": "lab", "output": "json", "host": "cli-host"}, env, config)
    assert (s.url, s.output) == ("https://cli-host/zstack", "json")  # -H changes the host of a lower layer's URL
    s = resolve({"host": "h", "port": 9, "url": "https://u:1/zstack"}, {}, {})
    assert s.url == "https://u:1/zstack"  # --url wins over -H/-p beside it


def test_port_alone_keeps_host_from_a_lower_layer():
    s = resolve({"port": 9090}, {"ZCLI_HOST": "envhost"}, {})
    assert s.url == "http://envhost:9090/zstack"
    assert resolve({}, {"ZCLI_PORT": "81"}, {}).url == "http://localhost:81/zstack"


@pytest.mark.parametrize("env,word", [({"ZCLI_PORT": "http"}, "http"), ({"ZCLI_PORT": "70000"}, "70000"),
                                      ({"ZCLI_OUTPUT": "xml"}, "xml"), ({"ZCLI_TIMEOUT": "-1"}, "-1"),
                                          ({"ZCLI_TIMEOUT": "1e20"}, "1e20"),
                                      ({"ZCLI_INSECURE": "maybe"}, "ZCLI_INSECURE"),
                                      ({"ZCLI_URL": "ftp://x/zstack"}, "ftp://x/zstack")])
def test_bad_values_are_usage_errors_naming_the_word(env, word):
    with pytest.raises(UsageError) as info:
        resolve({}, env, {})
    assert info.value.word == word


def test_no_color_and_no_validate():
    assert resolve({}, {"NO_COLOR": "1"}, {}).color is False
    assert resolve({}, {"NO_COLOR": ""}, {}).color is None
    assert resolve({"color": False}, {}, {}).color is False
    assert resolve({}, {"ZCLI_NO_VALIDATE": "1"}, {}).validate is False
    assert resolve({"validate": False}, {}, {}).validate is False
    assert resolve({}, {}, {"validate": False}).validate is False


def test_ca_bundle_must_exist(tmp_path):
    bundle = tmp_path / "ca.pem"
    bundle.write_text("x")
    assert resolve({"ca_bundle": str(bundle)}, {}, {}).verify == str(bundle)
    assert resolve({"ca_bundle": str(bundle), "insecure": True}, {}, {}).verify is False
    with pytest.raises(UsageError, match="no CA bundle file"):
        resolve({"ca_bundle": str(tmp_path / "missing.pem")}, {}, {})


@pytest.mark.parametrize("url,expected", [
    ("http://mn:8080", "http://mn:8080/zstack"),
    ("http://mn:8080/", "http://mn:8080/zstack"),
    ("https://mn.example.com:8443/zstack/v1/", "https://mn.example.com:8443/zstack"),
    ("http://proxy/api/zstack", "http://proxy/api/zstack"),
    ("http://[::1]:8080/zstack", "http://[::1]:8080/zstack"),
])
def test_normalize_url(url, expected):
    assert normalize_url(url) == expected


@pytest.mark.parametrize("url", ["mn:8080", "localhost", "http://", "http://mn:99999/zstack"])
def test_bad_urls(url):
    with pytest.raises(UsageError):
        normalize_url(url)


def test_base_url_brackets_ipv6():
    assert base_url("::1", 8080) == "http://[::1]:8080/zstack"
    assert base_url("mn", 1) == "http://mn:1/zstack"


def test_config_file_location_and_missing_file(tmp_path):
    assert config_file({"ZCLI_CONFIG_DIR": str(tmp_path)}) == tmp_path / "config.toml"
    assert load_config(tmp_path / "absent.toml") == {}


@pytest.mark.parametrize("text,match", [
    ("output = ", "is not valid TOML"),
    ("outptu = 'json'", r"unknown key 'outptu' \(did you mean output\?\)"),
    ("[profiles.x]\nprot = 1", r"unknown key 'profiles.x.prot'"),
    ("port = 'eighty'", "'port' has the wrong type"),
    ("port = true", "'port' has the wrong type"),
    ("profiles = 3", "'profiles' must be a table"),
])
def test_bad_config_files(tmp_path, text, match):
    path = tmp_path / "config.toml"
    path.write_text(text)
    with pytest.raises(UsageError, match=match):
        load_config(path)


PROFILE_URL = {"profiles": {"lab": {"url": "https://mn.example.com:8443/api/zstack", "port": 1}}}


@pytest.mark.parametrize(("options", "env", "expected"), [
    ({"port": 9999}, {}, "https://mn.example.com:9999/api/zstack"),
    ({"host": "other"}, {}, "https://other:8443/api/zstack"),
    ({"host": "::1", "port": 7}, {}, "https://[::1]:7/api/zstack"),
    ({}, {"ZCLI_PORT": "81"}, "https://mn.example.com:81/api/zstack"),
    ({}, {}, "https://mn.example.com:8443/api/zstack"),  # the profile's own port is beside its url: the url wins
    ({"url": "http://u:1/zstack", "port": 5}, {}, "http://u:1/zstack"),  # --url wins over -p beside it
])
def test_host_and_port_change_the_parts_of_a_lower_layers_url(options, env, expected):
    assert resolve({"profile": "lab", **options}, env, PROFILE_URL).url == expected


def test_host_names_are_lower_case_and_malformed_hosts_are_usage_errors():
    assert resolve({"host": "LOCALHOST"}, {}, {}).url == "http://localhost:8080/zstack"
    assert base_url("fe80::1%eth0", 1) == "http://[fe80::1%eth0]:1/zstack"
    assert base_url("[::1]", 1) == "http://[::1]:1/zstack"
    for host in ("bad host", "a..b", "-x", "h/x", "h:1", "", "::zz"):
        with pytest.raises(UsageError, match="is not a host name or an IP address") as info:
            base_url(host, 80)
        assert info.value.word == host
    with pytest.raises(UsageError, match="'http://bad host/zstack'"):
        normalize_url("http://bad host/zstack")
    with pytest.raises(UsageError) as info:
        resolve({"host": "bad host"}, {}, {})
    assert info.value.status == 2 and info.value.word == "bad host"


@pytest.mark.parametrize(("text", "match"), [
    ('output = "xml"', r"'output': unknown output format 'xml'"),
    ('[profiles.x]\nport = 70000', r"'profiles.x.port': port 70000 is out of range"),
    ("timeout = -1", r"'timeout': timeout must be more than 0"),
    ("timeout = inf", r"'timeout': timeout must be at most 604800 seconds"),
    ('url = "ftp://x"', r"'url': 'ftp://x' is not an http"),
    ('host = "bad host"', r"'host': 'bad host' is not a host name"),
])
def test_bad_values_in_the_config_file_name_the_file(tmp_path, text, match):
    path = tmp_path / "config.toml"
    path.write_text(text)
    with pytest.raises(UsageError, match=match) as info:
        load_config(path)
    assert str(info.value).startswith(f"{path}: ")


def test_a_config_files_output_is_for_the_terminal_alone(config):
    """What a user sets for their terminal must not change what scripts get: -o and ZCLI_OUTPUT apply
    wherever stdout goes; the file's output (top level or profile) only on a terminal."""
    s = resolve({"profile": "lab"}, {}, config)
    assert (s.output, s.terminal_output) == (None, "csv")
    s = resolve({"profile": "lab"}, {"ZCLI_OUTPUT": "tsv"}, config)
    assert (s.output, s.terminal_output) == ("tsv", "csv")
    s = resolve({"profile": "lab", "output": "yaml"}, {"ZCLI_OUTPUT": "tsv"}, config)
    assert s.output == "yaml"


def test_keys_and_variables_come_from_the_option_table():
    from zcli.config import KEYS
    from zcli.options import CONFIG_KEYS, ENV_VARS

    assert KEYS is CONFIG_KEYS
    assert set(KEYS) == {"url", "host", "port", "output", "timeout", "insecure", "ca_bundle", "color", "validate",
                         "access_key_id", "access_key_secret_file", "standby_urls", "confirm"}
    assert {"ZCLI_URL", "ZCLI_HOST", "ZCLI_PORT", "ZCLI_PROFILE", "ZCLI_OUTPUT", "ZCLI_TIMEOUT", "ZCLI_INSECURE",
            "ZCLI_CA_BUNDLE", "ZCLI_NO_VALIDATE", "ZCLI_DEBUG", "NO_COLOR", "ZCLI_ACCESS_KEY_ID",
            "ZCLI_ACCESS_KEY_SECRET_FILE"} == set(ENV_VARS)
    assert resolve({}, {"ZCLI_NO_VALIDATE": "1", "NO_COLOR": "x", "ZCLI_DEBUG": "yes"}, {}).validate is False
    assert resolve({}, {"NO_COLOR": "x"}, {"color": True}).color is False
    with pytest.raises(UsageError, match="ZCLI_NO_VALIDATE=maybe: use 1 or 0"):
        resolve({}, {"ZCLI_NO_VALIDATE": "maybe"}, {})


@pytest.mark.parametrize("env", [{}, {"XDG_CONFIG_HOME": "/x/c", "XDG_STATE_HOME": "/x/s"},
                                 {"XDG_CONFIG_HOME": "  ", "XDG_STATE_HOME": ""}])
def test_the_folders_are_platformdirs_own_without_importing_it(env, monkeypatch):
    """On Linux the XDG folders are read directly (a one-shot command does not import platformdirs)."""
    import sys

    from platformdirs import user_config_dir, user_state_dir

    from zcli.paths import config_dir, state_dir

    if sys.platform != "linux":
        pytest.skip("read directly on Linux only")
    for name in ("XDG_CONFIG_HOME", "XDG_STATE_HOME"):
        monkeypatch.delenv(name, raising=False)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    import os

    assert str(config_dir(os.environ)) == user_config_dir("zcli", appauthor=False)
    assert str(state_dir(os.environ)) == user_state_dir("zcli", appauthor=False)
