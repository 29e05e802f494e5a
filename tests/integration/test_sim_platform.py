"""The platform families over HTTP, as a user's script drives them: IAM2 memberships, attributes, projects and
organizations; quotas and their usage; permissions; LDAP; the licence; billing; the platform reads."""

from __future__ import annotations

import base64
import hashlib
import json
from datetime import datetime

import pytest
import requests

from tests.integration.simapi import Api, new_vm

PASSWORD = hashlib.sha512(b"password").hexdigest()


@pytest.fixture(scope="module")
def api():
    """One simulator for the module, on a clock the tests move (billing counts time on it)."""
    from tests.conftest import RunningSim, login
    from zcli.sim.clock import ManualClock
    from zcli.sim.server import start_in_thread

    clock = ManualClock()
    handle = start_in_thread(port=0, clock=clock)
    running = RunningSim(handle.host, handle.port, handle=handle)
    running.session = login(running.api)
    client = Api(running)
    client.clock = clock
    yield client
    running.stop()


def _advance(api, seconds: float) -> None:
    """Move the simulator's clock, and log in again (the session would have expired meanwhile)."""
    from tests.conftest import login

    api.clock.advance(seconds)
    api.http.headers["Authorization"] = f"OAuth {login(api.base)}"


def _ms(shown: str) -> int:
    return int(datetime.strptime(shown, "%b %d, %Y %I:%M:%S %p").timestamp() * 1000)


def _vid(api, name: str) -> dict:
    return api.ok("CreateIAM2VirtualID", name=name, password=PASSWORD)["inventory"]


def _as(api, account: str, password: str = PASSWORD) -> Api:
    """The same simulator under another account's session."""
    r = requests.put(api.base + "/accounts/login", json={"logInByAccount": {"accountName": account,
                                                                             "password": password}}, timeout=10)
    assert r.status_code == 200, r.text
    other = Api.__new__(Api)
    other.base, other.catalog, other.http = api.base, api.catalog, requests.Session()
    other.http.headers["Authorization"] = f"OAuth {r.json()['inventory']['uuid']}"
    return other


