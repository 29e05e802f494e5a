"""Reads of VMs, hosts and storage, and the monitoring family, over HTTP as a user's script drives them: create,
act, query, check what the reads compute from the world, clean up."""

from __future__ import annotations

import json
from datetime import datetime

import pytest

from tests.integration.simapi import new_vm, put


def _local_ps(api) -> dict:
    return api.one("QueryPrimaryStorage", "type=LocalStorage")


def test_vm_capabilities_follow_its_state_storage_and_image(api):
    vm = new_vm(api, "caps-vm")
    caps = api.ok("GetVmCapabilities", uuid=vm["uuid"])["capabilities"]
    # Running on local storage: no volume migration while it runs, live migration only when the global config allows
    assert caps == {"supportLiveMigration": False, "supportVolumeMigration": False, "supportReimage": True,
                    "supportMemorySnapshot": True}
    api.ok("StopVmInstance", uuid=vm["uuid"])
    assert api.ok("GetVmCapabilities", uuid=vm["uuid"])["capabilities"]["supportVolumeMigration"] is True
    api.ok("UpdateGlobalConfig", category="localStoragePrimaryStorage", name="liveMigrationWithStorage.allow",
           value="true")
    api.ok("StartVmInstance", uuid=vm["uuid"])
    both = api.ok("GetVmsCapabilities", vmUuids=[vm["uuid"]])["vmsCaps"][vm["uuid"]]
    assert both["supportLiveMigration"] is True and both["supportVolumeMigration"] is False
    volume = api.ok("GetVolumeCapabilities", uuid=vm["rootVolumeUuid"])["capabilities"]
    assert volume == {"MigrationInCurrentPrimaryStorage": True, "MigrationToOtherPrimaryStorage": False}
    api.ok("UpdateGlobalConfig", category="localStoragePrimaryStorage", name="liveMigrationWithStorage.allow",
           value="false")
    api.ok("DestroyVmInstance", uuid=vm["uuid"])
    api.refused("GetVmsCapabilities", vmUuids=["0" * 32])


def test_boot_order_is_the_vms_setting_and_devices_are_its_volumes(api):
    vm = new_vm(api, "boot-vm")
    assert api.ok("GetVmBootOrder", uuid=vm["uuid"])["order"] == ["HardDisk", "Network"]
    api.ok("SetVmBootOrder", uuid=vm["uuid"], bootOrder=["CdRom", "HardDisk"])
    assert api.ok("GetVmBootOrder", uuid=vm["uuid"])["order"] == ["CdRom", "HardDisk"]
    assert api.query("QuerySystemTag", f"resourceUuid={vm['uuid']}", "tag=bootOrder::CdRom,HardDisk")
    disk = api.ok("CreateDataVolume", name="boot-data", diskOfferingUuid=api.one("QueryDiskOffering",
                                                                                 "name=disk-50G")["uuid"])["inventory"]
    api.ok("AttachDataVolumeToVm", vmInstanceUuid=vm["uuid"], volumeUuid=disk["uuid"])
    addresses = api.ok("GetVmDeviceAddress", uuid=vm["uuid"], resourceTypes=["VolumeVO"])["addresses"]["VolumeVO"]
    assert [a["resourceUuid"] for a in addresses] == [vm["rootVolumeUuid"], disk["uuid"]]
    assert len({a["address"] for a in addresses}) == 2
    numa = api.ok("GetVmvNUMATopology", uuid=vm["uuid"])
    assert numa["hostUuid"] == api.one("QueryVmInstance", f"uuid={vm['uuid']}")["hostUuid"]
    assert sum(len(n["cpus"].split(",")) for n in numa["topology"]) == vm["cpuNum"]
    assert sum(n["memSize"] for n in numa["topology"]) == vm["memorySize"]
    assert api.ok("GetVmGuestToolsInfo", uuid=vm["uuid"])["status"] == "Not Connected"
    api.ok("StopVmInstance", uuid=vm["uuid"])
    assert "not Running" in api.refused("GetVmDeviceAddress", uuid=vm["uuid"], resourceTypes=["VolumeVO"])["details"]
    api.ok("DetachDataVolumeFromVm", uuid=disk["uuid"])
    api.ok("DeleteDataVolume", uuid=disk["uuid"])
    api.ok("DestroyVmInstance", uuid=vm["uuid"])


def test_local_disk_capacity_sums_the_volumes_on_each_host(api):
    ps = _local_ps(api)
    before = {c["hostUuid"]: c for c in api.ok("GetLocalStorageHostDiskCapacity",
                                               primaryStorageUuid=ps["uuid"])["inventories"]}
    assert before and all(c["availableCapacity"] <= c["totalCapacity"] for c in before.values())
    vm = new_vm(api, "disk-vm")
    host = api.one("QueryVmInstance", f"uuid={vm['uuid']}")["hostUuid"]
    root = api.one("QueryVolume", f"uuid={vm['rootVolumeUuid']}")
    after = api.ok("GetLocalStorageHostDiskCapacity", primaryStorageUuid=ps["uuid"], hostUuid=host)["inventories"]
    assert after[0]["availableCapacity"] == before[host]["availableCapacity"] - root["size"]
    api.ok("DestroyVmInstance", uuid=vm["uuid"])
    api.ok("ExpungeVmInstance", uuid=vm["uuid"])
    again = api.ok("GetLocalStorageHostDiskCapacity", primaryStorageUuid=ps["uuid"], hostUuid=host)["inventories"]
    assert again[0]["availableCapacity"] == before[host]["availableCapacity"]
    other = api.one("QueryPrimaryStorage", "type=Ceph")
    api.refused("GetLocalStorageHostDiskCapacity", primaryStorageUuid=other["uuid"])
    report = api.ok("GetPrimaryStorageUsageReport", primaryStorageUuid=ps["uuid"])["usageReport"]
    ps = _local_ps(api)
    assert report["usedPhysicalCapacitiesHistory"] == [ps["totalCapacity"] - ps["availableCapacity"]]


