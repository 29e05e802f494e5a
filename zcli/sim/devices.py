"""The device and monitoring families (reads of VMs, hosts, storage and networks; metrics, alarms, events, SNS,
audit), each a mechanism of :data:`zcli.sim.generic.MORE` (see :mod:`zcli.sim.computed`)."""

from __future__ import annotations

from zcli.sim.alarms import Alarms
from zcli.sim.audits import AuditReads
from zcli.sim.cdp_reads import CdpReads
from zcli.sim.checks import Checks
from zcli.sim.cluster_reads import ClusterReads
from zcli.sim.host_network import HostNetwork
from zcli.sim.metrics import Metrics
from zcli.sim.monitor_links import MonitorLinks
from zcli.sim.scheduling import Scheduling
from zcli.sim.sns import Sns
from zcli.sim.storage_reads import StorageReads
from zcli.sim.vm_reads import VmReads
from zcli.sim.vrouter_reads import VRouterReads

FAMILIES: tuple[type, ...] = (VmReads, HostNetwork, StorageReads, ClusterReads, CdpReads, Checks, Scheduling,
                              VRouterReads, Metrics, Alarms, MonitorLinks, Sns, AuditReads)