def test_virtual_ids_join_projects_groups_and_organizations(api):
    project = api.ok("CreateIAM2Project", name="proj-members")["inventory"]
    a, b = _vid(api, "member-a"), _vid(api, "member-b")
    role = api.one("QueryRole", "name=project-operator")
    api.ok("AddIAM2VirtualIDsToProject", projectUuid=project["uuid"], virtualIDUuids=[a["uuid"], b["uuid"]],
           roleUuids=[role["uuid"]])
    assert "already" in api.refused("AddIAM2VirtualIDsToProject", projectUuid=project["uuid"],
                                    virtualIDUuids=[a["uuid"]])["details"]
    api.refused("AddIAM2VirtualIDsToProject", projectUuid=project["uuid"], virtualIDUuids=["0" * 32])
    group = api.ok("CreateIAM2VirtualIDGroup", name="grp-members", projectUuid=project["uuid"])["inventory"]
    api.ok("AddIAM2VirtualIDsToGroup", groupUuid=group["uuid"], virtualIDUuids=[a["uuid"], b["uuid"]])
    got = api.ok("GetIAM2VirtualIDInGroup", groupUuid=group["uuid"], replyWithCount=True)
    assert sorted(v["name"] for v in got["inventories"]) == ["member-a", "member-b"] and got["total"] == 2
    outsider = _vid(api, "outsider")
    assert "not a member of the project" in api.refused("AddIAM2VirtualIDsToGroup", groupUuid=group["uuid"],
                                                        virtualIDUuids=[outsider["uuid"]])["details"]
    # leaving the project takes b out of the project's group too
    api.ok("RemoveIAM2VirtualIDsFromProject", projectUuid=project["uuid"], virtualIDUuids=[b["uuid"]])
    got = api.ok("GetIAM2VirtualIDInGroup", groupUuid=group["uuid"])
    assert [v["name"] for v in got["inventories"]] == ["member-a"]
    api.refused("RemoveIAM2VirtualIDsFromProject", projectUuid=project["uuid"], virtualIDUuids=[b["uuid"]])
    api.ok("RemoveIAM2VirtualIDsFromGroup", groupUuid=group["uuid"], virtualIDUuids=[a["uuid"]])
    assert api.ok("GetIAM2VirtualIDInGroup", groupUuid=group["uuid"])["inventories"] == []
    # roles of a virtual ID and of a group
    api.refused("AddRolesToIAM2VirtualID", virtualIDUuid=a["uuid"], roleUuids=[role["uuid"]],
                projectUuid=project["uuid"])  # granted with the membership
    api.ok("RemoveRolesFromIAM2VirtualID", virtualIDUuid=a["uuid"], roleUuids=[role["uuid"]],
           projectUuid=project["uuid"])
    api.ok("AddRolesToIAM2VirtualIDGroup", groupUuid=group["uuid"], roleUuids=[role["uuid"]])
    api.ok("RemoveRolesFromIAM2VirtualIDGroup", groupUuid=group["uuid"], roleUuids=[role["uuid"]])
    api.refused("RemoveRolesFromIAM2VirtualIDGroup", groupUuid=group["uuid"], roleUuids=[role["uuid"]])
    # organizations: direct and total members counted through the tree
    company = api.ok("CreateIAM2Organization", name="co", type="Company")["inventory"]
    dept = api.ok("CreateIAM2Organization", name="dept", type="Department")["inventory"]
    api.ok("ChangeIAM2OrganizationParent", parentUuid=company["uuid"], childrenUuids=[dept["uuid"]])
    assert api.one("QueryIAM2Organization", f"uuid={dept['uuid']}")["parentUuid"] == company["uuid"]
    assert "cannot become its parent" in api.refused("ChangeIAM2OrganizationParent", parentUuid=dept["uuid"],
                                                     childrenUuids=[company["uuid"]])["details"]
    api.ok("AddIAM2VirtualIDsToOrganization", organizationUuid=company["uuid"], virtualIDUuids=[a["uuid"]])
    api.ok("AddIAM2VirtualIDsToOrganization", organizationUuid=dept["uuid"], virtualIDUuids=[b["uuid"], a["uuid"]])
    got = api.ok("GetIAM2OrganizationVirtualIDNumber", uuid=company["uuid"])
    assert (got["virtualDirectNumber"], got["virtualTotalNumber"]) == (1, 2)
    api.ok("RemoveIAM2VirtualIDsFromOrganization", organizationUuid=dept["uuid"], virtualIDUuids=[b["uuid"]])
    assert api.ok("GetIAM2OrganizationVirtualIDNumber", uuid=dept["uuid"])["virtualDirectNumber"] == 1
    # a project belongs to one organization at a time
    api.ok("AttachIAM2ProjectToIAM2Organization", projectUuid=project["uuid"], organizationUuid=dept["uuid"])
    assert api.query("QueryIAM2OrganizationProjectRef", f"projectUuid={project['uuid']}")[0]["organizationUuid"] \
        == dept["uuid"]
    api.refused("AttachIAM2ProjectToIAM2Organization", projectUuid=project["uuid"], organizationUuid=company["uuid"])
    api.ok("DetachIAM2ProjectFromIAM2Organization", projectUuid=project["uuid"])
    assert api.query("QueryIAM2OrganizationProjectRef", f"projectUuid={project['uuid']}") == []
    api.refused("DetachIAM2ProjectFromIAM2Organization", projectUuid=project["uuid"])
    # deleting a virtual ID takes its memberships with it; deleting the company takes its department
    api.ok("DeleteIAM2VirtualID", uuid=a["uuid"])
    assert api.ok("GetIAM2OrganizationVirtualIDNumber", uuid=company["uuid"])["virtualTotalNumber"] == 0
    api.ok("DeleteIAM2Organization", uuid=company["uuid"])
    assert api.query("QueryIAM2Organization", f"uuid={dept['uuid']}") == []
    for v in (b, outsider):
        api.ok("DeleteIAM2VirtualID", uuid=v["uuid"])
    api.ok("DeleteIAM2VirtualIDGroup", uuid=group["uuid"])
    api.ok("DeleteIAM2Project", uuid=project["uuid"])
    api.ok("ExpungeIAM2Project", uuid=project["uuid"])


