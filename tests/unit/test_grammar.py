"""The grammar: words → command → request, every operator, special key and error."""

from __future__ import annotations

import hashlib
import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from zcli.catalog import Catalog
from zcli.errors import ExitStatus, UsageError
from zcli.grammar import build_request, parse_command, split_line, split_list


@pytest.fixture(scope="module")
def cat() -> Catalog:
    return Catalog()


def request_for(cat, *words, validate=True):
    return build_request(parse_command(list(words), cat, validate=validate))


def sha512(text: str) -> str:
    return hashlib.sha512(text.encode()).hexdigest()


@pytest.mark.parametrize(
    ("word", "q"),
    [
        ("name=vm1", "name=vm1"),
        ("name!=vm1", "name!=vm1"),
        ("cpuNum>4", "cpuNum>4"),
        ("cpuNum<4", "cpuNum<4"),
        ("cpuNum>=4", "cpuNum>=4"),
        ("cpuNum<=4", "cpuNum<=4"),
        ("state?=Running,Stopped", "state?=Running,Stopped"),
        ("state!?=Running,Stopped", "state!?=Running,Stopped"),
        ("name~=web", "name~=%web%"),
        ("name~=web%", "name~=web%"),
        ("name!~=web", "name!~=%web%"),
        ("name!~=%web", "name!~=%web"),
        ("hostUuid=null", "hostUuid is null"),
        ("hostUuid!=null", "hostUuid not null"),
        ("description=a=b", "description=a=b"),
        ("description=two words", "description=two words"),
        ("vmNics.ip=10.0.0.1", "vmNics.ip=10.0.0.1"),
        ("vmNics.l3Network.l2Network.zone.name=z1", "vmNics.l3Network.l2Network.zone.name=z1"),
        ("__systemTag__=ha::NeverStop", "__systemTag__=ha::NeverStop"),
        ("__userTag__~=web", "__userTag__~=%web%"),
        ("__tagUuid__=abc", "__tagUuid__=abc"),
        ("createDate>2024-01-01 00:00:00", "createDate>2024-01-01 00:00:00"),
    ],
)
def test_every_operator(cat, word, q):
    req = request_for(cat, "QueryVmInstance", word)
    assert (req.method, req.path, req.query, req.body) == ("GET", "/vm-instances", [("q", q)], None)


@pytest.mark.parametrize(
    ("words", "pairs"),
    [
        (["limit=10"], [("limit", "10")]),
        (["start=20"], [("start", "20")]),
        (["count=true"], [("count", "true")]),
        (["replyWithCount=True"], [("replyWithCount", "true")]),
        (["sortBy=name"], [("sort", "+name")]),
        (["sortBy=name", "sortDirection=asc"], [("sort", "+name")]),
        (["sortDirection=desc", "sortBy=createDate"], [("sort", "-createDate")]),
        (["fields=uuid,name"], [("fields", "uuid,name")]),
        (["groupBy=state"], [("groupBy", "state")]),
        (["filterName=mine"], [("filterName", "mine")]),
        (["name=a", "limit=1", "start=2", "count=false", "sortBy=name"],
         [("q", "name=a"), ("limit", "1"), ("start", "2"), ("count", "false"), ("sort", "+name")]),
    ],
)
def test_special_keys(cat, words, pairs):
    assert request_for(cat, "QueryVmInstance", *words).query == pairs


def test_ai_query(cat):
    req = request_for(cat, "QueryModelService", "name~=qwen", "requestCpu>=4", "modelServiceRefs.uuid!=null",
                      "supportDistributed=false")
    assert req.path == "/ai/model-services"
    assert req.query == [("q", "name~=%qwen%"), ("q", "requestCpu>=4"), ("q", "modelServiceRefs.uuid not null"),
                         ("q", "supportDistributed=false")]


def test_action_with_path_parameter(cat):
    req = request_for(cat, "StartVmInstance", "uuid=abc", "hostUuid=h1")
    assert (req.method, req.path, req.query) == ("PUT", "/vm-instances/abc/actions", [])
    assert req.body == {"startVmInstance": {"hostUuid": "h1"}}


