"""What one Tab leaves on the line in an interactive bash, zsh and fish (pseudo-terminal, keys as typed).

A space follows a finished word (a whole condition, an option, an API); none follows a field that
waits for its operator, a table that waits for ``.field``, or ``key=`` that waits for its value.
"""

from __future__ import annotations

import pytest

from tests.shellcomp.shells import ZshSession, need

COMMON = [
    ("zcli QueryModelService requestC", "zcli QueryModelService requestCpu"),
    ("zcli QueryVmInstance type=U", "zcli QueryVmInstance type=UserVm "),
    ("zcli QueryVmInstance vmNics.l3Network.l2Network.zo", "zcli QueryVmInstance vmNics.l3Network.l2Network.zone"),
    ("zcli QueryVmInstance vmNics.l3Network.l2Network.zone.na",
     "zcli QueryVmInstance vmNics.l3Network.l2Network.zone.name"),
    ("zcli QueryVmInstance sortDirection=d", "zcli QueryVmInstance sortDirection=desc "),
    ("zcli QueryVmInstance limi", "zcli QueryVmInstance limit="),
    ("zcli QueryL2Network isolated=t", "zcli QueryL2Network isolated=true "),
    ("zcli StartVmInstance clusterU", "zcli StartVmInstance clusterUuid="),
    ("zcli CreateVmInstance strategy=J", "zcli CreateVmInstance strategy=JustCreate "),
    ("zcli QueryModelServ", "zcli QueryModelService"),
    ("zcli --output=ya", "zcli --output=yaml "),
    ("zcli -o ts", "zcli -o tsv "),
    ("zcli --no-val", "zcli --no-validate "),
    ("zcli completion z", "zcli completion zsh "),
    ("zcli help QueryModelServ", "zcli help QueryModelService"),
    ("zcli help QueryModelServiceInstanceGr", "zcli help QueryModelServiceInstanceGroup "),
]


@pytest.mark.parametrize(("typed", "after"), [
    *COMMON,
    ("zcli QueryVmInstance cpuNum\\>", "zcli QueryVmInstance cpuNum\\>="),  # escaped: '>' is a redirection
    ("zcli querymodelserviceins", "zcli QueryModelServiceInstanceGroup "),  # case-insensitive
    ("zcli query vminstance where state = \\'Runn", "zcli query vminstance where state = \\'Running\\' "),  # ZQL
])
def test_bash(typed, after, bash_tty):
    assert bash_tty.tab(typed) == after


@pytest.mark.parametrize(("typed", "after"), [
    *COMMON,
    ("zcli QueryVmInstance 'cpuNum>", "zcli QueryVmInstance 'cpuNum>="),  # in the quote: no space, still open
])
def test_zsh(typed, after, zsh):
    _, line = zsh.complete(typed)
    assert line == after


@pytest.mark.parametrize(("typed", "after"), [
    *COMMON,
    ("zcli QueryVmInstance cpun", "zcli QueryVmInstance cpuNum"),  # case-insensitive, still no space
    ("zcli QueryVmInstance 'cpuNum>", "zcli QueryVmInstance 'cpuNum>="),
])
def test_fish(typed, after, fish_tty):
    # Fish decides the space itself: a lone candidate gets one unless it ends with one of / = @ : . , -
    assert fish_tty.tab(typed) == after + "\n"  # `commandline` prints the line and a newline


def test_zsh_autoloads_the_script_from_fpath(shell_env, tmp_path):
    need("zsh")
    session = ZshSession(shell_env, tmp_path, fpath=True)
    try:
        found, line = session.complete("zcli QueryVmInstance vmNics.l3Network.l2Network.zone.na")
    finally:
        session.close()
    assert found == ["vmNics.l3Network.l2Network.zone.name"]
    assert line == "zcli QueryVmInstance vmNics.l3Network.l2Network.zone.name"