def test_a_project_login_follows_the_projects_members(api):
    r = api.http.put(api.base + "/iam2/virtual-ids/login", json={"loginIAM2VirtualID": {
        "name": "iam2-user", "password": PASSWORD}}, timeout=10)
    assert r.status_code == 200, r.text
    vid = Api.__new__(Api)
    vid.base, vid.catalog, vid.http = api.base, api.catalog, requests.Session()
    vid.http.headers["Authorization"] = f"OAuth {r.json()['inventory']['uuid']}"
    project = api.one("QueryIAM2Project", "name=project-1")
    me = api.one("QueryIAM2VirtualID", "name=iam2-user")
    assert vid.ok("LoginIAM2Project", projectName="project-1")["inventory"]["accountUuid"] \
        == project["linkedAccountUuid"]
    api.ok("RemoveIAM2VirtualIDsFromProject", projectUuid=project["uuid"], virtualIDUuids=[me["uuid"]])
    assert vid.refused("LoginIAM2Project", projectName="project-1")["code"] == "ID.1002"
    api.ok("AddIAM2VirtualIDsToProject", projectUuid=project["uuid"], virtualIDUuids=[me["uuid"]])
    vid.ok("LoginIAM2Project", projectName="project-1")


def test_a_project_is_deleted_recovered_expunged_and_templated(api):
    project = api.ok("CreateIAM2Project", name="proj-life")["inventory"]
    api.ok("AddAttributesToIAM2Project", uuid=project["uuid"], attributes=[{"name": "cost-center", "value": "42"}])
    shown = api.one("QueryIAM2Project", f"uuid={project['uuid']}")
    assert [(x["name"], x["value"]) for x in shown["attributes"]] == [("cost-center", "42")]
    attr = api.one("QueryIAM2ProjectAttribute", f"projectUuid={project['uuid']}")
    template = api.ok("CreateIAM2ProjectTemplateFromProject", projectUuid=project["uuid"], name="tpl")["inventory"]
    made = api.ok("CreateIAM2ProjectFromTemplate", templateUuid=template["uuid"], name="proj-from-tpl")["inventory"]
    assert [(x["name"], x["value"]) for x in made["attributes"]] == [("cost-center", "42")]
    other = api.one("QueryIAM2VirtualID", "name=alice")
    api.refused("RemoveAttributesFromIAM2VirtualID", uuid=other["uuid"], attributeUuids=[attr["uuid"]])
    api.ok("RemoveAttributesFromIAM2Project", uuid=project["uuid"], attributeUuids=[attr["uuid"]])
    assert api.query("QueryIAM2ProjectAttribute", f"projectUuid={project['uuid']}") == []
    assert api.one("QueryIAM2Project", f"uuid={project['uuid']}")["attributes"] == []
    # the login expiry is a System attribute the system attributes show
    api.ok("SetIAM2ProjectLoginExpired", uuid=project["uuid"], loginExpired="2030-01-01")
    system = api.ok("GetIAM2SystemAttributes")["inventories"]
    expiry = [x for x in system if x.get("projectUuid") == project["uuid"] or x["value"] == "2030-01-01"]
    assert [x["name"] for x in expiry] == ["loginExpired"]
    api.ok("RemoveIAM2ProjectLoginExpired", uuid=project["uuid"], attributeUuid=expiry[0]["uuid"])
    assert all(x["uuid"] != expiry[0]["uuid"] for x in api.ok("GetIAM2SystemAttributes")["inventories"])
    # deletion policy
    api.refused("RecoverIAM2Project", uuid=project["uuid"])
    api.refused("ExpungeIAM2Project", uuid=project["uuid"])
    api.ok("DeleteIAM2Project", uuid=project["uuid"])
    assert api.one("QueryIAM2Project", f"uuid={project['uuid']}")["state"] == "Deleted"
    assert project["uuid"] not in {p["uuid"] for p in api.ok("GetIAM2ProjectsOfVirtualID")["inventories"]}
    assert api.ok("RecoverIAM2Project", uuid=project["uuid"])["inventory"]["state"] == "Enabled"
    assert project["uuid"] in {p["uuid"] for p in api.ok("GetIAM2ProjectsOfVirtualID")["inventories"]}
    for p in (project, made):
        api.ok("DeleteIAM2Project", uuid=p["uuid"])
        api.ok("ExpungeIAM2Project", uuid=p["uuid"])
        assert api.query("QueryIAM2Project", f"uuid={p['uuid']}") == []
    api.ok("DeleteIAM2ProjectTemplate", uuid=template["uuid"])