def test_action_without_body_parameters(cat):
    assert request_for(cat, "StopVmInstance", "uuid=abc").body == {"stopVmInstance": {}}


def test_path_parameter_is_escaped(cat):
    assert request_for(cat, "StartVmInstance", "uuid=a/b c").path == "/vm-instances/a%2Fb%20c/actions"


def test_create_with_lists_and_tags(cat):
    req = request_for(cat, "CreateVmInstance", "name=vm1", "instanceOfferingUuid=io", "imageUuid=img",
                      "l3NetworkUuids=l3a,l3b", "systemTags=a\\,b,c", "cpuNum=2")
    assert (req.method, req.path, req.query) == ("POST", "/vm-instances", [])
    assert req.body == {
        "params": {"name": "vm1", "instanceOfferingUuid": "io", "imageUuid": "img", "l3NetworkUuids": ["l3a", "l3b"],
                   "cpuNum": 2},
        "systemTags": ["a,b", "c"],
    }


def test_list_as_json(cat):
    req = request_for(cat, "CreateVmInstance", "name=vm1", 'l3NetworkUuids=["x,y", "z"]')
    assert req.body["params"]["l3NetworkUuids"] == ["x,y", "z"]


def test_map_parameter_takes_json_never_eval(cat):
    req = request_for(cat, "LogInByAccount", "accountName=admin", "password=p", 'clientInfo={"a": "b"}')
    assert req.body["logInByAccount"]["clientInfo"] == {"a": "b"}
    with pytest.raises(UsageError, match="not valid JSON"):
        parse_command(["LogInByAccount", "accountName=a", "password=p", "clientInfo=__import__('os')"], cat)


def test_query_with_a_field_in_its_path(cat):
    req = request_for(cat, "QueryVmInstancePciDeviceSpecRef", "vmInstanceUuid=vm1")
    assert req.path == "/vm-instances/vm1/pci-device-specs"
    with pytest.raises(UsageError, match=r"missing vmInstanceUuid=\.\.\. \(part of the path\)"):
        request_for(cat, "QueryVmInstancePciDeviceSpecRef")


def test_delete_parameters_go_in_the_query_string(cat):
    req = request_for(cat, "DestroyVmInstance", "uuid=abc", "deleteMode=Enforcing")
    assert (req.method, req.path, req.query, req.body) == ("DELETE", "/vm-instances/abc",
                                                           [("deleteMode", "Enforcing")], None)


def test_get_parameters_and_optional_paths(cat):
    req = request_for(cat, "GetFreeIp", "l3NetworkUuid=L", "limit=5")
    assert (req.path, req.query) == ("/l3-networks/L/ip/free", [("limit", "5")])
    req = request_for(cat, "GetFreeIp", "ipRangeUuid=R")
    assert req.path == "/l3-networks/ip-ranges/R/ip/free"


@pytest.mark.parametrize(
    ("api", "extra"),
    [
        ("LogInByAccount", ["accountName=admin"]),
        ("LogInByUser", ["accountName=admin", "userName=u"]),
        ("CreateAccount", ["name=a"]),
        ("CreateUser", ["name=u"]),
        ("UpdateAccount", ["uuid=x"]),
        ("UpdateUser", []),
        ("LoginIAM2VirtualID", ["name=v"]),
        ("CreateIAM2VirtualID", ["name=v"]),
        ("UpdateIAM2VirtualID", ["uuid=x"]),
    ],
)
def test_account_passwords_are_sha512(cat, api, extra):
    cmd = parse_command([api, *extra, "password=secret"], cat, validate=False)
    req = build_request(cmd)
    body = req.body[cmd.api.body_key] if cmd.api.body_key else req.body
    assert body["password"] == sha512("secret")
    assert "password" in cmd.secret_params


def test_old_password_is_hashed_too(cat):
    cmd = parse_command(["UpdateAccount", "uuid=x", "password=new", "oldPassword=old"], cat)
    assert cmd.params["oldPassword"] == sha512("old") and cmd.secret_params == {"password", "oldPassword"}


