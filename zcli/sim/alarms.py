"""ZWatch alarms and events: their histories, acknowledgements, labels and states, as rows of the world.

ZWatch is closed source; the facts are the reference's field names. The histories are the rows of
``AlarmRecordsInventory`` and ``EventRecordsInventory`` (times in milliseconds; the demo world seeds a few, see
:mod:`zcli.sim.monitoring_world`):

* GetAlarmData / GetEventData answer them, newest first, in ``startTime``..``endTime``, filtered by
  ``conditions`` (``field=value``), paged by ``start``/``limit``, with ``total`` when ``count`` is true;
* UpdateAlarmData / UpdateEventData mark them Read or Unread: ``OnlyOne`` the one ``dataUuid`` names, ``InRange``
  those between ``dataStartTime`` and ``dataEndTime``, ``All`` every one;
* AckAlarmData / AckEventData acknowledge one record of the alarm (subscription) for ``ackPeriodSec`` seconds:
  an ``AlarmDataAck``/``EventDataAck`` row; UpdateAlertDataAck sets its ``resumeAlert``;
* AddLabelToAlarm / AddLabelToEventSubscription add a label (an ``AlarmLabel``/``EventSubscriptionLabel`` row,
  and the alarm's ``labels``); RemoveLabelFrom* take it away;
* ChangeActiveAlarmState enables or disables the active alarms of a namespace (the alarms its ``ActiveAlarm``
  rows name); GetActiveAlarmStatus answers each namespace's state;
* GetZWatchAlertHistogram counts the records of a history per ``intervalHours`` bucket and ``groupColumns``;
* GetAllEventMetadata lists the system's events (:data:`SYSTEM_EVENTS`) and those subscribed, templated or recorded.
"""

from __future__ import annotations

import json
import uuid as uuidlib
from typing import ClassVar

from zcli.sim.computed import Computed, as_bool, as_int, as_items
from zcli.sim.failures import Failure, argerr, operr
from zcli.sim.tables import q

_KINDS = {"alarm": ("AlarmRecordsInventory", "AlarmDataAckInventory", "alarmUuid", "AlarmInventory"),
          "event": ("EventRecordsInventory", "EventDataAckInventory", "eventSubscriptionUuid",
                    "EventSubscriptionInventory")}
#: The system's events (namespace, name) → the labels each carries (what the simulator chose; ZWatch is closed).
SYSTEM_EVENTS = {
    ("ZStack/VM", "VMStateChangedOnHost"): ("VMUuid", "OldState", "NewState", "HostUuid"),
    ("ZStack/Host", "HostStatusChanged"): ("HostUuid", "OldStatus", "NewStatus"),
    ("ZStack/Host", "HostPhysicalNicStatusDown"): ("HostUuid", "InterfaceName"),
    ("ZStack/PrimaryStorage", "PrimaryStorageStatusChanged"): ("PrimaryStorageUuid", "OldStatus", "NewStatus"),
    ("ZStack/BackupStorage", "BackupStorageStatusChanged"): ("BackupStorageUuid", "OldStatus", "NewStatus"),
}
_HISTOGRAM_TABLES = {"alarmrecordsvo": "AlarmRecordsInventory", "alarmrecords": "AlarmRecordsInventory",
                     "eventrecordsvo": "EventRecordsInventory", "eventrecords": "EventRecordsInventory",
                     "auditsvo": "AuditsInventory"}


def _not_found(what: str, uuid_: str) -> Failure:
    return Failure("SYS.1003", "A resource can not be found", f"{what}[uuid:{uuid_}] is not found")