def test_host_network_facts_candidates_bonds_and_vlans(api):
    host = api.one("QueryHost", "name=host-1")
    other = api.one("QueryHost", "name=host-2")
    facts = api.ok("GetHostNetworkFacts", hostUuid=host["uuid"])
    assert sorted(n["interfaceName"] for n in facts["nics"]) == ["eth0", "eth1"] and facts["bondings"] == []
    eth0 = next(n for n in facts["nics"] if n["interfaceName"] == "eth0")
    eth1 = next(n for n in facts["nics"] if n["interfaceName"] == "eth1")
    assert eth0["ipAddresses"][0].startswith(host["managementIp"] + "/")
    found = api.ok("GetCandidateNetworkInterfaces", hostUuids=[host["uuid"], other["uuid"]])
    assert [n["interfaceName"] for n in found["candidateNics"]] == ["eth0", "eth1"] and found["slaveNames"] == []
    made = api.ok("CreateBonding", hostUuids=[host["uuid"], other["uuid"]], bondingName="bond0",
                  type="LinuxBonding", mode="802.3ad", slaveNames=["eth1"])["inventory"]
    assert [b["hostUuid"] for b in made] == [host["uuid"], other["uuid"]]
    assert [s["interfaceName"] for s in made[0]["slaves"]] == ["eth1"]
    assert api.one("QueryHostNetworkInterface", f"uuid={eth1['uuid']}")["bondingUuid"] == made[0]["uuid"]
    api.refused("CreateBonding", hostUuids=[host["uuid"]], bondingName="bond1", type="LinuxBonding",
                mode="802.3ad", slaveUuids=[eth1["uuid"]])
    api.refused("CreateBonding", hostUuids=[host["uuid"]], bondingName="bond2", type="LinuxBonding",
                mode="802.3ad", slaveUuids=[eth0["uuid"]])
    found = api.ok("GetCandidateNetworkInterfaces", hostUuids=[host["uuid"], other["uuid"]], interfaceType="all")
    assert [n.get("interfaceName", n.get("bondingName")) for n in found["candidateNics"]] == ["bond0", "eth0"]
    assert found["slaveNames"] == ["eth1"]
    assert api.ok("GetHostNetworkFacts", hostUuid=host["uuid"])["bondings"][0]["uuid"] == made[0]["uuid"]
    cluster = api.ok("GetClusterHostNetworkFacts", clusterUuid=host["clusterUuid"])
    assert {n["hostUuid"] for n in cluster["nics"]} == {h["uuid"] for h in api.query(
        "QueryHost", f"clusterUuid={host['clusterUuid']}")}
    vlan_l2 = api.one("QueryL2Network", f"zoneUuid={host['zoneUuid']}", "type=L2VlanNetwork")
    free0 = api.ok("GetCandidateInterfaceVlanIds", interfaceUuids=[eth0["uuid"]], limit=4094)["vlanIds"]
    free1 = api.ok("GetCandidateInterfaceVlanIds", interfaceUuids=[eth1["uuid"]], limit=4094)["vlanIds"]
    assert vlan_l2["virtualNetworkId"] not in free0 and vlan_l2["virtualNetworkId"] in free1
    stats = api.ok("GetInterfaceServiceTypeStatistic", hostUuid=host["uuid"], replyWithCount=True)
    assert {(s["interfaceName"], s["serviceType"], s["vlanId"]) for s in stats["serviceTypeStatistics"]} >= {
        ("eth0", "ManagementNetwork", 0), ("eth0", "TenantNetwork", vlan_l2["virtualNetworkId"])}
    assert stats["total"] == len(stats["serviceTypeStatistics"])
    l3 = api.one("QueryL3Network", "name=private-1")
    assert api.ok("IsVfNicAvailableInL3Network", l3NetworkUuid=l3["uuid"], hostUuid=host["uuid"])["vfNicAvailable"] \
        is False
    api.ok("ChangeHostNetworkInterfaceLldpMode", interfaceUuids=[eth0["uuid"]], mode="tx_only")
    assert api.one("QueryHostNetworkInterfaceLldp", f"interfaceUuid={eth0['uuid']}")["mode"] == "tx_only"
    api.refused("GetHostNetworkInterfaceLldp", interfaceUuid=eth0["uuid"])
    api.ok("ChangeHostNetworkInterfaceLldpMode", interfaceUuids=[eth0["uuid"]], mode="rx_and_tx")
    assert api.ok("GetHostNetworkInterfaceLldp", interfaceUuid=eth0["uuid"])["lldp"]["portDescription"] == "eth0"
    other_eth0 = api.one("QueryHostNetworkInterface", f"hostUuid={other['uuid']}", "interfaceName=eth0")
    api.refused("ChangeHostNetworkInterfaceLldpMode", interfaceUuids=[eth0["uuid"], other_eth0["uuid"]],
                mode="disable")
    reach = api.ok("CheckNetworkReachable", targetHostnames=[host["managementIp"], "203.0.113.9"])["results"]
    assert [r["reachable"] for r in reach] == [True, False]
    memory = api.ok("GetHostPhysicalMemoryFacts", hostUuid=host["uuid"])["inventories"]
    assert len(memory) * (16 << 10) == host["totalMemoryCapacity"] >> 20
    for bond in made:
        api.ok("DeleteBonding", uuid=bond["uuid"])
    freed = api.one("QueryHostNetworkInterface", f"uuid={eth1['uuid']}")
    assert freed.get("bondingUuid") is None and freed["interfaceType"] == "nomaster"
    assert api.ok("GetCandidateNetworkInterfaces", hostUuids=[host["uuid"]])["slaveNames"] == []


