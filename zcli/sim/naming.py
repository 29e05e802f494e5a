"""What an API's name and parameters name: the inventories behind ``vmInstanceUuid``, ``Attach<X>To<Y>``...

The generic mechanisms (attach/detach, setters, reads, state machines) find the resources a call acts on
from the catalogue alone: a parameter's ``resourceType`` (``VmInstanceVO``), else its name's stem
(``rootVolumeUuid`` → ``VolumeInventory``, the longest camel-case tail that names an inventory with a
table), and the nouns of the API's name (``AttachPrimaryStorageToCluster`` → PrimaryStorage, Cluster).
"""

from __future__ import annotations

import re

#: Short nouns of API names and parameters that stand for a longer inventory name.
_NOUNS = {"vm": "VmInstance", "vms": "VmInstance", "nic": "VmNic", "l3": "L3Network", "l2": "L2Network",
          "ps": "PrimaryStorage", "bs": "BackupStorage", "iso": "Image", "eip": "Eip", "lb": "LoadBalancer",
          "dataVolume": "Volume", "rootVolume": "Volume", "volumes": "Volume", "sg": "SecurityGroup",
          "vmNics": "VmNic", "instance": "VmInstance", "acl": "AccessControlList", "vRouter": "VirtualRouterVm",
          "virtualRouterVm": "VirtualRouterVm", "listener": "LoadBalancerListener", "table": "PriceTable"}
_ALIASES = {k.lower(): v for k, v in _NOUNS.items()}
_VERBS = ("PowerOn", "PowerOff", "PowerReset", "Attach", "Detach", "Add", "Remove", "Get", "Set", "Update", "Change",
          "Delete", "Create", "Sync",
          "Reconnect", "Refresh", "Reload", "Start", "Stop", "Reboot", "Power", "Recover", "Expunge", "Check",
          "Validate", "Clean", "Cleanup", "Deploy", "Pause", "Resume", "Shutdown", "Enable", "Disable")


def creates(api_name: str, inventory: str) -> bool:
    """Whether an API of that name makes a new ``inventory`` (the generic create may carry it out).

    Only a ``Create``/``Add`` (or ``BatchCreate``/``BatchAdd``) does, and only when its head noun — the last
    camel-case word of what it creates, before ``To``/``From`` — is in the inventory's name:
    ``CreateL2NoVlanNetwork`` makes an L2Network and ``AddIpv6Range`` an IpRange, but ``AddStorageProtocol``
    adds to a primary storage, ``AddResourceToIAM2Project`` puts a resource in a project,
    ``CreateResourceStackFromApp`` makes no PublishApp, and ``GetVpcAttachedEip``, ``Check*`` or ``*TestConnection``
    make nothing at all.
    """
    name = api_name.removeprefix("Batch")
    verb = next((v for v in ("Create", "Add") if name.startswith(v) and name[len(v):len(v) + 1].isupper()), None)
    if verb is None:
        return False
    made = re.split(r"(?<=[A-Za-z0-9])(?:To|From)(?=[A-Z])", name[len(verb):], maxsplit=1)[0]
    words = re.findall(r"[A-Z]+(?![a-z])|[A-Z][a-z0-9]*", made)
    return bool(words) and words[-1].lower() in inventory.removesuffix("Inventory").lower()


def as_list(value) -> list[str]:
    """A list parameter as sent: a JSON list, or a comma-separated string in a query string."""
    if value in (None, ""):
        return []
    if isinstance(value, str):
        return [s for s in value.split(",") if s]
    if isinstance(value, (list, tuple)):
        return [str(v) for v in value]
    return [str(value)]


def camel_tails(word: str) -> list[str]:
    """``rootVolume`` → ``RootVolume``, ``Volume``: each camel-case tail, longest first."""
    word = word[:1].upper() + word[1:]
    cuts = [0] + [i for i in range(1, len(word)) if word[i].isupper() and not word[i - 1].isupper()]
    return [word[i:] for i in cuts]


def verb_of(name: str) -> str:
    for verb in _VERBS:
        if name.startswith(verb) and name[len(verb):len(verb) + 1].isupper():
            return verb
    m = re.match(r"[A-Z][a-z]*", name)
    return m.group(0) if m else name