def test_a_virtual_id_file_is_checked_against_the_names_taken(api):
    results = api.ok("CheckIAM2VirtualIDConfigFile",
                     virtualIDInfos='[{"name": "alice"}, {"name": "newcomer"}, {"name": "newcomer"}]')["results"]
    assert [r["success"] for r in results] == [False, True, False]
    assert api.ok("CheckIAM2OrganizationAvailability")["exists"] is True


def _usage(api, account: str) -> dict:
    return {u["name"]: u for u in api.ok("GetAccountQuotaUsage", uuid=account)["usages"]}


def test_quota_usage_counts_what_the_account_owns(api):
    account = api.ok("CreateAccount", name="quota-user", password=PASSWORD)["inventory"]
    quotas = {q["name"]: q["value"] for q in api.query("QueryQuota", f"identityUuid={account['uuid']}")}
    assert quotas["vm.num"] == 20 and quotas["volume.data.num"] == 40  # the quota global configs' defaults
    api.ok("UpdateQuota", identityUuid=account["uuid"], name="vm.num", value=5)
    usage = _usage(api, account["uuid"])
    assert (usage["vm.num"]["used"], usage["vm.num"]["total"]) == (0, 5)
    user = _as(api, "quota-user")
    vm = new_vm(user, "quota-vm")
    usage = _usage(api, account["uuid"])
    assert usage["vm.num"]["used"] == 1 and usage["vm.cpuNum"]["used"] == vm["cpuNum"]
    assert usage["vm.memorySize"]["used"] == vm["memorySize"]
    assert "more than the requested quota" in api.refused("UpdateQuota", identityUuid=account["uuid"], name="vm.num",
                                                          value=0)["details"]
    api.refused("UpdateQuota", identityUuid=account["uuid"], name="no.such.quota", value=1)
    user.ok("StopVmInstance", uuid=vm["uuid"])
    usage = _usage(api, account["uuid"])
    assert (usage["vm.num"]["used"], usage["vm.totalNum"]["used"]) == (0, 1)  # stopped: not running, still there
    assert api.ok("UpdateQuota", identityUuid=account["uuid"], name="vm.num", value=0)["inventory"]["value"] == 0
    api.ok("DestroyVmInstance", uuid=vm["uuid"])
    api.ok("DeleteAccount", uuid=account["uuid"])