def test_host_ssh_password_is_sent_as_typed(cat):
    cmd = parse_command(["AddKVMHost", "name=h", "managementIp=10.0.0.2", "username=root", "password=secret",
                         "clusterUuid=c"], cat)
    assert build_request(cmd).body["params"]["password"] == "secret"
    assert cmd.secret_params == {"password"}


@pytest.mark.parametrize(
    ("words", "message", "suggestion"),
    [
        (["QueryVmInstanc"], "unknown API 'QueryVmInstanc'", "QueryVmInstance"),
        (["queryVmInstance"], "unknown API", "QueryVmInstance"),
        (["QueryVmInstance", "nmae=x"], "'nmae=x': unknown field 'nmae' of VmInstanceInventory", "name"),
        (["QueryVmInstance", "vmNics.l3Netwrk.name=x"], "unknown field 'l3Netwrk' of VmNicInventory",
         "vmNics.l3Network"),
        (["QueryVmInstance", "Limit=3"], "unknown field 'Limit'", "limit"),
        (["QueryModelService", "requestCpu>=abc"], "'requestCpu>=abc': 'abc' is not an integer", None),
        (["QueryModelService", "supportDistributed=maybe"], "'maybe' is not a boolean", None),
        (["QueryModelService", "requestCpu?=1,x"], "'x' is not an integer", None),
        (["QueryModelService", "supportDistributed>true"], "operator '>' does not apply", None),
        (["QueryVmInstance", "limit=ten"], "'limit=ten': limit takes a whole number", None),
        (["QueryVmInstance", "start=-1"], "start takes a whole number", None),
        (["QueryVmInstance", "limit>3"], "limit takes '='", None),
        (["QueryVmInstance", "count=maybe"], "not a boolean", None),
        (["QueryVmInstance", "sortDirection=up"], "asc or desc", None),
        (["QueryVmInstance", "sortBy=nam"], "unknown field 'nam'", "name"),
        (["QueryVmInstance", "fields=uuid,nmae"], "'fields=uuid,nmae': unknown field 'nmae'", "name"),
        (["QueryVmInstance", "fields=internalId"], "unknown field 'internalId'", None),
        (["QueryVmInstance", "justaword"], "'justaword' is not key<op>value", None),
        (["QueryVmInstance", "=x"], "is not key<op>value", None),
        (["QueryVmInstance", "vmNics=x"], "names a table", "vmNics.uuid"),
        (["StartVmInstance"], "missing required parameter uuid", None),
        (["CreateVmInstance", "instanceOfferingUuid=x"], "missing required parameter name", None),
        (["StartVmInstance", "uuid=a", "hostUid=b"], "StartVmInstance has no parameter 'hostUid'", "hostUuid"),
        (["StartVmInstance", "uuid>a"], "parameters take '='", None),
        (["AddImage", "name=a", "url=b", "backupStorageUuids=c", "mediaType=Floppy"],
         "'Floppy' is not one of RootVolumeTemplate, ISO, DataVolumeTemplate", None),
        (["AddKVMHost", "name=h", "managementIp=m", "username=u", "password=p", "clusterUuid=c", "sshPort=70000"],
         "70000 is outside 1..65535", None),
        (["AddKVMHost", "name=h", "managementIp=m", "username=u", "password=p", "clusterUuid=c", "sshPort=ssh"],
         "'ssh' is not an integer", None),
        (["StartVmInstance", "uuid=a", "uuid=b"], "uuid is given twice", None),
        ([], "nothing to run", None),
    ],
)
def test_errors(cat, words, message, suggestion):
    with pytest.raises(UsageError) as e:
        request_for(cat, *words)
    assert message in str(e.value)
    assert e.value.status == ExitStatus.USAGE
    if suggestion:
        assert suggestion in e.value.suggestions