def test_images_and_l3_networks_that_reach_each_other(api):
    zone = api.one("QueryZone", "name=zone-1")
    l3 = api.one("QueryL3Network", "name=private-1")
    image = api.one("QueryImage", "name=centos-7.9")
    images = api.ok("GetInterdependentL3NetworksImages", zoneUuid=zone["uuid"], l3NetworkUuids=[l3["uuid"]])
    assert image["uuid"] in {i["uuid"] for i in images["inventories"]}
    l3s = api.ok("GetInterdependentL3NetworksImages", zoneUuid=zone["uuid"], imageUuid=image["uuid"])["inventories"]
    assert l3["uuid"] in {n["uuid"] for n in l3s} and all(n["zoneUuid"] == zone["uuid"] for n in l3s)
    bs = api.ok("GetInterdependentL3NetworksBackupStorages", zoneUuid=zone["uuid"], l3NetworkUuids=[l3["uuid"]])
    assert [b["uuid"] for b in bs["inventories"]] == [b["uuid"] for b in api.query("QueryBackupStorage")]
    store = bs["inventories"][0]
    hashed = api.ok("CalculateImageHash", uuid=image["uuid"], backupStorageUuid=store["uuid"])["inventory"]
    assert len(hashed["md5Sum"]) == 32 and api.one("QueryImage", f"uuid={image['uuid']}")["md5Sum"] == hashed["md5Sum"]
    infos = api.ok("GetImagesFromImageStoreBackupStorage", uuid=store["uuid"])["infos"]
    assert image["uuid"] in {i["imageUuid"] for i in infos}


def test_metrics_are_stored_points_and_a_model_of_the_running_world(api):
    api.ok("PutMetricData", namespace="MyApp/Orders",
           data=[{"metricName": "Latency", "value": 12.5, "labels": {"Shop": "a"}},
                 {"metricName": "Latency", "value": 30, "labels": {"Shop": "b"}}])
    points = api.ok("GetMetricData", namespace="MyApp/Orders", metricName="Latency", labels=["Shop=a"])["data"]
    assert [(p["value"], p["labels"]) for p in points] == [(12.5, {"Shop": "a"})]
    high = api.ok("GetMetricData", namespace="MyApp/Orders", metricName="Latency", valueConditions=["Value>20"])
    assert [p["labels"]["Shop"] for p in high["data"]] == ["b"]
    meta = api.ok("GetAllMetricMetadata", namespace="MyApp/Orders")["metrics"]
    assert meta == [{"namespace": "MyApp/Orders", "name": "Latency", "description": "", "labelNames": ["Shop"]}]
    labels = api.ok("GetMetricLabelValue", namespace="MyApp/Orders", metricName="Latency", labelNames=["Shop"])
    assert sorted(v["Shop"] for v in labels["labels"]) == ["a", "b"]
    api.ok("DeleteMetricData", namespace="MyApp/Orders", metricName="Latency", labels=["Shop=a"])
    left = api.ok("GetMetricData", namespace="MyApp/Orders", metricName="Latency")["data"]
    assert [p["labels"]["Shop"] for p in left] == ["b"]
    api.refused("PutMetricData", namespace="ZStack/VM", data=[{"metricName": "CPUUsedUtilization", "value": 1}])
    vm = new_vm(api, "metric-vm")
    series = api.ok("GetMetricData", namespace="ZStack/VM", metricName="CPUUsedUtilization",
                    labels=[f"VMUuid={vm['uuid']}"], offsetAheadOfCurrentTime=600, period=60)["data"]
    assert 10 <= len(series) <= 11 and all(0 < p["value"] <= 100 for p in series)
    assert len({p["value"] for p in series}) > 1  # CPU moves with the time of day
    host = api.one("QueryVmInstance", f"uuid={vm['uuid']}")["hostUuid"]
    at = series[-1]["time"]

    def host_memory():
        return api.ok("GetMetricData", namespace="ZStack/Host", metricName="MemoryUsedBytes", startTime=at,
                      endTime=at, labels=[f"HostUuid={host}"])["data"][0]["value"]

    with_vm = host_memory()
    api.ok("StopVmInstance", uuid=vm["uuid"])
    assert with_vm - host_memory() == pytest.approx(vm["memorySize"])
    assert api.ok("GetMetricData", namespace="ZStack/VM", metricName="CPUUsedUtilization",
                  labels=[f"VMUuid={vm['uuid']}"])["data"] == []
    prom = api.ok("PrometheusQueryVmMonitoringData", vmUuids=[vm["uuid"]], expression="CPUUsedUtilization")
    assert prom["inventories"][vm["uuid"]] == []
    api.ok("DestroyVmInstance", uuid=vm["uuid"])


