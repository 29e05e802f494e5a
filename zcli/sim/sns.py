"""SNS: topics' subscribers, endpoints' addresses, persons and receivers, and the endpoints' validations.

The server's SNS module is closed source; the facts are the reference's fields. What the simulator keeps:

* SubscribeSNSTopic / UnsubscribeSNSTopic: an ``SNSSubscriber`` row (topic, endpoint); subscribing twice is
  refused, unsubscribing what is not subscribed succeeds (as a delete of nothing does);
* the email endpoint's addresses (``SNSEmailAddress`` rows: updated, with an address's form checked, or deleted);
  the DingTalk endpoint's persons to @ (and its ``atPersonPhoneNumbers``), FeiShu's and WeCom's (by user id), the
  SMS endpoints' receivers: removed from the endpoint named, refused when it has none of them;
* the validations check the endpoint's (platform's) fields as a send would need them: it exists and is enabled,
  phone numbers are numbers, an SMS endpoint has its access key, an SMTP server has a host and a port in range.
"""

from __future__ import annotations

import re
from typing import ClassVar

from zcli.sim.computed import Computed, as_int, as_items
from zcli.sim.failures import Failure, argerr, operr

_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
_PHONE = re.compile(r"^\+?\d{5,15}$")
_HOST = re.compile(r"^[A-Za-z0-9]([A-Za-z0-9.-]{0,251}[A-Za-z0-9])?$")
_ENDPOINT = "SNSApplicationEndpointInventory"


def _not_found(what: str, key: str) -> Failure:
    return Failure("SYS.1003", "A resource can not be found", f"{what}[{key}] is not found")