def test_secret_given_twice_is_not_quoted(cat):
    with pytest.raises(UsageError) as e:
        parse_command(["LogInByAccount", "accountName=a", "password=pw1", "password=pw2"], cat)
    assert "given twice" in str(e.value) and "pw1" not in str(e.value) and "pw2" not in str(e.value)


def test_secret_never_appears_in_an_error(cat):
    with pytest.raises(UsageError) as e:
        parse_command(["AddKVMHost", "name=h", "managementIp=m", "username=u", "clusterUuid=c",
                       "password=" + "s3cr3t" * 60], cat)
    assert "s3cr3t" not in str(e.value)


def test_no_validate_lets_unknown_fields_through(cat):
    req = request_for(cat, "QueryVmInstance", "futureField=1", "vmNics.futureThing~=x", validate=False)
    assert req.query == [("q", "futureField=1"), ("q", "vmNics.futureThing~=%x%")]
    # known fields are still checked
    with pytest.raises(UsageError):
        request_for(cat, "QueryVmInstance", "cpuNum>=abc", validate=False)
    req = request_for(cat, "StartVmInstance", "uuid=a", "futureParam=1", validate=False)
    assert req.body == {"startVmInstance": {"futureParam": "1"}}


@pytest.mark.parametrize(
    ("line", "words"),
    [
        ("QueryVmInstance name=vm1", ["QueryVmInstance", "name=vm1"]),
        ("Q 'description=two words' x", ["Q", "description=two words", "x"]),
        ('Q name="a b" c\\ d', ["Q", "name=a b", "c d"]),
        ("Q name=a#b", ["Q", "name=a#b"]),
        ("  ", []),
    ],
)
def test_split_line(line, words):
    assert split_line(line) == words


def test_split_line_unbalanced_quote():
    with pytest.raises(UsageError, match="no closing quotation"):
        split_line("Q name='abc")


@pytest.mark.parametrize(
    ("value", "items"),
    [("a,b", ["a", "b"]), ("a\\,b,c", ["a,b", "c"]), ("a", ["a"]), ("", []), ("a,,b", ["a", "b"]),
     ("a\\b", ["a\\b"])],
)
def test_split_list(value, items):
    assert split_list(value) == items


def test_every_query_api_builds_a_request(cat):
    for name in cat.query_api_names():
        api = cat.api(name)
        fields = [f for f in cat.fields(api.inventory).values() if not f.hidden and f.kind == "string"]
        words = [name, "limit=5", "sortBy=" + fields[0].name] if fields else [name, "limit=5"]
        if fields:
            words.append(f"{fields[0].name}~=x")
        words += [f"{var}=v" for var in re.findall(r"\{(\w+)\}", api.path)]
        req = request_for(cat, *words)
        assert req.method == "GET" and req.path == api.path.replace("{vmInstanceUuid}", "v"), name
        assert "{" not in req.path
        assert ("limit", "5") in req.query


def test_every_api_with_required_parameters_builds_a_request(cat):
    """Fill every required parameter with a value of its type; every non-query API must build."""
    samples = {"int": "1", "float": "1.5", "bool": "true", "list": "a,b", "map": "{}", "object": "{}",
               "string": "x", "timestamp": "x"}
    for name in cat.api_names:
        api = cat.api(name)
        if api.query:
            continue
        words = [name]
        for p in api.params:
            if p.required or p.location == "path":
                value = p.values[0] if p.values else samples[p.kind]
                if p.kind == "list" and ("Map" in p.type or "AO" in p.type or ("<" not in p.type and p.type != "List")):
                    value = "[]"
                if p.range and p.kind in ("int", "float"):
                    value = str(p.range[0])
                words.append(f"{p.name}={value}")
        req = request_for(cat, *words)
        assert req.method == api.method and "{" not in req.path, name


_word = st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=30)
_api = st.sampled_from(["QueryVmInstance", "QueryModelService", "StartVmInstance", "CreateVmInstance",
                        "DestroyVmInstance", "LogInByAccount", "AddKVMHost", "QueryL3Network", "Nope"])