def test_alarm_and_event_histories_acks_labels_and_states(api):
    alarm = api.one("QueryAlarm", "name=host-cpu-high")
    history = api.ok("GetAlarmData", count=True, conditions=[f"alarmUuid={alarm['uuid']}"])
    assert history["total"] == 3 and {h["alarmUuid"] for h in history["histories"]} == {alarm["uuid"]}
    record = history["histories"][0]
    api.ok("UpdateAlarmData", updateMode="OnlyOne", dataUuid=record["dataUuid"], readStatus="Read")
    read = api.ok("GetAlarmData", conditions=["readStatus=Read"])["histories"]
    assert [r["dataUuid"] for r in read] == [record["dataUuid"]]
    ack = api.ok("AckAlarmData", alarmUuid=alarm["uuid"], alertDataUuid=record["dataUuid"], dataType="alarm",
                 ackPeriodSec=3600)["inventory"]
    assert ack["ackPeriod"] == 3600 and ack["resourceUuid"] == record["resourceUuid"]
    api.refused("AckAlarmData", alarmUuid=alarm["uuid"], alertDataUuid=record["dataUuid"], dataType="alarm",
                ackPeriodSec=60)
    api.ok("UpdateAlertDataAck", alertDataUuid=record["dataUuid"], resumeAlert=True)
    assert api.one("QueryAlertDataAck", f"alertDataUuid={record['dataUuid']}")["resumeAlert"] is True
    label = api.ok("AddLabelToAlarm", alarmUuid=alarm["uuid"], key="HostUuid", value=".*", operator="Regex")
    label = label["inventory"]
    assert [lb["uuid"] for lb in api.one("QueryAlarm", f"uuid={alarm['uuid']}")["labels"]] == [label["uuid"]]
    api.ok("RemoveLabelFromAlarm", uuid=label["uuid"])
    assert api.one("QueryAlarm", f"uuid={alarm['uuid']}").get("labels", []) == []
    api.ok("ChangeActiveAlarmState", namespace="ZStack/Host", stateEvent="disable")
    assert api.one("QueryAlarm", f"uuid={alarm['uuid']}")["state"] == "Disabled"
    statuses = {s["namespace"]: s["state"] for s in api.ok("GetActiveAlarmStatus",
                                                           accountUuid=api.one("QueryAccount", "name=admin")["uuid"])
                ["statuses"]}
    assert statuses == {"ZStack/Host": "Disabled", "ZStack/VM": "Enabled"}
    api.ok("ChangeActiveAlarmState", namespace="ZStack/Host", stateEvent="enable")
    sub = api.one("QueryEventSubscription", "name=vm-state-changed")
    events = api.ok("GetEventData", conditions=[f"subscriptionUuid={sub['uuid']}"], count=True)
    assert events["total"] == 2
    api.ok("AckEventData", eventSubscriptionUuid=sub["uuid"], alertDataUuid=events["events"][0]["dataUuid"],
           dataType="event", ackPeriodSec=60)
    start = min(r["createTime"] for r in api.ok("GetAlarmData")["histories"])
    bars = api.ok("GetZWatchAlertHistogram", tableName="AlarmRecordsVO", startTime=start, endTime=start + 6 * 3_600_000,
                  intervalHours=3, groupColumns=["alarmName"])["histograms"]
    assert sum(b["count"] for b in bars) == 6 and {b["alarmName"] for b in bars} == {"host-cpu-high", "vm-memory-high"}


def test_sns_subscribers_addresses_persons_and_validations(api):
    endpoint = api.one("QuerySNSEmailEndpoint", "name=ops-mail")
    topic = api.ok("CreateSNSTopic", name="devices-topic")["inventory"]
    api.ok("SubscribeSNSTopic", topicUuid=topic["uuid"], endpointUuid=endpoint["uuid"])
    assert api.query("QuerySNSTopicSubscriber", f"topicUuid={topic['uuid']}", f"endpointUuid={endpoint['uuid']}")
    api.refused("SubscribeSNSTopic", topicUuid=topic["uuid"], endpointUuid=endpoint["uuid"])
    api.ok("UnsubscribeSNSTopic", topicUuid=topic["uuid"], endpointUuid=endpoint["uuid"])
    assert api.query("QuerySNSTopicSubscriber", f"topicUuid={topic['uuid']}") == []
    address = api.one("QuerySNSEmailAddress", f"endpointUuid={endpoint['uuid']}")
    api.refused("UpdateEmailAddressOfSNSEmailEndpoint", emailAddressUuid=address["uuid"],
                endpointUuid=endpoint["uuid"], emailAddress="not-an-address")
    api.ok("UpdateEmailAddressOfSNSEmailEndpoint", emailAddressUuid=address["uuid"], endpointUuid=endpoint["uuid"],
           emailAddress="noc@example.com")
    assert api.one("QuerySNSEmailAddress", f"uuid={address['uuid']}")["emailAddress"] == "noc@example.com"
    api.ok("DeleteEmailAddressOfSNSEmailEndpoint", emailAddressUuid=address["uuid"], endpointUuid=endpoint["uuid"])
    assert api.query("QuerySNSEmailAddress", f"endpointUuid={endpoint['uuid']}") == []
    ding = api.one("QuerySNSDingTalkEndpoint", "name=ops-dingtalk")
    api.ok("RemoveSNSDingTalkAtPerson", endpointUuid=ding["uuid"], phoneNumber="13800000001")
    assert api.query("QuerySNSDingTalkAtPerson", f"endpointUuid={ding['uuid']}") == []
    assert api.one("QuerySNSDingTalkEndpoint", f"uuid={ding['uuid']}").get("atPersonPhoneNumbers", []) == []
    api.refused("RemoveSNSDingTalkAtPerson", endpointUuid=ding["uuid"], phoneNumber="13800000001")
    platform = api.one("QuerySNSEmailPlatform", "name=smtp")
    api.ok("ValidateSNSEmailPlatform", uuid=platform["uuid"])
    api.refused("ValidateSNSEmailPlatform", uuid=platform["uuid"], smtpPort=70000)
    api.refused("ValidateSNSEmailPlatform", uuid="0" * 32)
    api.ok("DeleteSNSTopic", uuid=topic["uuid"])