def test_a_resource_changes_owner_within_the_new_owners_quota(api):
    account = api.ok("CreateAccount", name="new-owner", password=PASSWORD)["inventory"]
    api.ok("UpdateQuota", identityUuid=account["uuid"], name="vm.totalNum", value=1)
    first, second = new_vm(api, "owned-1"), new_vm(api, "owned-2")
    ref = api.ok("ChangeResourceOwner", accountUuid=account["uuid"], resourceUuid=first["uuid"])["inventory"]
    assert (ref["resourceUuid"], ref["accountUuid"]) == (first["uuid"], account["uuid"])
    assert api.one("QueryAccountResourceRef", f"resourceUuid={first['uuid']}")["accountUuid"] == account["uuid"]
    assert _usage(api, account["uuid"])["vm.totalNum"]["used"] == 1
    assert api.refused("ChangeResourceOwner", accountUuid=account["uuid"], resourceUuid=first["uuid"])["code"] \
        == "ID.1004"  # already its owner
    assert api.refused("ChangeResourceOwner", accountUuid=account["uuid"], resourceUuid=second["uuid"])["code"] \
        == "ID.1003"  # a second VM is over its vm.totalNum of 1
    admin = api.one("QueryAccount", "name=admin")
    api.ok("ChangeResourceOwner", accountUuid=admin["uuid"], resourceUuid=first["uuid"])
    assert _usage(api, account["uuid"])["vm.totalNum"]["used"] == 0
    for vm in (first, second):
        api.ok("DestroyVmInstance", uuid=vm["uuid"])
    api.ok("DeleteAccount", uuid=account["uuid"])


def test_organization_quota_counts_its_projects_accounts(api):
    org = api.one("QueryIAM2Organization", "name=研发部")
    usage = {u["name"]: u for u in api.ok("GetOrganizationQuotaUsage", uuid=org["uuid"])["usages"]}
    assert usage["vm.num"]["total"] == 20 and usage["vm.num"]["used"] == 0
    done = api.ok("UpdateOrganizationQuota", identityUuid=org["uuid"], name="vm.num", value=3)["inventory"]
    assert (done["identityType"], done["value"]) == ("IAM2OrganizationVO", 3)
    usage = {u["name"]: u for u in api.ok("GetOrganizationQuotaUsage", uuid=org["uuid"])["usages"]}
    assert usage["vm.num"]["total"] == 3
    api.refused("UpdateOrganizationQuota", identityUuid=org["uuid"], name="vm.num", value=-1)


def test_an_image_store_keeps_its_quota(api):
    bs = api.one("QueryImageStoreBackupStorage", "name=bs-imagestore-1")
    used = bs["totalCapacity"] - bs["availableCapacity"]
    api.refused("SetImageStoreBackupStorageQuota", uuids=[bs["uuid"]], maxCapacity=used - 1)
    api.ok("SetImageStoreBackupStorageQuota", uuids=[bs["uuid"]], maxCapacity=used * 2)
    tags = api.query("QuerySystemTag", f"resourceUuid={bs['uuid']}", "tag~=quota::%")
    assert [t["tag"] for t in tags] == [f"quota::{used * 2}"]


def test_ldap_entries_candidates_and_bindings_come_from_the_directory(api):
    found = api.ok("GetLdapEntry", ldapFilter="(&(objectClass=person)(uid=a*))")["inventories"]
    assert [e["dn"] for e in found] == ["uid=alice,ou=people,dc=zstack,dc=example"]
    mail = [a["values"] for a in found[0]["attributes"] if a["attrID"] == "mail"]
    assert mail == [["alice@zstack.example"]]
    assert len(api.ok("GetLdapEntry", ldapFilter="(objectClass=person)", limit=2)["inventories"]) == 2
    api.refused("GetLdapEntry", ldapFilter="(uid=alice")
    account = api.ok("CreateAccount", name="ldap-bound", password=PASSWORD)["inventory"]
    dn = "uid=bob,ou=people,dc=zstack,dc=example"
    binding = api.ok("CreateLdapBinding", ldapUid=dn, accountUuid=account["uuid"])["inventory"]
    assert api.one("QueryLdapBinding", f"uuid={binding['uuid']}")["accountUuid"] == account["uuid"]
    assert api.refused("CreateLdapBinding", ldapUid=dn, accountUuid=account["uuid"])["code"] == "LDAP.1003"
    assert api.refused("CreateLdapBinding", ldapUid="uid=nobody,ou=people,dc=zstack,dc=example",
                       accountUuid=account["uuid"])["code"] == "LDAP.1002"
    candidates = [e["dn"] for e in api.ok("GetCandidateLdapEntryForBinding", ldapFilter="(uid=*)")["inventories"]]
    assert dn not in candidates and "uid=alice,ou=people,dc=zstack,dc=example" in candidates
    server = api.one("QueryLdapServer", "name=ldap-1")
    names = api.ok("GetLdapServerAvailableAttributes", uuid=server["uuid"])["inventories"]
    assert {"uid", "mail", "objectClass"} <= set(names)
    assert api.ok("CleanInvalidLdapBinding") == {}  # every bound DN is still there
    # the server's base moves away: the bound DN is no longer found and its binding goes
    api.ok("UpdateLdapServer", ldapServerUuid=server["uuid"], base="dc=elsewhere,dc=example")
    assert api.ok("GetLdapEntry", ldapFilter="(uid=*)")["inventories"] == []
    cleaned = api.ok("CleanInvalidLdapBinding")["inventories"]
    assert [a["uuid"] for a in cleaned] == [account["uuid"]]
    assert api.query("QueryLdapBinding", f"uuid={binding['uuid']}") == []
    api.ok("UpdateLdapServer", ldapServerUuid=server["uuid"], base=server["base"])
    api.ok("DeleteAccount", uuid=account["uuid"])