_key = st.sampled_from(["name", "uuid", "cpuNum", "vmNics.ip", "vmNics.l3Network.name", "limit", "start",
                        "fields", "sortBy", "count", "password", "l3NetworkUuids", "clientInfo", "sshPort", "x.y",
                        "__systemTag__", "supportDistributed", "requestCpu", "deleteMode", "systemTags", ""])
_op = st.sampled_from(["=", "!=", ">", "<", ">=", "<=", "?=", "!?=", "~=", "!~=", ""])


@settings(max_examples=400, deadline=None)
@given(api=_api, rest=st.lists(st.one_of(_word, st.builds(lambda k, o, v: k + o + v, _key, _op, _word)), max_size=6),
       validate=st.booleans())
def test_no_input_raises_anything_but_usage_error(api, rest, validate):
    cat = _CATALOG
    try:
        build_request(parse_command([api, *rest], cat, validate=validate))
    except UsageError:
        pass


@settings(max_examples=300, deadline=None)
@given(line=st.text(max_size=60))
def test_any_line_splits_or_raises_usage_error(line):
    try:
        split_line(line)
    except UsageError:
        pass


_CATALOG = Catalog()


# --- secrets: one definition, never quoted back (defects 1, 2, 3) -------------------------------------
@pytest.mark.parametrize(("name", "secret", "close"), [
    ("password", True, True), ("sshPassword", True, True), ("oldPassword", True, True),
    ("secret", True, True), ("ossSecret", True, True), ("clientSecret", True, True), ("clientSecrete", True, True),
    ("AccessKeySecret", True, True), ("smsAccessKeySecret", True, True),
    ("token", True, True), ("accessToken", True, True), ("refreshToken", True, True),
    ("sshPrivKey", True, True), ("privateKey", True, True), ("credential", True, True),
    ("pasword", False, True), ("passwrd", False, True), ("newPasword", False, True), ("secert", False, True),
    ("tokn", False, True), ("password ", True, True),
    ("secretResourcePoolUuid", False, False), ("tokenUrl", False, False), ("name", False, False),
    ("accountName", False, False), ("description", False, False), ("key", False, False),
    ("sessionUuid", False, False), ("state", False, False), ("type", False, False),
])
def test_one_definition_of_a_secret_name(name, secret, close):
    from zcli.secrets import is_secret, looks_secret

    assert is_secret(name) is secret
    assert looks_secret(name) is close


@pytest.mark.parametrize(("api", "param"), [("AddImage", "url"), ("AddNfsPrimaryStorage", "url"),
                                            ("AddCephPrimaryStorage", "monUrls"), ("AddLdapServer", "url"),
                                            ("CreateSystemTag", "tag"), ("CreateUserTag", "tag"),
                                            ("CreateSystemTags", "tags")])
def test_catalogue_log_masking_flag_does_not_make_urls_and_tags_secret(cat, api, param):
    # ZStack flags these `password` to mask its own logs (second pass, S2); names decide what is secret.
    from zcli.secrets import is_secret, looks_secret

    assert cat.api(api).param(param).password
    assert not is_secret(param) and not looks_secret(param)


def test_url_and_tag_parameters_are_not_secret_params(cat):
    cmd = parse_command(["AddImage", "name=a", "url=http://h/i", "backupStorageUuids=b"], cat)
    assert cmd.secret_params == set() and cmd.params["url"] == "http://h/i"
    cmd = parse_command(["CreateUserTag", "resourceType=VmInstanceVO", "resourceUuid=r", "tag=owner::alice"], cat)
    assert cmd.secret_params == set() and cmd.params["tag"] == "owner::alice"
    # the credentials inside a URL are sent as typed (the debug log and the shell mask their password)
    cmd = parse_command(["AddImage", "name=a", "url=http://u:p4ss@h/i", "backupStorageUuids=b"], cat)
    assert build_request(cmd).body["params"]["url"] == "http://u:p4ss@h/i"


