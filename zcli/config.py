"""Settings: command-line options over environment variables over the chosen profile over the file's
defaults over built-in defaults.

The config file is ``<config_dir>/config.toml``::

    output = "table"            # top-level keys: defaults for every profile (output: on a terminal only)

    [profiles.lab]
    url = "http://10.0.0.5:8080/zstack"

    [profiles.prod]
    host = "mn.example.com"
    port = 8443
    ca_bundle = "/etc/ssl/zstack-ca.pem"

The profile is chosen by ``--profile`` or ``ZCLI_PROFILE``, else the profile named ``default`` when
there is one. The keys and the environment variables come from the one option table
(:data:`zcli.options.CONFIG_KEYS`, :data:`zcli.options.ENV_VARS`).

What a user sets for their terminal must not change what scripts get: an ``output`` from the config file
(its top level or a profile) applies only when stdout is a terminal (:attr:`Settings.terminal_output`);
``-o`` and ``ZCLI_OUTPUT`` apply always. So the README's sample file (``output = "table"``) leaves
``zcli QueryZone | jq`` reading JSON.
"""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from zcli.errors import UsageError
from zcli.options import CONFIG_KEYS, ENV_VARS, Kind, OutputFormat, env_flag
from zcli.record import Factory, Record

DEFAULT_HOST = "localhost"
DEFAULT_PORT = 8080

#: Keys a profile (or the file's top level) may set, and their types (from the option table).
KEYS = CONFIG_KEYS

_HOST = r"[A-Za-z0-9_]([A-Za-z0-9_.-]*[A-Za-z0-9_])?"  # names and IPv4 addresses (re compiles it when used)


class Settings(Record):
    """What a run uses, all sources merged.

    Attributes:
        url: the base URL, e.g. ``http://localhost:8080/zstack`` (requests go to ``<url>/v1/...``).
        profile: the profile used, if any.
        output: the output format from ``-o`` or ``ZCLI_OUTPUT`` (used wherever stdout goes), or None.
        terminal_output: the output format from the config file, used only when stdout is a terminal.
        query: a JMESPath expression applied to each reply, or None.
        all: follow ``limit``/``start`` pages to the end.
        timeout: the seconds a whole command may take, 0 for no limit, or None for the default bounds
            (:mod:`zcli.api.deadline`).
        insecure: do not verify TLS.
        ca_bundle: a CA bundle file to verify TLS with.
        color: True/False, or None for "when stdout is a terminal".
        validate: check names against the catalogue (``--no-validate`` turns it off).
        debug: show HTTP exchanges and, on an internal error, the traceback.
        given: the command-line options given (None-valued ones left out), so that the shell's ``use``
            can resolve another profile under the same options.
    """

    url: str = f"http://{DEFAULT_HOST}:{DEFAULT_PORT}/zstack"
    profile: str | None = None
    output: OutputFormat | None = None
    terminal_output: OutputFormat | None = None
    query: str | None = None
    all: bool = False
    timeout: float | None = None
    insecure: bool = False
    ca_bundle: str | None = None
    color: bool | None = None
    validate: bool = True
    debug: bool = False
    given: dict[str, Any] = Factory(dict)
    #: The other management nodes of the cluster (base URLs), for failover (:mod:`zcli.api.failover`).
    standby_urls: list[str] = Factory(list)
    #: AccessKey authentication (:mod:`zcli.api.accesskey`): the key id, and the file holding its secret.
    access_key_id: str | None = None
    access_key_secret_file: str | None = None
    #: The shell asks ``Run it? [y/N]`` before a destructive API (the config file's ``confirm``).
    confirm: bool = True

    @property
    def verify(self) -> bool | str:
        """What ``requests`` takes as ``verify``."""
        if self.insecure:
            return False
        return self.ca_bundle or True

    @property
    def http_timeout(self) -> tuple[float, float]:
        """(connect, read) socket timeouts within a command (``--timeout`` bounds the whole of it besides)."""
        from zcli.limits import CONNECT_SECONDS, READ_SECONDS

        if not self.timeout:
            return (CONNECT_SECONDS, READ_SECONDS)
        return (min(CONNECT_SECONDS, self.timeout), self.timeout)