class Names:
    """Resolves names to inventories that have a table in ``specs``."""

    def __init__(self, catalog, specs):
        self.catalog = catalog
        self.specs = specs
        self._lower = {n.lower(): n for n in specs}

    def noun(self, word: str) -> str | None:
        """The inventory a noun names (``PrimaryStorage``, ``Vm``, ``l3Network``), or None."""
        if not word:
            return None
        word = _ALIASES.get(word.lower(), word)
        for tail in camel_tails(word):
            tail = _ALIASES.get(tail.lower(), tail)
            found = self._lower.get(tail.lower() + "inventory")
            if found:
                return found
        return None

    def exact_noun(self, word: str) -> str | None:
        """The inventory the whole of ``word`` names (``VolumeSnapshot``), no shorter tail of it."""
        word = _NOUNS.get(word[:1].lower() + word[1:], word)
        return self._lower.get(word.lower() + "inventory")

    def prefix_noun(self, api_name: str) -> str | None:
        """The inventory the longest leading noun of a name names: ``SetIAM2ProjectRetirePolicy`` → IAM2Project,
        ``SetVmHostname`` → VmInstance (never a trailing word such as Policy)."""
        rest = api_name[len(verb_of(api_name)):]
        cuts = [i for i in range(1, len(rest)) if rest[i].isupper() and not rest[i - 1].isupper()] + [len(rest)]
        for cut in reversed(cuts):
            found = self.exact_noun(rest[:cut])
            if found:
                return found
        return None

    def param_inventory(self, name: str, resource: str | None = None) -> str | None:
        """The inventory a uuid parameter names (None for ``uuid`` itself and for non-uuid names)."""
        if resource:
            found = self._lower.get(resource.lower().removesuffix("vo") + "inventory")
            if found:
                return found
        stem = re.sub(r"Uuids?$", "", name)
        if stem == name or not stem or stem == "resource":  # resourceUuid: a resource of any kind
            return None
        return self.noun(stem)

    def name_nouns(self, api_name: str) -> tuple[str | None, str | None]:
        """``AttachPrimaryStorageToCluster`` → (PrimaryStorageInventory, ClusterInventory); either may be None."""
        rest = api_name[len(verb_of(api_name)):]
        m = re.match(r"(.+?)(?:To|From|On|In|Of|For)([A-Z].*)$", rest)
        if not m:
            return self.noun(rest), None
        return self.noun(m.group(1)), self.noun(m.group(2))

    def reply_inventory(self, api) -> tuple[str | None, bool]:
        """The inventory the reply holds (from the reply's field types) and whether it is a list."""
        rec = self.catalog.store.api_record(api.name) or {}
        types = rec.get("replyTypes") or {}
        key = api.reply_key or next(iter(types), None)
        t = types.get(key or "", "") or ""
        many = t.startswith(("List", "Set", "Collection"))
        m = re.search(r"(\w+Inventory)", t)
        if m and m.group(1) in self.specs:
            return m.group(1), many
        m = re.fullmatch(r"List<(\w+)Data>", t)  # GetCandidateL2NetworksForAttachingCluster: List<L2NetworkData>
        if m and m.group(1) + "Inventory" in self.specs:
            return m.group(1) + "Inventory", True
        if t in ("List", "Set", "Collection") and key in ("inventories", "inventory"):
            # The Java SDK keeps no element type: the API's name names it (GetMdevDeviceCandidates → MdevDevice).
            rest = re.sub(r"Candidates?|Attachable|Available", "", api.name[len(verb_of(api.name)):])
            found = self.name_nouns("Get" + rest)[0]
            if found is not None:
                return found, True
        return None, many

    def reply_key(self, api) -> str | None:
        """The reply's key for its inventory: ``responseAllTo``, else the one inventory-typed reply field."""
        if api.reply_key:
            return api.reply_key
        typed = [k for k, t in self.reply_types(api).items() if re.search(r"\w+Inventory", t or "")]
        return typed[0] if len(typed) == 1 else None

    def reply_types(self, api) -> dict[str, str]:
        rec = self.catalog.store.api_record(api.name) or {}
        return dict(rec.get("replyTypes") or {})

    def uuid_params(self, api) -> list:
        """The API's parameters that name resources (``...Uuid``, ``...Uuids``, ``uuid``)."""
        return [p for p in api.params if p.name == "uuid" or re.search(r"Uuids?$", p.name)]
