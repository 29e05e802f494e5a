"""The demo world's monitoring: a few alarms and event subscriptions with their histories, active alarms, SNS
topics and endpoints, a monitor template and group, a trigger and its action.

Pure rows (uuids from the hosts' and VMs' uuids, no draw on the world's random numbers, so the rest of the world
is unchanged), added by :func:`add_to_world` at seed time. The APIs that change them are in :mod:`zcli.sim.alarms`
and :mod:`zcli.sim.sns`.
"""

from __future__ import annotations

import uuid as uuidlib
from datetime import datetime

ADMIN = "36c27e8ff05c4780bf6d2fa65700f22e"


def _id(*parts) -> str:
    return uuidlib.uuid5(uuidlib.NAMESPACE_OID, "monitoring/" + "/".join(map(str, parts))).hex


def _millis(stamp: str) -> int:
    return int(datetime.strptime(stamp, "%Y-%m-%d %H:%M:%S").timestamp() * 1000)


def add_to_world(w) -> None:
    hosts = w.rows.get("HostInventory", [])
    vms = w.rows.get("VmInstanceInventory", [])
    when = w.rows["ZoneInventory"][0]["createDate"]
    base = _millis(when)
    dates = {"createDate": when, "lastOpDate": when}
    add = w.rows.setdefault
    alarms = [
        {"uuid": _id("alarm", "host-cpu"), "name": "host-cpu-high", "description": "host CPU above 80% for 5 min",
         "comparisonOperator": "GreaterThan", "period": 300, "namespace": "ZStack/Host",
         "metricName": "CPUUsedUtilization", "threshold": 80.0, "repeatInterval": 1800, "repeatCount": -1,
         "status": "OK", "state": "Enabled", "enableRecovery": True, "emergencyLevel": "Important", "labels": [],
         "actions": [], **dates},
        {"uuid": _id("alarm", "vm-memory"), "name": "vm-memory-high", "description": "VM memory above 90%",
         "comparisonOperator": "GreaterThanOrEqualTo", "period": 60, "namespace": "ZStack/VM",
         "metricName": "MemoryUsedInPercent", "threshold": 90.0, "repeatInterval": 600, "repeatCount": 3,
         "status": "Alarm", "state": "Enabled", "enableRecovery": False, "emergencyLevel": "Emergent",
         "labels": [], "actions": [], **dates},
    ]
    add("AlarmInventory", []).extend(alarms)
    subs = [{"uuid": _id("event", "vm-state"), "name": "vm-state-changed", "namespace": "ZStack/VM",
             "eventName": "VMStateChangedOnHost", "state": "Enabled", "emergencyLevel": "Normal", "labels": [],
             "actions": [], **dates},
            {"uuid": _id("event", "host-disconnected"), "name": "host-disconnected", "namespace": "ZStack/Host",
             "eventName": "HostStatusChanged", "state": "Enabled", "emergencyLevel": "Important", "labels": [],
             "actions": [], **dates}]
    add("EventSubscriptionInventory", []).extend(subs)
    for i, alarm in enumerate(alarms):
        add("ActiveAlarmInventory", []).append({"uuid": _id("active", i), "alarmUuid": alarm["uuid"],
                                                "namespace": alarm["namespace"], "createDate": when})
    records = add("AlarmRecordsInventory", [])
    for i in range(6):
        alarm = alarms[i % 2]
        res = (hosts if alarm["namespace"] == "ZStack/Host" else vms)[i % 3]
        records.append({"id": len(records) + 1, "createTime": base + i * 3_600_000, "accountUuid": ADMIN,
                        "alarmName": alarm["name"], "alarmStatus": "Alarm" if i % 3 else "OK",
                        "alarmUuid": alarm["uuid"], "comparisonOperator": alarm["comparisonOperator"],
                        "context": None, "dataUuid": _id("alarm-data", i), "emergencyLevel": alarm["emergencyLevel"],
                        "labels": "[]", "metricName": alarm["metricName"], "metricValue": 91.5 + i,
                        "namespace": alarm["namespace"], "period": alarm["period"], "readStatus": "Unread",
                        "resourceUuid": res["uuid"], "threshold": alarm["threshold"]})
    events = add("EventRecordsInventory", [])
    for i in range(4):
        sub = subs[i % 2]
        res = (vms if sub["namespace"] == "ZStack/VM" else hosts)[i % 3]
        events.append({"id": len(events) + 1, "createTime": base + i * 5_400_000, "namespace": sub["namespace"],
                       "name": sub["eventName"], "emergencyLevel": sub["emergencyLevel"], "resourceId": res["uuid"],
                       "error": None, "dataUuid": _id("event-data", i), "accountUuid": ADMIN,
                       "subscriptionUuid": sub["uuid"], "readStatus": "Unread", "labels": "[]"})
    # SNS: a topic, an email endpoint with an address, a DingTalk endpoint with a person to @
    topic = {"uuid": _id("topic"), "name": "ops-alerts", "description": "alerts of the operators", "state": "Enabled",
             "locale": "en_US", **dates}
    add("SNSTopicInventory", []).append(topic)
    platform = {"uuid": _id("platform"), "name": "smtp", "state": "Enabled", "type": "Email",
                "smtpServer": "smtp.example.com", "smtpPort": 25, "username": "alert@example.com", **dates}
    add("SNSApplicationPlatformInventory", []).append({k: v for k, v in platform.items()
                                                       if k not in ("smtpServer", "smtpPort", "username")})
    add("SNSEmailPlatformInventory", []).append(platform)
    email = {"uuid": _id("endpoint", "email"), "name": "ops-mail", "type": "Email", "state": "Enabled",
             "platformUuid": platform["uuid"], "connectionStatus": "Connected", "email": "ops@example.com", **dates}
    ding = {"uuid": _id("endpoint", "dingtalk"), "name": "ops-dingtalk", "type": "DingTalk", "state": "Enabled",
            "connectionStatus": "Connected", "url": "https://oapi.dingtalk.com/robot/send?access_token=demo",
            "atAll": False, "atPersonPhoneNumbers": ["13800000001"], **dates}
    for endpoint, child in ((email, "SNSEmailEndpointInventory"), (ding, "SNSDingTalkEndpointInventory")):
        add("SNSApplicationEndpointInventory", []).append({k: v for k, v in endpoint.items()
                                                           if k not in ("email", "url", "atAll",
                                                                        "atPersonPhoneNumbers")})
        add(child, []).append(endpoint)
    add("SNSEmailAddressInventory", []).append({"uuid": _id("email-address"), "emailAddress": "ops@example.com",
                                                "endpointUuid": email["uuid"], **dates})
    add("SNSDingTalkAtPersonInventory", []).append({"uuid": _id("at-person"), "phoneNumber": "13800000001",
                                                    "endpointUuid": ding["uuid"], "remark": "on call", **dates})
    add("SNSSubscriberInventory", []).append({"topicUuid": topic["uuid"], "endpointUuid": email["uuid"], **dates})
    # a monitor template with a metric rule, a monitor group
    template = {"uuid": _id("template"), "name": "vm-basics", "description": "CPU of the group's VMs", **dates}
    add("MonitorTemplateInventory", []).append(template)
    add("MetricRuleTemplateInventory", []).append(
        {"uuid": _id("metric-rule"), "name": "vm-cpu-high", "monitorTemplateUuid": template["uuid"],
         "comparisonOperator": "GreaterThan", "period": 300, "repeatInterval": 1800, "repeatCount": -1,
         "namespace": "ZStack/VM", "metricName": "CPUUsedUtilization", "threshold": 85.0,
         "emergencyLevel": "Important", "labels": "[]", "enableRecovery": True, **dates})
    add("EventRuleTemplateInventory", []).append(
        {"uuid": _id("event-rule"), "name": "vm-state", "monitorTemplateUuid": template["uuid"],
         "namespace": "ZStack/VM", "eventName": "VMStateChangedOnHost", "emergencyLevel": "Normal", "labels": "[]",
         **dates})
    add("MonitorGroupInventory", []).append({"uuid": _id("group"), "name": "web-vms", "state": "Enabled",
                                             "actions": "[]", "description": "the web tier", **dates})
    # the older monitoring: a trigger on a host and an email action
    add("MonitorTriggerInventory", []).append(
        {"uuid": _id("trigger"), "name": "host-1-down", "expression": "host.status{uuid=\"%s\"}==Disconnected"
         % (hosts[0]["uuid"] if hosts else ""), "status": "OK", "state": "Enabled", "duration": 60,
         "targetResourceUuid": hosts[0]["uuid"] if hosts else None, **dates})
    action = {"uuid": _id("trigger-action"), "name": "mail-ops", "state": "Enabled", "type": "Email",
              "triggerUuids": [], "email": "ops@example.com", **dates}
    add("MonitorTriggerActionInventory", []).append({k: v for k, v in action.items() if k != "email"})
    add("EmailTriggerActionInventory", []).append(action)