def config_file(env: Mapping[str, str] = os.environ) -> Path:
    """Where the config file is (it need not exist)."""
    from zcli.paths import config_dir

    return config_dir(env) / "config.toml"


def load_config(path: Path) -> dict[str, Any]:
    """Read the TOML config file; an absent file is an empty config.

    Raises:
        UsageError: the file is not valid TOML, or sets a key zcli does not know.
    """
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        return {}
    except OSError as exc:
        raise UsageError(f"cannot read {path}: {exc.strerror}", word=str(path)) from None
    import tomllib

    try:
        config = tomllib.loads(data.decode("utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise UsageError(f"{path} is not valid TOML: {exc}", word=str(path)) from None
    _check_table(config, path, "", allow_profiles=True)
    for name, table in (config.get("profiles") or {}).items():
        if not isinstance(table, dict):
            raise UsageError(f"{path}: profiles.{name} must be a table", word=name)
        _check_table(table, path, f"profiles.{name}.", allow_profiles=False)
    return config


def _check_table(table: dict, path: Path, prefix: str, *, allow_profiles: bool) -> None:
    for key, value in table.items():
        if key == "profiles" and allow_profiles:
            if not isinstance(value, dict):
                raise UsageError(f"{path}: 'profiles' must be a table", word="profiles")
            continue
        if key not in KEYS:
            import difflib

            raise UsageError(f"{path}: unknown key '{prefix}{key}'", word=key,
                             suggestions=difflib.get_close_matches(key, KEYS, n=2))
        if not isinstance(value, KEYS[key]) or (bool not in KEYS[key] and isinstance(value, bool)):
            raise UsageError(f"{path}: '{prefix}{key}' has the wrong type ({type(value).__name__})", word=key)
        check = _VALUE_CHECKS.get(key)
        if check is not None:
            try:
                check(value)
            except UsageError as exc:  # the file is the place to fix it: name it
                raise UsageError(f"{path}: '{prefix}{key}': {exc.reason}", word=exc.word,
                                 suggestions=exc.suggestions) from None


def resolve(options: Mapping[str, Any], env: Mapping[str, str], config: Mapping[str, Any]) -> Settings:
    """Merge the sources into :class:`Settings`.

    Args:
        options: command-line values; None (or absent) for an option not given.
        env: the environment.
        config: from :func:`load_config`.

    Raises:
        UsageError: an unknown profile, a bad value from any source.
    """
    profile = options.get("profile") or env.get("ZCLI_PROFILE") or None
    profiles = config.get("profiles") or {}
    if profile and profile not in profiles:
        known = ", ".join(sorted(profiles)) or "none defined"
        raise UsageError(f"no profile '{profile}' in the config file (profiles: {known})", word=profile)
    if not profile and "default" in profiles:
        profile = "default"
    top = {k: v for k, v in config.items() if k != "profiles"}
    layers = [dict(options), _from_env(env), dict(profiles.get(profile) or {}), top]

    def first(key: str) -> Any:
        return next((layer[key] for layer in layers if layer.get(key) is not None), None)

    s = Settings(profile=profile, given={k: v for k, v in options.items() if v is not None and k != "profile"})
    s.url = _endpoint(layers)
    output = next((layer["output"] for layer in layers[:2] if layer.get("output") is not None), None)
    s.output = None if output is None else check_format(output)
    output = next((layer["output"] for layer in layers[2:] if layer.get("output") is not None), None)
    s.terminal_output = None if output is None else check_format(output)
    s.query = options.get("query") or None
    s.all = bool(options.get("all"))
    timeout = first("timeout")
    if timeout is not None:
        s.timeout = seconds(timeout, "timeout", zero=True)
    s.insecure = bool(first("insecure"))
    s.ca_bundle = first("ca_bundle")
    if s.ca_bundle and not Path(s.ca_bundle).is_file():
        raise UsageError(f"no CA bundle file {s.ca_bundle}", word=s.ca_bundle)
    s.color = first("color")
    validate = first("validate")
    s.validate = True if validate is None else bool(validate)
    s.debug = bool(first("debug"))
    standby = first("standby_urls") or []
    if not all(isinstance(u, str) for u in standby):
        raise UsageError("standby_urls must be a list of base URLs", word="standby_urls")
    s.standby_urls = [normalize_url(u) for u in standby]
    s.access_key_id = first("access_key_id") or None
    s.access_key_secret_file = first("access_key_secret_file") or None
    s.confirm = first("confirm") is not False
    return s


def _from_env(env: Mapping[str, str]) -> dict[str, Any]:
    """The settings the environment gives (:data:`zcli.options.ENV_VARS`); a negating flag's variable
    (``NO_COLOR``, ``ZCLI_NO_VALIDATE``) set to a false value gives nothing."""
    out: dict[str, Any] = {}
    for var, option in ENV_VARS.items():
        raw = env.get(var)
        if raw is None or option.setting == "profile":
            continue
        if option.kind is Kind.FLAG:
            if var == "NO_COLOR":  # https://no-color.org: any non-empty value
                given = bool(raw)
            else:
                given = env_flag(raw)
                if given is None:
                    raise UsageError(f"{var}={raw}: use 1 or 0", word=var)
            if not option.negates:
                out[option.setting] = given
            elif given:
                out[option.setting] = False
        elif raw == "":
            continue
        elif option.kind is Kind.PORT:
            out[option.setting] = _port(raw, var)
        else:
            out[option.setting] = raw
    return out


def seconds(value: Any, name: str, *, zero: bool = False) -> float:
    """``value`` as a number of seconds: finite, more than 0 (or 0 itself when ``zero``: no limit), and at most
    :data:`zcli.limits.MAX_SECONDS` (``inf``, ``1e309`` and ``1e20`` would overflow the timers).

    Raises:
        UsageError: it is not such a number.
    """
    import math

    from zcli.limits import MAX_SECONDS

    try:
        number = float(value)
    except (TypeError, ValueError, OverflowError):
        raise UsageError(f"{name}: '{str(value)[:40]}' is not a number of seconds", word=str(value)) from None
    if math.isnan(number) or number < 0 or (number == 0 and not zero):
        raise UsageError(f"{name} must be more than 0 seconds" + (" (0: no limit)" if zero else ""), word=str(value))
    if number > MAX_SECONDS:
        raise UsageError(f"{name} must be at most {MAX_SECONDS:g} seconds (a week)"
                         + (", or 0 for no limit" if zero else ""), word=str(value))
    return number


def _port(value: Any, name: str = "port") -> int:
    try:
        port = int(value)
    except (TypeError, ValueError):
        raise UsageError(f"{name} must be a port number, not '{value}'", word=str(value)) from None
    if not 0 < port < 65536:
        raise UsageError(f"{name} {port} is out of range (1-65535)", word=str(value))
    return port


def _endpoint(layers: list[dict[str, Any]]) -> str:
    """The base URL: the highest layer's url (a url wins over host and port beside it or below it),
    with the host and port of any higher layer put in it (``-p 9999`` with a profile's url changes its
    port); without a url, ``http://HOST:PORT/zstack`` from the highest host and port."""
    top = next((i for i, layer in enumerate(layers) if layer.get("url")), None)
    above = layers if top is None else layers[:top]
    host = next((x["host"] for x in above if x.get("host") is not None), None)
    port = next((x["port"] for x in above if x.get("port") is not None), None)
    if top is None:
        return base_url(DEFAULT_HOST if host is None else host, _port(DEFAULT_PORT if port is None else port))
    url = normalize_url(layers[top]["url"])
    if host is None and port is None:
        return url
    parts = urlsplit(url)
    host = check_host(parts.hostname if host is None else host)
    port = parts.port if port is None else _port(port)
    netloc = f"[{host}]" if ":" in host else host
    return f"{parts.scheme}://{netloc}{'' if port is None else f':{port}'}{parts.path}"


def check_host(host: str) -> str:
    """``host`` in lower case when it is a host name or an IP address (IPv6 with or without brackets).

    Raises:
        UsageError: it is not (``-H 'bad host'``): nothing is sent.
    """
    bare = host.strip()
    if bare.startswith("[") and bare.endswith("]"):
        bare = bare[1:-1]
    if ":" in bare:
        import ipaddress

        try:
            ipaddress.IPv6Address(bare.partition("%")[0])  # a zone (fe80::1%eth0) is the interface's name
            return bare.lower()
        except ValueError:
            pass
    elif re.fullmatch(_HOST, bare) and ".." not in bare:
        return bare.lower()
    raise UsageError(f"'{host}' is not a host name or an IP address", word=host)


def base_url(host: str, port: int) -> str:
    """``http://HOST:PORT/zstack`` (IPv6 addresses in brackets).

    Raises:
        UsageError: ``host`` is not a host name or an IP address.
    """
    host = check_host(host)
    if ":" in host:
        host = f"[{host}]"
    return f"http://{host}:{port}/zstack"


def normalize_url(url: str) -> str:
    """A base URL as given by ``--url``: scheme and host required; no path means ``/zstack``; a trailing
    ``/v1`` or slash is dropped.

    Raises:
        UsageError: not an http(s) URL with a host, or one holding credentials (user:password@).
    """
    from zcli.secrets.endpoints import url_credentials_refusal

    refusal = url_credentials_refusal(url)  # before anything quotes the URL
    if refusal:
        raise UsageError(refusal, word="url")
    try:
        parts = urlsplit(url.strip())
        parts.hostname  # noqa: B018 - raises on a bad IPv6 address
    except ValueError:  # "http://[::1": an unclosed or invalid IPv6 address
        raise UsageError(f"'{url}' is not a valid URL: its host is not a valid IPv6 address", word=url) from None
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise UsageError(f"'{url}' is not an http:// or https:// URL with a host", word=url)
    try:
        check_host(parts.hostname)
    except UsageError as exc:
        raise UsageError(f"'{url}': {exc.reason}", word=url) from None
    try:
        parts.port  # noqa: B018 - raises on a bad port
    except ValueError:
        raise UsageError(f"'{url}' has a bad port", word=url) from None
    path = parts.path.rstrip("/")
    if path.endswith("/v1"):
        path = path[:-3]
    return f"{parts.scheme}://{parts.netloc}{path or '/zstack'}"


def connect_target(target: str) -> str:
    """The base URL of ``connect URL|HOST[:PORT]`` (the shell's and a batch's): a URL as ``--url`` takes
    it, else a host and an optional port (8080 by default).

    Raises:
        UsageError: not a URL, nor HOST[:PORT].
    """
    if "://" in target:
        return normalize_url(target)
    host, _, port = target.rpartition(":") if target.count(":") == 1 else (target, "", "")
    if not port.isdigit() and port:
        raise UsageError(f"'{target}' is not HOST[:PORT]", word=target)
    return base_url(host or target, int(port) if port else 8080)


def check_format(fmt: str) -> OutputFormat:
    """``fmt`` as an :class:`~zcli.options.OutputFormat` (see :func:`zcli.output.formats.check_format`)."""
    from zcli.output.formats import check_format as check

    return check(fmt)


#: Checks of a config file's values beyond their type (the errors then name the file).
_VALUE_CHECKS = {
    "output": check_format, "port": _port, "timeout": lambda v: seconds(v, "timeout", zero=True), "url": normalize_url,
    "host": check_host,
}