@pytest.mark.parametrize(("value", "name", "masked"), [
    ("http://u:p4ss@h/i", "url", "http://u:*****@h/i"),
    ("https://user:pa@ss@host:8443/x?a=b", "url", "https://user:*****@host:8443/x?a=b"),
    ("sftp://root:pw@10.0.0.1/data", "tag", "sftp://root:*****@10.0.0.1/data"),  # credentials in any value
    ("root:Pw1@10.0.0.2:22/?monPort=6789,admin:Pw2@10.0.0.3", "monUrls",
     "root:*****@10.0.0.2:22/?monPort=6789,admin:*****@10.0.0.3"),
    ("http://h/i", "url", "http://h/i"), ("http://u@h/i", "url", "http://u@h/i"),
    ("nfs-host:/path/to/export", "url", "nfs-host:/path/to/export"),
    ("owner::alice", "tag", "owner::alice"), ("a:b@c", "tag", "a:b@c"),  # no scheme, not a URL-named key
])
def test_url_credentials_mask_the_password_and_keep_the_user(value, name, masked):
    from zcli.secrets.values import mask_url_passwords, secret_parts

    assert mask_url_passwords(value, name) == masked
    assert bool(secret_parts(name, value)) is (masked != value)


def test_errors_never_quote_the_password_of_a_url(cat):
    with pytest.raises(UsageError) as e:
        parse_command(["AddImage", "name=a", "url=http://u:Pw9x@h/i", "url=http://u:Pw9x@h/i"], cat)
    assert "Pw9x" not in str(e.value) and "Pw9x" not in (e.value.word or "")
    assert "http://u:*****@h/i" in str(e.value)


# --- an empty path parameter is a usage error (second pass, S3) ----------------------------------------
@pytest.mark.parametrize("words", [["UpdateZone", "uuid=", "name=x"], ["DeleteZone", "uuid="],
                                   ["StartVmInstance", "uuid= "]])
def test_empty_path_parameter_is_a_usage_error(cat, words):
    with pytest.raises(UsageError, match="uuid needs a value") as e:
        parse_command(words, cat)
    assert e.value.status == ExitStatus.USAGE


def test_empty_path_parameter_is_refused_without_validation_too(cat):
    cmd = parse_command(["UpdateZone", "uuid=z", "name=x"], cat, validate=False)
    cmd.params["uuid"] = ""  # as an unchecked caller could leave it
    with pytest.raises(UsageError, match="uuid needs a value"):
        build_request(cmd)
    with pytest.raises(UsageError, match=r"the server refuses a condition with an empty value"):
        request_for(cat, "QueryVmInstancePciDeviceSpecRef", "vmInstanceUuid=")
    with pytest.raises(UsageError, match=r"missing vmInstanceUuid=\.\.\. \(part of the path\)"):
        request_for(cat, "QueryVmInstancePciDeviceSpecRef", "vmInstanceUuid!=x")


@pytest.mark.parametrize(("words", "secret", "shown"), [
    (["QueryZone", "name=x", "password=Hunter2"], "Hunter2", "'password=*****': unknown field 'password'"),
    (["LogInByAccount", "accountName=admin", "password = Sp4ce"], "Sp4ce", "has no parameter 'password '"),
    (["LogInByAccount", "accountName=admin", "pasword=Typo77"], "Typo77", "'pasword=*****'"),
    (["QueryZone", "secret=TopS3cret"], "TopS3cret", "unknown field 'secret'"),
    (["QueryZone", "tokn>=abc123"], "abc123", "'tokn>=*****'"),
    (["AddAliyunKeySecret", "name=k", "key=AKID", "secret=TOPSECRET", "secret=AGAIN999"], "TOPSECRET", "twice"),
    (["AddKVMHost", "name=h", "managementIp=m", "username=u", "clusterUuid=c", "password=p", "sshPasword=SSHpw1"],
     "SSHpw1", "has no parameter 'sshPasword'"),
])
def test_errors_never_quote_a_secret_value(cat, words, secret, shown):
    with pytest.raises(UsageError) as e:
        parse_command(words, cat)
    assert secret not in str(e.value) and secret not in (e.value.word or "")
    assert shown in str(e.value)