class Sns(Computed):
    kind = "sns"
    APIS: ClassVar[dict[str, tuple[str, str]]] = {
        "SubscribeSNSTopic": ("subscribe", "an SNSSubscriber row of the topic and endpoint"),
        "UnsubscribeSNSTopic": ("unsubscribe", "removes the SNSSubscriber row"),
        "UpdateEmailAddressOfSNSEmailEndpoint": ("update_email", "changes the endpoint's address (form checked)"),
        "DeleteEmailAddressOfSNSEmailEndpoint": ("delete_email", "removes the address from its endpoint"),
        "RemoveSNSDingTalkAtPerson": ("remove_dingtalk", "removes the person to @ from the DingTalk endpoint"),
        "RemoveSNSFeiShuAtPerson": ("remove_feishu", "removes the person to @ from the FeiShu endpoint"),
        "RemoveSNSWeComAtPerson": ("remove_wecom", "removes the person to @ from the WeCom endpoint"),
        "RemoveSNSSmsReceiver": ("remove_receivers", "removes the receivers from the SMS endpoint"),
        "ValidateSNSAliyunSmsEndpoint": ("validate_aliyun", "checks the endpoint's access key and the numbers"),
        "ValidateSNSUniversalSmsEndpoint": ("validate_universal", "checks the endpoint's fields and the numbers"),
        "ValidateSNSEmailPlatform": ("validate_email", "checks the SMTP server, port and account"),
    }

    # --- topics ------------------------------------------------------------------------------
    def subscribe(self, params: dict) -> dict:
        topic = self.get("SNSTopicInventory", params.get("topicUuid"))
        endpoint = self.get(_ENDPOINT, params.get("endpointUuid"))
        if self.store.count("SNSSubscriberInventory", "topicUuid = ? AND endpointUuid = ?",
                            [topic["uuid"], endpoint["uuid"]]):
            raise operr(f"the endpoint[uuid:{endpoint['uuid']}] has subscribed the topic[uuid:{topic['uuid']}] already")
        now = self.writer.now()
        self.insert("SNSSubscriberInventory", {"topicUuid": topic["uuid"], "endpointUuid": endpoint["uuid"],
                                               "createDate": now, "lastOpDate": now})
        return {}

    def unsubscribe(self, params: dict) -> dict:
        topic = self.get("SNSTopicInventory", params.get("topicUuid"))
        endpoint = self.get(_ENDPOINT, params.get("endpointUuid"))
        self.delete_where("SNSSubscriberInventory", "topicUuid = ? AND endpointUuid = ?",
                          [topic["uuid"], endpoint["uuid"]])
        return {}

    # --- email addresses ---------------------------------------------------------------------
    def _address(self, params: dict) -> dict:
        endpoint = self.get("SNSEmailEndpointInventory", params.get("endpointUuid"))
        found = self.rows("SNSEmailAddressInventory", "uuid = ? AND endpointUuid = ?",
                          [self.need(params, "emailAddressUuid"), endpoint["uuid"]])
        if not found:
            raise _not_found(f"email address of the endpoint[uuid:{endpoint['uuid']}]: uuid",
                             params["emailAddressUuid"])
        return found[0]

    def update_email(self, params: dict) -> dict:
        row = self._address(params)
        address = str(self.need(params, "emailAddress"))
        if not _EMAIL.match(address):
            raise argerr(f"invalid email address[{address}]")
        if self.store.count("SNSEmailAddressInventory", "endpointUuid = ? AND emailAddress = ? AND uuid != ?",
                            [row["endpointUuid"], address, row["uuid"]]):
            raise operr(f"the endpoint[uuid:{row['endpointUuid']}] has the address[{address}] already")
        return {"inventory": self.writer.update("SNSEmailAddressInventory", row["uuid"], {"emailAddress": address})}

    def delete_email(self, params: dict) -> dict:
        row = self._address(params)
        self.delete_where("SNSEmailAddressInventory", "uuid = ?", [row["uuid"]])
        return {}

    # --- persons and receivers ---------------------------------------------------------------
    def _remove(self, endpoint_inv: str, table: str, column: str, values: list[str], endpoint_uuid,
                listed: str | None = None) -> dict:
        endpoint = self.get(endpoint_inv, endpoint_uuid)
        if not values:
            raise argerr(f"missing mandatory field[{column}]")
        marks = ", ".join("?" * len(values))
        have = self.store.count(table, f"endpointUuid = ? AND {column} IN ({marks})", [endpoint["uuid"], *values])
        kept = [v for v in (endpoint.get(listed) or []) if v not in values] if listed else None
        if not have and (not listed or len(kept) == len(endpoint.get(listed) or [])):
            raise _not_found(f"{column} of the endpoint[uuid:{endpoint['uuid']}]", ", ".join(values))
        self.delete_where(table, f"endpointUuid = ? AND {column} IN ({marks})", [endpoint["uuid"], *values])
        if listed:
            self.writer.update(endpoint_inv, endpoint["uuid"], {listed: kept})
        return {}

    def remove_dingtalk(self, params: dict) -> dict:
        return self._remove("SNSDingTalkEndpointInventory", "SNSDingTalkAtPersonInventory", "phoneNumber",
                            [str(self.need(params, "phoneNumber"))], params.get("endpointUuid"), "atPersonPhoneNumbers")

    def remove_feishu(self, params: dict) -> dict:
        return self._remove("SNSFeiShuEndpointInventory", "SNSFeiShuAtPersonInventory", "userId",
                            [str(self.need(params, "userId"))], params.get("endpointUuid"), "atPersonUserIds")

    def remove_wecom(self, params: dict) -> dict:
        return self._remove("SNSWeComEndpointInventory", "SNSWeComAtPersonInventory", "userId",
                            [str(self.need(params, "userId"))], params.get("endpointUuid"), "atPersonUserIds")

    def remove_receivers(self, params: dict) -> dict:
        numbers = [str(n) for n in as_items(params.get("phoneNumberList"))]
        if params.get("phoneNumber"):
            numbers.append(str(params["phoneNumber"]))
        return self._remove(_ENDPOINT, "SNSSmsReceiverInventory", "phoneNumber", numbers, params.get("endpointUuid"))

    # --- validations -------------------------------------------------------------------------
    def _enabled(self, inv: str, uuid_) -> dict:
        row = self.get(inv, uuid_)
        if row.get("state") == "Disabled":
            raise operr(f"the {inv.removesuffix('Inventory')}[uuid:{row['uuid']}] is disabled")
        return row

    @staticmethod
    def _numbers(values) -> None:
        numbers = [str(n) for n in as_items(values)]
        if not numbers:
            raise argerr("missing mandatory field[phoneNumbers]")
        bad = [n for n in numbers if not _PHONE.match(n)]
        if bad:
            raise argerr(f"invalid phone numbers{bad}")

    def _sms(self, inv: str, params: dict) -> dict:
        endpoint = self._enabled(inv, params.get("uuid"))
        missing = [f for f in ("smsAccessKeyId", "smsAccessKeySecret") if not endpoint.get(f)]
        if missing:
            raise operr(f"the SMS endpoint[uuid:{endpoint['uuid']}] has no {', '.join(missing)}")
        self._numbers(params.get("phoneNumbers"))
        return endpoint

    def validate_aliyun(self, params: dict) -> dict:
        self._sms("SNSAliyunSmsEndpointInventory", params)
        return {}

    def validate_universal(self, params: dict) -> dict:
        self._sms("SNSUniversalSmsEndpointInventory", params)
        if not str(self.need(params, "testMsg")).strip():
            raise argerr("the test message is empty")
        return {}

    def validate_email(self, params: dict) -> dict:
        fields = dict(self._enabled("SNSEmailPlatformInventory", params["uuid"])) if params.get("uuid") else {}
        fields.update({k: params[k] for k in ("smtpServer", "smtpPort", "username") if params.get(k) not in (None, "")})
        server, port = fields.get("smtpServer"), as_int(fields.get("smtpPort"))
        if not server or not _HOST.match(str(server)):
            raise argerr(f"invalid smtpServer[{server}], it must be a host name or an IP address")
        if port is None or not 0 < port < 65536:
            raise argerr(f"invalid smtpPort[{port}], it must be in [1, 65535]")
        username = fields.get("username")
        if username and "@" in str(username) and not _EMAIL.match(str(username)):
            raise argerr(f"invalid username[{username}]")
        return {}