def test_the_licence_is_reloaded_and_updated(api):
    before = api.ok("GetLicenseRecords", replyWithCount=True)
    assert before["total"] == 1 and before["inventories"][0]["licenseType"] == "Paid"
    assert api.ok("IsOpensourceVersion")["opensource"] is False
    hosts = api.query("QueryHost")
    reloaded = api.ok("ReloadLicense")["inventory"]
    assert reloaded["availableHostNum"] == reloaded["hostNum"] - len(hosts)
    assert reloaded["availableCpuNum"] == reloaded["cpuNum"] - sum(h["cpuSockets"] for h in hosts)
    node = api.query("QueryManagementNode")[0]
    text = base64.b64encode(json.dumps({"licenseType": "Trial", "hostNum": 100, "cpuNum": 400, "vmNum": 50,
                                        "expiredDate": "2024-06-01 00:00:00"}).encode()).decode()
    updated = api.ok("UpdateLicense", managementNodeUuid=node["uuid"], license=text)["inventory"]
    assert (updated["licenseType"], updated["hostNum"], updated["expired"]) == ("Trial", 100, False)
    assert updated["availableHostNum"] == 100 - len(hosts)
    assert api.ok("GetLicenseCapabilities")["capabilities"]["hostNum"] == 100
    _advance(api, 40 * 86400)  # past the trial's end on the simulator's clock
    assert api.ok("ReloadLicense", managementNodeUuids=[node["uuid"]])["inventory"]["expired"] is True
    records = api.ok("GetLicenseRecords", sortBy="uploadDate", sortDirection="desc", replyWithCount=True)
    assert records["total"] == 2 and records["inventories"][0]["licenseType"] == "Trial"
    api.refused("UpdateLicense", managementNodeUuid=node["uuid"], license="not a licence")
    addon = json.dumps({"licenseType": "AddOn", "name": "zops", "modules": ["zops"], "hostNum": 8,
                        "expiredDate": "2030-01-01 00:00:00"})
    api.ok("UpdateLicense", managementNodeUuid=node["uuid"], license=addon)
    assert "zops" in [a["name"] for a in api.ok("GetLicenseAddOns")["addons"]]
    assert api.ok("GetLicenseCapabilities")["capabilities"]["zops"] is True
    paid = json.dumps({"licenseType": "Paid", "hostNum": 32, "cpuNum": 256, "vmNum": 1000,
                       "expiredDate": "2030-01-01 00:00:00"})
    assert api.ok("UpdateLicense", managementNodeUuid=node["uuid"], license=paid)["inventory"]["expired"] is False