class Alarms(Computed):
    kind = "alarms"
    APIS: ClassVar[dict[str, tuple[str, str]]] = {
        "GetAlarmData": ("alarm_data", "the alarm history rows (AlarmRecords), filtered and paged"),
        "GetEventData": ("event_data", "the event history rows (EventRecords), filtered and paged"),
        "UpdateAlarmData": ("update_alarm_data", "marks alarm history rows Read/Unread"),
        "UpdateEventData": ("update_event_data", "marks event history rows Read/Unread"),
        "AckAlarmData": ("ack_alarm", "acknowledges a record of the alarm (an AlarmDataAck row)"),
        "AckEventData": ("ack_event", "acknowledges a record of the subscription (an EventDataAck row)"),
        "UpdateAlertDataAck": ("update_ack", "sets the acknowledgement's resumeAlert"),
        "AddLabelToAlarm": ("add_alarm_label", "an AlarmLabel row, in the alarm's labels"),
        "RemoveLabelFromAlarm": ("remove_alarm_label", "takes the label from its alarm"),
        "AddLabelToEventSubscription": ("add_event_label", "an EventSubscriptionLabel row, in the subscription's"),
        "RemoveLabelFromEventSubscription": ("remove_event_label", "takes the label from its subscription"),
        "ChangeActiveAlarmState": ("change_active", "enables/disables the namespace's active alarms"),
        "GetActiveAlarmStatus": ("active_status", "each namespace's active alarms' state"),
        "GetZWatchAlertHistogram": ("histogram", "counts a history's records per interval and group"),
        "GetAllEventMetadata": ("event_metadata", "the events that exist: the system's, and those subscribed, "
                                                  "templated or recorded"),
    }

    # --- histories ---------------------------------------------------------------------------
    def _history(self, table: str, params: dict, key: str) -> dict:
        where, bound = [], []
        for name, op in (("startTime", ">="), ("endTime", "<=")):
            value = as_int(params.get(name))
            if value is not None:
                where.append(f"createTime {op} ?")
                bound.append(value)
        kinds = self.store.specs[table].kinds
        for cond in as_items(params.get("conditions")):
            field, _, value = str(cond).partition("=")
            if field not in kinds:
                raise argerr(f"invalid condition[{cond}], the history has no field[{field}]")
            where.append(f"{q(field)} = ?")
            bound.append(value)
        clause = " AND ".join(where)
        rows = self.store.inventories(table, clause, bound, order="createTime DESC, id DESC", depth=0,
                                      limit=as_int(params.get("limit"), 100), offset=as_int(params.get("start"), 0))
        reply = {key: rows}
        if as_bool(params.get("count")):
            reply["total"] = self.store.count(table, clause, bound)
        return reply

    def alarm_data(self, params: dict) -> dict:
        return self._history("AlarmRecordsInventory", params, "histories")

    def event_data(self, params: dict) -> dict:
        return self._history("EventRecordsInventory", params, "events")

    def _mark(self, table: str, params: dict) -> dict:
        mode, status = self.need(params, "updateMode"), params.get("readStatus") or "Read"
        if mode == "OnlyOne":
            uuid_ = self.need(params, "dataUuid")
            if not self.execute(f'UPDATE "{table}" SET readStatus = ? WHERE dataUuid = ?', [status, uuid_]):
                raise _not_found("alert data", uuid_)
        elif mode == "InRange":
            start, end = as_int(params.get("dataStartTime")), as_int(params.get("dataEndTime"))
            if start is None or end is None:
                raise argerr("updateMode InRange needs dataStartTime and dataEndTime")
            self.execute(f'UPDATE "{table}" SET readStatus = ? WHERE createTime BETWEEN ? AND ?', [status, start, end])
        else:
            self.execute(f'UPDATE "{table}" SET readStatus = ?', [status])
        return {}

    def update_alarm_data(self, params: dict) -> dict:
        return self._mark("AlarmRecordsInventory", params)

    def update_event_data(self, params: dict) -> dict:
        return self._mark("EventRecordsInventory", params)

    # --- acknowledgements --------------------------------------------------------------------
    def _ack(self, kind: str, owner_param: str, params: dict) -> dict:
        records, acks, owner_field, owner_inv = _KINDS[kind]
        owner = self.get(owner_inv, params.get(owner_param))
        data = self.need(params, "alertDataUuid")
        record_owner = "alarmUuid" if kind == "alarm" else "subscriptionUuid"
        found = self.rows(records, f"dataUuid = ? AND {record_owner} = ?", [data, owner["uuid"]])
        if not found:
            raise _not_found(f"{kind} data of {owner_inv.removesuffix('Inventory')}[uuid:{owner['uuid']}]: alert data",
                             data)
        period = as_int(self.need(params, "ackPeriodSec"))
        if period <= 0:
            raise argerr(f"invalid ackPeriodSec[{period}], it must be positive")
        if self.store.count("AlertDataAckInventory", "alertDataUuid = ?", [data]):
            raise operr(f"the alert data[uuid:{data}] is acknowledged already")
        row = {"alertDataUuid": data, "alertType": self.need(params, "dataType"), "ackPeriod": period,
               "resourceUuid": params.get("resourceUuid") or found[0].get("resourceUuid") or found[0].get("resourceId"),
               "ackDate": self.writer.now(), "resumeAlert": False,
               "operatorAccountUuid": found[0].get("accountUuid"), owner_field: owner["uuid"]}
        self.insert(acks, row)
        return {"inventory": self.rows("AlertDataAckInventory", "alertDataUuid = ?", [data])[0]}

    def ack_alarm(self, params: dict) -> dict:
        return self._ack("alarm", "alarmUuid", params)

    def ack_event(self, params: dict) -> dict:
        return self._ack("event", "eventSubscriptionUuid", params)

    def update_ack(self, params: dict) -> dict:
        data = self.need(params, "alertDataUuid")
        if not self.store.count("AlertDataAckInventory", "alertDataUuid = ?", [data]):
            raise _not_found("acknowledgement of alert data", data)
        resume = 1 if as_bool(params.get("resumeAlert")) else 0
        for table in ("AlertDataAckInventory", "AlarmDataAckInventory", "EventDataAckInventory"):
            self.execute(f'UPDATE "{table}" SET resumeAlert = ? WHERE alertDataUuid = ?', [resume, data])
        return {"inventory": self.rows("AlertDataAckInventory", "alertDataUuid = ?", [data])[0]}

    # --- labels ------------------------------------------------------------------------------
    def _add_label(self, owner_inv: str, label_inv: str, owner_uuid, params: dict) -> dict:
        owner = self.get(owner_inv, owner_uuid)
        label = {"uuid": params.get("resourceUuid") or uuidlib.uuid4().hex, "key": self.need(params, "key"),
                 "operator": self.need(params, "operator"), "value": self.need(params, "value")}
        labels = list(owner.get("labels") or [])
        if any(lb.get("key") == label["key"] and lb.get("value") == label["value"] for lb in labels):
            raise operr(f"the label[{label['key']}={label['value']}] is on the "
                        f"{owner_inv.removesuffix('Inventory')}[uuid:{owner['uuid']}] already")
        self.insert(label_inv, label)
        self.writer.update(owner_inv, owner["uuid"], {"labels": [*labels, label]})
        return {"inventory": self.get(label_inv, label["uuid"])}

    def _remove_label(self, owner_inv: str, label_inv: str, uuid_) -> dict:
        self.get(label_inv, uuid_)
        owners = self.rows(owner_inv, "labels LIKE ?", [f"%{uuid_}%"])
        self.delete_where(label_inv, "uuid = ?", [uuid_])
        for owner in owners:
            rest = [lb for lb in owner.get("labels") or [] if lb.get("uuid") != uuid_]
            self.writer.update(owner_inv, owner["uuid"], {"labels": rest})
        return {"inventory": self.get(owner_inv, owners[0]["uuid"])} if owners else {}

    def add_alarm_label(self, params: dict) -> dict:
        return self._add_label("AlarmInventory", "AlarmLabelInventory", params.get("alarmUuid"), params)

    def remove_alarm_label(self, params: dict) -> dict:
        return self._remove_label("AlarmInventory", "AlarmLabelInventory", params.get("uuid"))

    def add_event_label(self, params: dict) -> dict:
        return self._add_label("EventSubscriptionInventory", "EventSubscriptionLabelInventory",
                               params.get("subscriptionUuid"), params)

    def remove_event_label(self, params: dict) -> dict:
        self._remove_label("EventSubscriptionInventory", "EventSubscriptionLabelInventory", params.get("uuid"))
        return {}

    # --- active alarms -----------------------------------------------------------------------
    def change_active(self, params: dict) -> dict:
        namespace = self.need(params, "namespace")
        state = {"enable": "Enabled", "disable": "Disabled"}[self.need(params, "stateEvent")]
        alarms = [r["alarmUuid"] for r in self.rows("ActiveAlarmInventory", "namespace = ?", [namespace])]
        if not alarms:
            raise argerr(f"the namespace[{namespace}] has no active alarm")
        for uuid_ in alarms:
            self.writer.update("AlarmInventory", uuid_, {"state": state})
        return {}

    def active_status(self, params: dict) -> dict:
        self.get("AccountInventory", params.get("accountUuid"))
        _, rows = self.store.read('SELECT a.namespace, SUM(CASE WHEN m.state = \'Enabled\' THEN 1 ELSE 0 END), '
                                  'COUNT(*) FROM "ActiveAlarmInventory" a JOIN "AlarmInventory" m '
                                  "ON m.uuid = a.alarmUuid GROUP BY a.namespace ORDER BY a.namespace")
        return {"statuses": [{"namespace": ns, "state": "Enabled" if on else "Disabled", "enabledAlarms": on,
                              "alarms": n} for ns, on, n in rows]}

    # --- histogram ---------------------------------------------------------------------------
    def histogram(self, params: dict) -> dict:
        name = str(self.need(params, "tableName"))
        table = _HISTOGRAM_TABLES.get(name.lower())
        if table is None:
            raise argerr(f"invalid tableName[{name}], it must be AlarmRecordsVO or EventRecordsVO")
        start, end = as_int(self.need(params, "startTime")), as_int(self.need(params, "endTime"))
        hours = as_int(self.need(params, "intervalHours"))
        if hours <= 0 or start > end:
            raise argerr("intervalHours must be positive and startTime not after endTime")
        kinds = self.store.specs[table].kinds
        groups = [str(g) for g in as_items(params.get("groupColumns"))]
        for g in groups:
            if g not in kinds:
                raise argerr(f"invalid groupColumn[{g}], {name} has no column[{g}]")
        width = hours * 3_600_000
        cols = "".join(f", {q(g)}" for g in groups)
        _, rows = self.store.read(f"SELECT (createTime - ?) / ? AS bucket, COUNT(*){cols} FROM {q(table)} "
                                  f"WHERE createTime BETWEEN ? AND ? GROUP BY bucket{cols} ORDER BY bucket{cols}",
                                  [start, width, start, end])
        out = []
        for bucket, count, *values in rows:
            item = {"startTime": start + int(bucket) * width, "endTime": min(start + (int(bucket) + 1) * width, end),
                    "count": count}
            item.update({g: (json.loads(v) if isinstance(v, str) and v.startswith("[") else v)
                         for g, v in zip(groups, values, strict=True)})
            out.append(item)
        return {"histograms": out}

    # --- metadata ----------------------------------------------------------------------------
    def event_metadata(self, params: dict) -> dict:
        found = {key: list(labels) for key, labels in SYSTEM_EVENTS.items()}
        for table, name_field in (("EventSubscriptionInventory", "eventName"), ("EventRuleTemplateInventory",
                                                                                "eventName"),
                                  ("EventRecordsInventory", "name")):
            _, rows = self.store.read(f'SELECT DISTINCT namespace, {q(name_field)} FROM {q(table)} '
                                      f"WHERE {q(name_field)} IS NOT NULL")
            for ns, name in rows:
                found.setdefault((ns, name), [])
        out = [{"namespace": ns, "name": name, "labelNames": labels} for (ns, name), labels in sorted(found.items())]
        if params.get("namespace"):
            out = [e for e in out if e["namespace"] == params["namespace"]]
        if params.get("name"):
            out = [e for e in out if e["name"] == params["name"]]
        return {"events": out}