def test_monitor_templates_and_trigger_actions(api):
    template = api.one("QueryMonitorTemplate", "name=vm-basics")
    group = api.one("QueryMonitorGroup", "name=web-vms")
    api.ok("ApplyMonitorTemplateToMonitorGroup", templateUuid=template["uuid"], groupUuid=group["uuid"])
    assert api.one("QueryMonitorGroupTemplateRef", f"groupUuid={group['uuid']}")["isApplied"] is True
    made = api.one("QueryAlarm", "name=web-vms-vm-cpu-high")
    assert (made["metricName"], made["threshold"]) == ("CPUUsedUtilization", 85.0)
    api.refused("ApplyMonitorTemplateToMonitorGroup", templateUuid=template["uuid"], groupUuid=group["uuid"])
    api.ok("RevokeMonitorTemplateFromMonitorGroup", templateUuid=template["uuid"], groupUuid=group["uuid"])
    assert api.query("QueryAlarm", "name=web-vms-vm-cpu-high") == []
    trigger = api.one("QueryMonitorTrigger", "name=host-1-down")
    action = api.one("QueryMonitorTriggerAction", "name=mail-ops")
    api.ok("AttachMonitorTriggerActionToTrigger", triggerUuid=trigger["uuid"], actionUuid=action["uuid"])
    assert api.one("QueryMonitorTriggerAction", f"uuid={action['uuid']}")["triggerUuids"] == [trigger["uuid"]]
    api.refused("AttachMonitorTriggerActionToTrigger", triggerUuid=trigger["uuid"], actionUuid=action["uuid"])
    api.ok("DetachMonitorTriggerActionFromTrigger", triggerUuid=trigger["uuid"], actionUuid=action["uuid"])
    assert api.one("QueryMonitorTriggerAction", f"uuid={action['uuid']}").get("triggerUuids", []) == []


def test_audit_keeps_the_calls_served_without_secrets(api):
    vm = new_vm(api, "audited-vm")
    api.ok("DestroyVmInstance", uuid=vm["uuid"])
    created = api.ok("GetAuditData", conditions=["apiName=CreateVmInstance", f"resourceUuid={vm['uuid']}"])["audits"]
    assert len(created) == 1 and created[0]["success"] is True
    assert json.loads(created[0]["requestDump"])["name"] == "audited-vm"
    destroyed = api.ok("GetAuditData", conditions=["apiName=DestroyVmInstance", f"resourceUuid={vm['uuid']}"])
    assert len(destroyed["audits"]) == 1
    api.refused("StartVmInstance", uuid="0" * 32)
    failed = api.ok("GetAuditData", conditions=["apiName=StartVmInstance", "success=false"])["audits"]
    assert failed and failed[0]["error"]
    admin = api.one("QueryAccount", "name=admin")
    key = api.ok("CreateAccessKey", accountUuid=admin["uuid"], userUuid=admin["uuid"])["inventory"]
    secret = key.get("AccessKeySecret") or key.get("accessKeySecret")
    made = api.ok("GetAuditData", conditions=["apiName=CreateAccessKey"])["audits"]
    assert made and secret and all(secret not in (a["responseDump"] or "") + a["requestDump"] for a in made)
    logins = api.ok("GetAuditData", auditType="Login")["audits"]
    assert logins and all(a["apiName"].startswith(("LogIn", "Login", "LogOut", "RenewSession")) for a in logins)
    assert all("******" in a["requestDump"] or "password" not in a["requestDump"] for a in logins)
    assert all(len(a["requestDump"]) < 1000 and "b109f3bbbc244eb82441917ed06d618b9008dd09" not in a["requestDump"]
               for a in logins)


def test_tasks_are_the_api_jobs_running_on_the_resource():
    from tests.conftest import RunningSim, login
    from tests.integration.simapi import Api
    from zcli.sim.clock import ManualClock
    from zcli.sim.server import start_in_thread

    clock = ManualClock()
    handle = start_in_thread(port=0, clock=clock, job_delay=30)
    try:
        running = RunningSim(handle.host, handle.port, handle=handle)
        running.session = login(running.api)
        api = Api(running)
        vm = api.query("QueryVmInstance", "state=Running")[0]
        r = api.http.put(api.base + f"/vm-instances/{vm['uuid']}/actions", json={"stopVmInstance": {}}, timeout=10)
        assert r.status_code == 202
        tasks = api.ok("GetVmTask", vmInstanceUuids=[vm["uuid"]])["results"][vm["uuid"]]
        assert [t["apiName"] for t in tasks["runningTask"]] == ["StopVmInstance"]
        host = api.ok("GetHostTask", hostUuids=[vm["hostUuid"]])["results"][vm["hostUuid"]]
        assert host["runningTask"] == []
        clock.advance(31)
        location = r.json()["location"]
        for _ in range(400):
            done = api.http.get(location, timeout=10)
            if done.status_code != 202:
                break
            clock.advance(1)
        assert done.status_code == 200
        assert api.ok("GetVmTask", vmInstanceUuids=[vm["uuid"]])["results"][vm["uuid"]]["runningTask"] == []
        assert api.one("QueryVmInstance", f"uuid={vm['uuid']}")["state"] == "Stopped"
    finally:
        handle.stop() if hasattr(handle, "stop") else None