def test_spending_is_prices_times_lifetimes_and_bills_sum_it(api):
    payer = api.ok("CreateAccount", name="payer", password=PASSWORD)["inventory"]
    table = api.one("QueryPriceTable", "name=default-prices")
    api.ok("AttachPriceTableToAccount", tableUuid=table["uuid"], accountUuid=payer["uuid"])
    assert api.ok("GetAccountPriceTableRef", accountUuid=payer["uuid"])["tableUuid"] == table["uuid"]
    assert payer["uuid"] in api.ok("GetAccountPriceTableRef", tableUuid=table["uuid"])["accountUuids"]
    prices = {p["resourceName"]: p["price"] for p in api.query("QueryResourcePrice", f"tableUuid={table['uuid']}")}
    user = _as(api, "payer")
    vm = new_vm(user, "billed-vm")
    root = api.one("QueryVolume", f"uuid={vm['rootVolumeUuid']}")
    start = _ms(vm["createDate"])
    api.clock.advance(3600)
    end = start + 3600 * 1000
    got = api.ok("CalculateAccountSpending", accountUuid=payer["uuid"], dateStart=start, dateEnd=end)
    expected = 3600 * (vm["cpuNum"] * prices["cpu"] + vm["memorySize"] / 2**30 * prices["memory"]
                       + root["size"] / 2**30 * prices["rootVolume"])
    vms = next(s for s in got["spending"] if s["spendingType"] == "VM")
    assert vms["spending"] == pytest.approx(expected) and got["total"] == pytest.approx(expected)
    assert [d["resourceUuid"] for d in vms["details"]] == [vm["uuid"]]
    cpu = vms["details"][0]["cpuInventory"][0]
    assert (cpu["cpuNum"], cpu["spending"]) == (vm["cpuNum"], pytest.approx(3600 * vm["cpuNum"] * prices["cpu"]))
    # half the window costs half
    half = api.ok("CalculateAccountSpending", accountUuid=payer["uuid"], dateStart=start, dateEnd=start + 1800_000)
    assert half["total"] == pytest.approx(expected / 2)
    def text(ms: int) -> str:
        return datetime.fromtimestamp(ms / 1000).strftime("%Y%m%d %H:%M:%S")

    one = api.ok("CalculateResourceSpending", resourceType="cpu", resourceUuid=vm["uuid"], dateStart=text(start),
                 dateEnd=text(end))
    assert one["spending"][0]["spending"] == pytest.approx(3600 * vm["cpuNum"] * prices["cpu"])
    # bills
    api.ok("GenerateAccountBilling", accountUuid=payer["uuid"])
    bills = api.query("QueryAccountBilling", f"accountUuid={payer['uuid']}")
    assert sorted(b["billingType"] for b in bills) == ["RootVolume", "VmCPU", "VmMemory"]
    billed = api.ok("CalculateAccountBillingSpending", accountUuid=payer["uuid"], dateStart=start, dateEnd=end)
    assert billed["total"] == pytest.approx(expected)
    api.ok("DeleteBilling", accountUuid=payer["uuid"])
    assert api.query("QueryAccountBilling", f"accountUuid={payer['uuid']}") == []
    api.ok("DestroyVmInstance", uuid=vm["uuid"])
    api.ok("DeleteAccount", uuid=payer["uuid"])