def test_secret_params_follow_the_shared_definition(cat):
    cmd = parse_command(["AddAliyunKeySecret", "name=k", "key=AKID", "secret=TOPSECRET"], cat)
    assert cmd.secret_params == {"secret"}


# --- Java integer ranges (defect 8) -------------------------------------------------------------------
@pytest.mark.parametrize(("words", "message"), [
    (["QueryVmInstance", "limit=99999999999999999999"], "limit takes a whole number from 0 to 2147483647"),
    (["QueryVmInstance", "limit=2147483648"], "from 0 to 2147483647"),
    (["QueryVmInstance", "start=2147483648"], "start takes a whole number"),
    (["QueryVmInstance", "limit=²"], "limit takes a whole number"),
    (["QueryVmInstance", "cpuNum>=2147483648"], "outside -2147483648..2147483647 (a Java Integer)"),
    (["QueryVmInstance", "cpuNum?=1,-2147483649"], "outside -2147483648..2147483647"),
    (["QueryVmInstance", "memorySize>=9223372036854775808"], "(a Java Long)"),
    (["AddKVMHost", "name=h", "managementIp=m", "username=u", "password=p", "clusterUuid=c",
      "sshPort=99999999999"], "outside -2147483648..2147483647"),
])
def test_integers_are_range_checked_before_sending(cat, words, message):
    with pytest.raises(UsageError) as e:
        request_for(cat, *words)
    assert message in str(e.value)


def test_integers_at_their_limits_are_sent(cat):
    req = request_for(cat, "QueryVmInstance", "limit=2147483647", "start=0", "cpuNum<=2147483647",
                      "memorySize>=9223372036854775807")
    assert ("limit", "2147483647") in req.query and ("q", "memorySize>=9223372036854775807") in req.query


# --- sortBy and groupBy take scalar fields (defect 17) ------------------------------------------------
@pytest.mark.parametrize(("word", "name"), [("sortBy=vmNics", "vmNics"), ("groupBy=allVolumes", "allVolumes"),
                                            ("groupBy=vmNics", "vmNics")])
def test_sort_and_group_by_take_scalar_fields_only(cat, word, name):
    with pytest.raises(UsageError) as e:
        request_for(cat, "QueryVmInstance", word)
    assert f"takes a field holding one value; '{name}' is a List" in str(e.value)


def test_sort_and_group_by_scalar_fields_pass(cat):
    req = request_for(cat, "QueryVmInstance", "sortBy=cpuNum", "groupBy=state")
    assert ("sort", "+cpuNum") in req.query and ("groupBy", "state") in req.query


# --- a bare field name: the shell took > or < (defect 5) ----------------------------------------------
def test_bare_field_hints_at_a_shell_redirection(cat):
    with pytest.raises(UsageError) as e:
        request_for(cat, "QueryVmInstance", "state=Running", "cpuNum")
    assert "the shell took > or < as a redirection: quote the word, e.g. 'cpuNum>=4'" in str(e.value)
    with pytest.raises(UsageError) as e:
        request_for(cat, "QueryVmInstance", "justaword")
    assert "redirection" not in str(e.value)


# --- trailing comments (defect 18) --------------------------------------------------------------------
@pytest.mark.parametrize(("line", "words"), [
    ("CreateZone name='my zone'   # note", ["CreateZone", "name=my zone"]),
    ("# a whole-line comment", []),
    ("QueryZone\t#tab then comment", ["QueryZone"]),
    ("CreateZone name=a#b", ["CreateZone", "name=a#b"]),
    ("CreateZone name='#1' \"#2\" \\#3", ["CreateZone", "name=#1", "#2", "#3"]),
    ("CreateZone 'name=a # b' # c 'unbalanced", ["CreateZone", "name=a # b"]),
    ('CreateZone "x\\" #y" z', ["CreateZone", 'x" #y', "z"]),
])
def test_a_word_starting_with_hash_starts_a_comment(line, words):
    assert split_line(line) == words