def test_drs_support_and_the_hosts_over_its_thresholds(api):
    local = api.one("QueryCluster", "name=cluster-1")
    verdict = api.ok("ValidateClusterSupportDRS", clusterUuid=local["uuid"])
    assert verdict["supported"] is False and "local primary storage" in verdict["reason"]["details"]
    ceph = api.one("QueryCluster", "name=计算集群-3")
    assert api.ok("ValidateClusterSupportDRS", clusterUuid=ceph["uuid"]) == {"supported": True}
    drs = api.ok("CreateClusterDRS", name="drs-3", clusterUuid=ceph["uuid"], automationLevel="Manual",
                 thresholds=["CPU:0", "Memory:100"], thresholdDuration=300)["inventory"]
    over = api.ok("GetClusterDRSStatus", drsUuid=drs["uuid"])["hostLoadOverThreshold"]
    hosts = {h["uuid"] for h in api.query("QueryHost", f"clusterUuid={ceph['uuid']}", "status=Connected")}
    assert {o["hostUuid"] for o in over} == hosts and all(o["overThreshold"] == ["CPU"] for o in over)
    api.ok("DeleteClusterDRS", uuid=drs["uuid"])
    api.refused("GetClusterDRSStatus", drsUuid=drs["uuid"])


def test_world_checks_snapshot_chains_offering_configs_and_catalogue_reads(api):
    snap = api.query("QueryVolumeSnapshot")[0]
    api.ok("ValidateVolumeSnapshotChain", uuid=snap["volumeUuid"])
    ps = api.one("QueryPrimaryStorage", "type=Ceph")
    good = json.dumps({"allocate": {"primaryStorage": {"type": "Ceph", "uuid": ps["uuid"]}}})
    api.ok("ValidateDiskOfferingUserConfig", config=good)
    wrong = json.dumps({"allocate": {"primaryStorage": {"type": "LocalStorage", "uuid": ps["uuid"]}}})
    assert "is of type Ceph" in api.refused("ValidateDiskOfferingUserConfig", config=wrong)["details"]
    api.refused("ValidateInstanceOfferingUserConfig", config="{not json")
    api.refused("ValidateInstanceOfferingUserConfig", config=json.dumps({"allocate": {"clusterUuid": "0" * 32}}))
    types = api.ok("GetNetworkServiceTypes")["serviceAndProviderTypes"]
    flat = api.one("QueryNetworkServiceProvider", "type=Flat")
    assert "DHCP" in types and flat["uuid"] in types["DHCP"] and flat["uuid"] not in types.get("SNAT", [])
    kinds = api.ok("GetSupportedCloudFormationResources")["resources"]
    assert "ZStack::Resource::VmInstance" in kinds and "ZStack::Resource::L3Network" in kinds


def test_listener_acl_entries_follow_the_acls_added(api):
    listener = api.query("QueryLoadBalancerListener")[0]
    before = api.ok("GetLoadBalancerListenerACLEntries", listenerUuids=[listener["uuid"]])["inventories"]
    acl = api.ok("CreateAccessControlList", name="devices-acl")["inventory"]
    api.ok("AddAccessControlListEntry", aclUuid=acl["uuid"], entries="192.168.0.0/24")
    api.ok("AddAccessControlListToLoadBalancer", aclUuids=[acl["uuid"]], aclType="white",
           listenerUuid=listener["uuid"])
    after = api.ok("GetLoadBalancerListenerACLEntries", listenerUuids=[listener["uuid"]])["inventories"]
    added = [e for e in after[listener["uuid"]] if e["aclUuid"] == acl["uuid"]]
    assert len(after[listener["uuid"]]) == len(before[listener["uuid"]]) + 1 and len(added) == 1
    api.ok("RemoveAccessControlListFromLoadBalancer", aclUuids=[acl["uuid"]], listenerUuid=listener["uuid"])
    assert api.ok("GetLoadBalancerListenerACLEntries", listenerUuids=[listener["uuid"]])["inventories"] == before
    api.ok("DeleteAccessControlList", uuid=acl["uuid"])