def test_permissions_follow_rbac_and_the_users_policies(api):
    got = api.ok("CheckApiPermission", apiNames=["org.zstack.header.vm.APICreateVmInstanceMsg", "CreateAccount"])
    assert got["inventory"] == {"org.zstack.header.vm.APICreateVmInstanceMsg": "Allow", "CreateAccount": "Allow"}
    api.refused("CheckApiPermission", apiNames=["NoSuchApi"])
    account = api.ok("CreateAccount", name="rbac-owner", password=PASSWORD)["inventory"]
    owner = _as(api, "rbac-owner")
    judged = owner.ok("CheckApiPermission", apiNames=["CreateVmInstance", "CreateAccount", "AddKVMHost"])["inventory"]
    assert judged == {"CreateVmInstance": "Allow", "CreateAccount": "Deny", "AddKVMHost": "Deny"}
    user = owner.ok("CreateUser", name="rbac-user", password=PASSWORD)["inventory"]
    asked = ["CreateVmInstance", "DestroyVmInstance"]
    assert set(owner.ok("CheckApiPermission", userUuid=user["uuid"], apiNames=asked)["inventory"].values()) \
        == {"Deny"}  # nothing attached: denied by default
    policy = owner.ok("CreatePolicy", name="vm-but-destroy", statements=[
        {"name": "vm", "effect": "Allow", "actions": ["org.zstack.header.vm.**"]},
        {"name": "no-destroy", "effect": "Deny", "actions": ["org.zstack.header.vm.APIDestroyVmInstanceMsg"]}])
    owner.ok("AttachPolicyToUser", userUuid=user["uuid"], policyUuid=policy["inventory"]["uuid"])
    judged = owner.ok("CheckApiPermission", userUuid=user["uuid"], apiNames=asked)["inventory"]
    assert judged == {"CreateVmInstance": "Allow", "DestroyVmInstance": "Deny"}
    admin_user = api.query("QueryUser", "name=demo")[0]
    owner.refused("CheckApiPermission", userUuid=admin_user["uuid"], apiNames=asked)
    apis = api.ok("CheckResourcePermission", resourceType="VmInstanceVO")["apis"]
    assert "APICreateVmInstanceMsg" in apis and "APICreateAccountMsg" not in apis
    owner.refused("CheckResourcePermission", resourceType="VmInstanceVO")
    checked = owner.ok("GetIAM2VirtualIDAPIPermission", apisToCheck=["CreateVmInstance", "CreateAccount"])
    assert checked["permissions"] == {"CreateVmInstance": True, "CreateAccount": False} and checked["noPermission"]
    api.ok("DeleteAccount", uuid=account["uuid"])


def test_platform_reads_answer_from_the_node_and_the_scheduler(api):
    node = api.query("QueryManagementNode")[0]
    assert api.ok("IsReadyToGo")["managementNodeId"] == node["uuid"]
    api.refused("IsReadyToGo", managementNodeId="0" * 32)
    assert api.ok("GetDebugSignal")["signals"] == ["DumpTaskQueue"]
    assert api.ok("GetChainTask", syncSignatures=["vm-1"])["results"] == {"vm-1": {"runningTask": [],
                                                                                  "pendingTask": []}}
    assert "spice tls" in api.refused("GetSpiceCertificates")["details"]
    job = api.ok("CreateSchedulerJob", name="snap-job", targetResourceUuid=api.query("QueryVmInstance")[0]["uuid"],
                 type="stopVm")["inventory"]
    assert job["uuid"] in {j["uuid"] for j in api.ok("GetNoTriggerSchedulerJobs")["inventories"]}
    trigger = api.ok("CreateSchedulerTrigger", name="hourly", schedulerType="simple", schedulerInterval=3600,
                     repeatCount=1)["inventory"]
    assert trigger["uuid"] in {t["uuid"] for t in api.ok("GetAvailableTriggers")["inventories"]}
    api.ok("AddSchedulerJobToSchedulerTrigger", schedulerJobUuid=job["uuid"], schedulerTriggerUuid=trigger["uuid"])
    assert job["uuid"] not in {j["uuid"] for j in api.ok("GetNoTriggerSchedulerJobs")["inventories"]}
    report = api.ok("GetSchedulerExecutionReport", startTime=0, intervalTimeUnit="Day", range=3,
                    schedulerJobTypes=["stopVm"])
    assert [r["count"] for r in report["successRecords"]] == [0, 0, 0] and len(report["failureRecords"]) == 3
    api.ok("DeleteSchedulerTrigger", uuid=trigger["uuid"])
    api.ok("DeleteSchedulerJob", uuid=job["uuid"])
