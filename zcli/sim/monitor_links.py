"""Links of the monitoring family that no reference inventory holds by itself.

* ApplyMonitorTemplateToMonitorGroup: a ``MonitorGroupTemplateRef`` (applied), and for each metric rule of the
  template an alarm of the group (``Alarm`` + ``MonitorGroupAlarm``), for each event rule a subscription
  (``EventSubscription`` + ``MonitorGroupEventSubscription``); applying it twice is refused.
  RevokeMonitorTemplateFromMonitorGroup removes the ref and what the template made in the group.
* AttachMonitorTriggerActionToTrigger / Detach...: the trigger's uuid in the action's ``triggerUuids``.
* CreateAutoScalingRuleAlarmTrigger: an ``AutoScalingRuleAlarmTrigger`` of the rule, fired by the alarm.
"""

from __future__ import annotations

import uuid as uuidlib
from typing import ClassVar

from zcli.sim.computed import Computed
from zcli.sim.failures import operr

_ALARM_FIELDS = ("comparisonOperator", "period", "repeatInterval", "repeatCount", "namespace", "metricName",
                 "threshold", "emergencyLevel", "enableRecovery")


class MonitorLinks(Computed):
    kind = "monitor-link"
    APIS: ClassVar[dict[str, tuple[str, str]]] = {
        "ApplyMonitorTemplateToMonitorGroup": ("apply", "a template ref of the group and the alarms and "
                                                        "subscriptions of the template's rules"),
        "RevokeMonitorTemplateFromMonitorGroup": ("revoke", "removes the ref and what the template made"),
        "AttachMonitorTriggerActionToTrigger": ("attach_action", "the trigger in the action's triggerUuids"),
        "DetachMonitorTriggerActionFromTrigger": ("detach_action", "the trigger out of the action's triggerUuids"),
        "CreateAutoScalingRuleAlarmTrigger": ("autoscaling_trigger", "a trigger of the rule fired by the alarm"),
    }

    def apply(self, params: dict) -> dict:
        template = self.get("MonitorTemplateInventory", params.get("templateUuid"))
        group = self.get("MonitorGroupInventory", params.get("groupUuid"))
        if self.store.count("MonitorGroupTemplateRefInventory", "templateUuid = ? AND groupUuid = ?",
                            [template["uuid"], group["uuid"]]):
            raise operr(f"the template[uuid:{template['uuid']}] is applied to the group[uuid:{group['uuid']}] already")
        now = self.writer.now()
        dates = {"createDate": now, "lastOpDate": now}
        ref = {"uuid": uuidlib.uuid4().hex, "templateUuid": template["uuid"], "groupUuid": group["uuid"],
               "isApplied": True, **dates}
        self.insert("MonitorGroupTemplateRefInventory", ref)
        for rule in self.rows("MetricRuleTemplateInventory", "monitorTemplateUuid = ?", [template["uuid"]]):
            alarm = {"uuid": uuidlib.uuid4().hex, "name": f"{group['name']}-{rule['name']}", "status": "OK",
                     "state": "Enabled", "labels": [], "actions": [], **{f: rule.get(f) for f in _ALARM_FIELDS},
                     **dates}
            self.insert("AlarmInventory", alarm)
            self.insert("MonitorGroupAlarmInventory", {"uuid": uuidlib.uuid4().hex, "groupUuid": group["uuid"],
                                                       "alarmUuid": alarm["uuid"], "createDate": now,
                                                       "metricRuleTemplateUuid": rule["uuid"]})
        for rule in self.rows("EventRuleTemplateInventory", "monitorTemplateUuid = ?", [template["uuid"]]):
            sub = {"uuid": uuidlib.uuid4().hex, "name": f"{group['name']}-{rule['name']}", "state": "Enabled",
                   "namespace": rule.get("namespace"), "eventName": rule.get("eventName"),
                   "emergencyLevel": rule.get("emergencyLevel"), "labels": [], "actions": [], **dates}
            self.insert("EventSubscriptionInventory", sub)
            self.insert("MonitorGroupEventSubscriptionInventory",
                        {"uuid": uuidlib.uuid4().hex, "groupUuid": group["uuid"], "eventSubscriptionUuid": sub["uuid"],
                         "eventRuleTemplateUuid": rule["uuid"], "createDate": now})
        return {"inventory": self.get("MonitorGroupTemplateRefInventory", ref["uuid"])}

    def revoke(self, params: dict) -> dict:
        template = self.get("MonitorTemplateInventory", params.get("templateUuid"))
        group = self.get("MonitorGroupInventory", params.get("groupUuid"))
        if not self.store.count("MonitorGroupTemplateRefInventory", "templateUuid = ? AND groupUuid = ?",
                                [template["uuid"], group["uuid"]]):
            return {}
        rules = 'SELECT uuid FROM "{}" WHERE monitorTemplateUuid = ?'
        for link, made, key, rule_key, rule_table in (
                ("MonitorGroupAlarmInventory", "AlarmInventory", "alarmUuid", "metricRuleTemplateUuid",
                 "MetricRuleTemplateInventory"),
                ("MonitorGroupEventSubscriptionInventory", "EventSubscriptionInventory", "eventSubscriptionUuid",
                 "eventRuleTemplateUuid", "EventRuleTemplateInventory")):
            where = f"groupUuid = ? AND {rule_key} IN ({rules.format(rule_table)})"
            _, rows = self.store.read(f'SELECT {key} FROM "{link}" WHERE {where}', [group["uuid"], template["uuid"]])
            for (uuid_,) in rows:
                self.delete_where(made, "uuid = ?", [uuid_])
            self.delete_where(link, where, [group["uuid"], template["uuid"]])
        self.delete_where("MonitorGroupTemplateRefInventory", "templateUuid = ? AND groupUuid = ?",
                          [template["uuid"], group["uuid"]])
        return {}

    def _action(self, params: dict) -> tuple[dict, dict, list[str]]:
        trigger = self.get("MonitorTriggerInventory", params.get("triggerUuid"))
        action = self.get("MonitorTriggerActionInventory", params.get("actionUuid"))
        return trigger, action, list(action.get("triggerUuids") or [])

    def _set_triggers(self, action: dict, uuids: list[str]) -> None:
        for table in self.writer.family("MonitorTriggerActionInventory"):
            if self.store.count(table, "uuid = ?", [action["uuid"]]):
                self.writer.update(table, action["uuid"], {"triggerUuids": uuids})

    def attach_action(self, params: dict) -> dict:
        trigger, action, uuids = self._action(params)
        if trigger["uuid"] in uuids:
            raise operr(f"the action[uuid:{action['uuid']}] is attached to the trigger[uuid:{trigger['uuid']}] "
                        "already")
        self._set_triggers(action, [*uuids, trigger["uuid"]])
        return {}

    def detach_action(self, params: dict) -> dict:
        trigger, action, uuids = self._action(params)
        if trigger["uuid"] not in uuids:
            raise operr(f"the action[uuid:{action['uuid']}] is not attached to the trigger[uuid:{trigger['uuid']}]")
        self._set_triggers(action, [u for u in uuids if u != trigger["uuid"]])
        return {}

    def autoscaling_trigger(self, params: dict) -> dict:
        alarm = self.get("AlarmInventory", params.get("alarmUuid"))
        rule = self.get("AutoScalingRuleInventory", params.get("ruleUuid"))
        now = self.writer.now()
        row = {"uuid": params.get("resourceUuid") or uuidlib.uuid4().hex, "name": self.need(params, "name"),
               "description": params.get("description"), "type": params.get("triggerType") or "Alarm",
               "ruleUuid": rule["uuid"], "alarmUuid": alarm["uuid"], "state": "Enabled", "createDate": now,
               "lastOpDate": now}
        self.insert("AutoScalingRuleAlarmTriggerInventory", row)
        return {"inventory": self.get("AutoScalingRuleAlarmTriggerInventory", row["uuid"])}