def test_scheduling_rule_validation_follows_where_the_vms_run(api):
    zone = api.one("QueryZone", "name=zone-1")
    group = api.ok("CreateVmSchedulingRuleGroup", name="web-group", zoneUuid=zone["uuid"])["inventory"]
    vms = [new_vm(api, f"sched-{i}") for i in range(2)]
    for vm in vms:
        api.ok("AddVmToVmSchedulingRuleGroup", vmGroupUuid=group["uuid"], vmUuid=vm["uuid"])
    hosts = {api.one("QueryVmInstance", f"uuid={vm['uuid']}")["hostUuid"] for vm in vms}
    apart, together = ("ANTIAFFINITY", "AFFINITY") if len(hosts) == 2 else ("AFFINITY", "ANTIAFFINITY")
    api.ok("ValidateVmSchedulingRule", vmGroupUuid=group["uuid"], rule=apart, mode="HARD")
    assert "is broken" in api.refused("ValidateVmSchedulingRule", vmGroupUuid=group["uuid"], rule=together,
                                      mode="HARD")["details"]
    api.ok("ValidateVmSchedulingRule", vmGroupUuid=group["uuid"], rule=together, mode="SOFT")
    api.ok("StopVmInstance", uuid=vms[0]["uuid"])
    api.ok("ValidateVmSchedulingRule", vmGroupUuid=group["uuid"], rule=together, mode="HARD")
    for vm in vms:
        api.ok("DestroyVmInstance", uuid=vm["uuid"])
    api.ok("DeleteVmSchedulingRuleGroup", uuid=group["uuid"])


def test_cdp_recovery_points_follow_the_policy_on_the_clock(api):
    vm = new_vm(api, "cdp-vm")
    api.refused("GetVmInstanceRecoveryPoints", uuid=vm["uuid"])
    bs = api.query("QueryBackupStorage")[0]
    policy = api.ok("CreateCdpPolicy", name="every-minute", recoveryPointPerSecond=60)["inventory"]
    task = api.ok("CreateCdpTask", name="cdp-1", taskType="VM", policyUuid=policy["uuid"],
                  backupStorageUuid=bs["uuid"], resourceUuids=[vm["uuid"]])["inventory"]
    api.refused("CreateCdpTask", name="cdp-2", taskType="VM", policyUuid=policy["uuid"],
                backupStorageUuid=bs["uuid"], resourceUuids=[vm["uuid"]])
    points = api.ok("GetVmInstanceRecoveryPoints", uuid=vm["uuid"], scale="day")["recoveryPoints"]
    assert sum(points.values()) >= 1
    first = int(next(iter(points)))
    need = api.ok("GetCdpBackupStorageRequirement", backupStorageUuid=bs["uuid"])
    sizes = sum(v["size"] for v in api.query("QueryVolume", f"vmInstanceUuid={vm['uuid']}"))
    assert need["required"]["capacity"] >= sizes and need["nextStep"] in ("None", "ExpandCapacity")
    born = int(datetime.strptime(task["createDate"], "%b %d, %Y %I:%M:%S %p").timestamp())
    at = api.ok("DescribeVmInstanceRecoveryPoint", vmInstanceUuid=vm["uuid"], groupId=born)
    assert sum(at["virtualSizes"].values()) == sizes and set(at["realSizes"]) == set(at["virtualSizes"])
    assert first <= born
    api.refused("DescribeVmInstanceRecoveryPoint", vmInstanceUuid=vm["uuid"], groupId=born + 1)
    api.ok("DeleteCdpTask", uuid=task["uuid"])
    api.ok("DestroyVmInstance", uuid=vm["uuid"])


# --- what agents report (LUNs, drives, routers): rows the API cannot make, written as discovery would --------



def test_a_lun_seen_by_some_hosts_of_a_cluster(reported):
    api, writer = reported
    cluster = api.one("QueryCluster", "name=cluster-1")
    hosts = api.query("QueryHost", f"clusterUuid={cluster['uuid']}")
    lun = put(writer, "ScsiLunInventory", name="lun-a", wwid="wwid-a", type="disk", size=1 << 40, state="Enabled")
    put(writer, "ScsiLunHostRefInventory", scsiLunUuid=lun["uuid"], hostUuid=hosts[0]["uuid"], path="/dev/sdb")
    status = api.ok("CheckScsiLunClusterStatus", uuid=lun["uuid"], clusterUuid=cluster["uuid"])["inventory"]
    assert status["attachedHosts"] == [hosts[0]["uuid"]] and status["isAllHostsAttached"] is False
    assert set(status["unattachedHosts"]) == {h["uuid"] for h in hosts[1:]}
    assert api.ok("GetSharedBlockCandidate", clusterUuid=cluster["uuid"])["results"] == []
    for h in hosts[1:]:
        put(writer, "ScsiLunHostRefInventory", scsiLunUuid=lun["uuid"], hostUuid=h["uuid"], path="/dev/sdb")
    assert api.ok("CheckScsiLunClusterStatus", uuid=lun["uuid"], clusterUuid=cluster["uuid"])["inventory"][
        "isAllHostsAttached"] is True
    found = api.ok("GetSharedBlockCandidate", clusterUuid=cluster["uuid"])["results"]
    assert [f["scsiLunUuid"] for f in found] == [lun["uuid"]]


def test_a_raid_drive_reports_smart_from_its_state(reported):
    api, writer = reported
    good = put(writer, "RaidPhysicalDriveInventory", name="pd-0", serialNumber="S1", driveState="Online", size=1 << 40)
    bad = put(writer, "RaidPhysicalDriveInventory", name="pd-1", serialNumber="S2", driveState="Failed", size=1 << 40)
    ok = {a["attributeName"]: a for a in api.ok("GetLocalRaidPhysicalDriveSmart", uuid=good["uuid"])["result"]}
    failing = {a["attributeName"]: a for a in api.ok("GetLocalRaidPhysicalDriveSmart", uuid=bad["uuid"])["result"]}
    assert ok["Reallocated_Sector_Ct"]["rawValue"] == "0" and ok["Reallocated_Sector_Ct"]["state"] == "ok"
    bad_sectors = failing["Reallocated_Sector_Ct"]
    assert bad_sectors["rawValue"] != "0" and bad_sectors["state"] == "warning"
    api.refused("GetLocalRaidPhysicalDriveSmart", uuid="0" * 32)


