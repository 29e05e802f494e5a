"""The families of actions on hosts, guests, storage and backups, in the order the dispatcher asks them
(see ``zcli.sim.generic.MORE`` and ``zcli.sim.acting``)."""

from __future__ import annotations

from zcli.sim.backups import Backups
from zcli.sim.baremetal import Baremetal
from zcli.sim.cdp import Cdp
from zcli.sim.drs import Drs
from zcli.sim.guests import Guests
from zcli.sim.host_agents import HostAgents
from zcli.sim.prometheus import Prometheus
from zcli.sim.schedules import Schedules
from zcli.sim.services_ops import ServiceOps
from zcli.sim.sharing import Sharing
from zcli.sim.snapshot_ops import SnapshotOps
from zcli.sim.template_configs import TemplateConfigs
from zcli.sim.trash import Trash
from zcli.sim.vdevices import VirtualDevices

FAMILIES: tuple[type, ...] = (Sharing, Trash, VirtualDevices, SnapshotOps, Backups, Baremetal, Guests, HostAgents,
                              Drs, Schedules, ServiceOps, TemplateConfigs, Cdp,
                              Prometheus)