def test_provision_network_capacity_is_its_dhcp_range(reported):
    api, _ = reported
    zone = api.one("QueryZone", "name=zone-1")
    net = api.ok("CreateBareMetal2ProvisionNetwork", name="pxe", zoneUuid=zone["uuid"], dhcpInterface="eth1",
                 dhcpRangeStartIp="10.9.0.10", dhcpRangeEndIp="10.9.0.59", dhcpRangeNetmask="255.255.255.0")
    net = net["inventory"]
    data = api.ok("GetBareMetal2ProvisionNetworkIpAddressCapacity", networkUuids=[net["uuid"]])["capacityData"]
    assert data == [{"networkUuid": net["uuid"], "totalCapacity": 50, "availableCapacity": 50,
                     "usedIpAddressNumber": 0}]


def test_ipsec_candidates_are_the_routers_private_networks(reported):
    api, writer = reported
    pub = api.one("QueryL3Network", "name=pub")
    private = api.one("QueryL3Network", "name=private-1")
    vip = api.query("QueryVip", f"l3NetworkUuid={pub['uuid']}")[0]
    api.refused("GetCandidateL3NetworksForIpSecConnection", vipUuid=vip["uuid"])
    router = put(writer, "VpcRouterVmInventory", name="vpc-r", zoneUuid=pub["zoneUuid"], state="Running",
                  publicNetworkUuid=pub["uuid"], applianceVmType="vpcvrouter", type="ApplianceVm")
    for i, l3 in enumerate((pub, private)):
        put(writer, "VmNicInventory", vmInstanceUuid=router["uuid"], l3NetworkUuid=l3["uuid"], deviceId=i,
             ip=vip["ip"] if i == 0 else "10.2.0.1", mac=f"fa:16:3e:00:00:0{i}")
    found = api.ok("GetCandidateL3NetworksForIpSecConnection", vipUuid=vip["uuid"])["inventories"]
    assert [n["uuid"] for n in found] == [private["uuid"]]


def test_event_metadata_lists_the_systems_events_and_those_subscribed(api):
    vm_events = api.ok("GetAllEventMetadata", namespace="ZStack/VM")["events"]
    assert {"namespace": "ZStack/VM", "name": "VMStateChangedOnHost",
            "labelNames": ["VMUuid", "OldState", "NewState", "HostUuid"]} in vm_events
    assert all(e["namespace"] == "ZStack/VM" for e in vm_events)
    names = {e["name"] for e in api.ok("GetAllEventMetadata")["events"]}
    subscribed = {s["eventName"] for s in api.query("QueryEventSubscription")}
    assert subscribed <= names and "HostStatusChanged" in names
    assert api.ok("GetAllEventMetadata", name="NoSuchEvent")["events"] == []


def test_ospf_neighbours_and_flow_counters_of_routers(reported):
    api, writer = reported
    l3 = api.one("QueryL3Network", "name=管理网络")
    routers = [put(writer, "VirtualRouterVmInventory", name=f"vr-{i}", zoneUuid=l3["zoneUuid"], state="Running",
                    applianceVmType="vrouter", type="ApplianceVm") for i in range(2)]
    for i, r in enumerate(routers):
        put(writer, "VmNicInventory", vmInstanceUuid=r["uuid"], l3NetworkUuid=l3["uuid"], deviceId=0,
             ip=f"10.4.0.{i + 2}", mac=f"fa:16:3e:00:01:0{i}")
    area = put(writer, "RouterAreaInventory", areaId="0.0.0.1", type="Standard")
    api.refused("GetVRouterOspfNeighbor", vRouterUuid="0" * 32)
    assert api.ok("GetVRouterOspfNeighbor", vRouterUuid=routers[0]["uuid"])["neighbors"] == []
    for r in routers:
        put(writer, "NetworkRouterAreaRefInventory", vRouterUuid=r["uuid"], routerAreaUuid=area["uuid"],
             l3NetworkUuid=l3["uuid"], applianceVmType="vrouter")
    found = api.ok("GetVRouterOspfNeighbor", vRouterUuid=routers[0]["uuid"])["neighbors"]
    assert [(n["vRouterUuid"], n["address"], n["state"], n["areaId"]) for n in found] == [
        (routers[1]["uuid"], "10.4.0.3", "Full", "0.0.0.1")]
    meter = put(writer, "FlowMeterInventory", name="netflow", type="NetFlow", version="V5", sample=1)
    put(writer, "NetworkRouterFlowMeterRefInventory", vRouterUuid=routers[0]["uuid"], flowMeterUuid=meter["uuid"],
         l3NetworkUuid=l3["uuid"])
    counters = api.ok("GetVRouterFlowCounter", vRouterUuid=routers[0]["uuid"])["counters"]
    assert [c["flowMeterUuid"] for c in counters] == [meter["uuid"]] and counters[0]["bytes"] >= 0
    assert api.ok("GetVRouterFlowCounter", vRouterUuid=routers[1]["uuid"])["counters"] == []
