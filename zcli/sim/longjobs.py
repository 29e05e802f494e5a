"""Long jobs: SubmitLongJob runs an API as a job that goes Waiting → Running → Succeeded or Failed.

As on the server, ``jobName`` names the API message the job carries out (``APIAddImageMsg``, or the API's
own name) and ``jobData`` is that message as JSON. The job is answered at once, ``Waiting``; a worker
starts it (``Running``), reports progress (GetTaskProgress with the job's ``apiId``: 0 to 100 in tenths of
the run time, on the simulator's clock), then carries out the API: ``Succeeded`` with the reply as
``jobResult``, or ``Failed`` with the error. CancelLongJob stops a job that has not finished
(``Canceled``); DeleteLongJob removes a finished one; RerunLongJob runs a finished one again.
"""

from __future__ import annotations

import json
import threading
import uuid as uuidlib

from zcli.sim.clock import wait_until
from zcli.sim.failures import Failure, argerr

_TABLE = "LongJobInventory"
RUN_SECONDS = 2.0  # how long a long job runs, on the simulator's clock
_STEPS = 10
_DONE = ("Succeeded", "Failed", "Canceled")


class LongJobs:
    """Long jobs against the writer's store; each runs on a thread of its own, timed by the clock."""

    PLAN = "long job: Waiting → Running (progress) → Succeeded/Failed, carrying out the API it names"

    def __init__(self, writer):
        self.writer = writer
        self.store = writer.store
        self.clock = writer.clock
        self._progress: dict[str, int] = {}
        self._cancel: dict[str, threading.Event] = {}
        self._lock = threading.Lock()
        self.stop = threading.Event()

    def handlers(self) -> dict:
        return {"SubmitLongJob": self.submit, "CancelLongJob": self.cancel, "DeleteLongJob": self.delete,
                "RerunLongJob": self.rerun, "GetTaskProgress": self.progress}

    def _api_of(self, job_name: str):
        name = job_name[3:-3] if job_name.startswith("API") and job_name.endswith("Msg") else job_name
        catalog = self.writer.catalog
        if not catalog.has_api(name) or catalog.api(name).query:
            raise argerr(f"unsupported job name[{job_name}]: no API message of that name can run as a long job")
        return catalog.api(name)

    def _job(self, uuid_: str) -> dict:
        return self.writer._get(_TABLE, uuid_)

    def _set(self, uuid_: str, **changes) -> dict:
        return self.writer.update(_TABLE, uuid_, changes)

    def submit(self, api, params: dict, account=None):
        target = self._api_of(params["jobName"])
        try:
            data = json.loads(params["jobData"]) if isinstance(params["jobData"], str) else params["jobData"]
        except ValueError:
            raise argerr("jobData must be the JSON of the API message") from None
        if not isinstance(data, dict):
            raise argerr("jobData must be a JSON object")
        row = {"uuid": params.get("resourceUuid") or uuidlib.uuid4().hex, "name": params.get("name") or target.name,
               "description": params.get("description"), "apiId": uuidlib.uuid4().hex,
               "jobName": params["jobName"], "jobData": params["jobData"] if isinstance(params["jobData"], str)
               else json.dumps(data), "state": "Waiting", "targetResourceUuid": params.get("targetResourceUuid"),
               "managementNodeUuid": "0" * 32}
        row["createDate"] = row["lastOpDate"] = self.writer.now()
        with self.store.transaction() as cur:
            self.store.insert_many(cur, _TABLE, [row])
        self._start(row["uuid"], row["apiId"], target, data, account)
        return self.writer._reply(api, self._job(row["uuid"]))

    def _start(self, uuid_: str, api_id: str, target, data: dict, account) -> None:
        cancel = threading.Event()
        with self._lock:
            self._cancel[uuid_] = cancel
            self._progress[api_id] = 0
        threading.Thread(target=self._run, args=(uuid_, api_id, target, data, account, cancel),
                         name=f"sim-longjob-{uuid_[:8]}", daemon=True).start()

    def _run(self, uuid_: str, api_id: str, target, data: dict, account, cancel: threading.Event) -> None:
        try:
            started = self.clock.time()
            self._set(uuid_, state="Running")
            for step in range(1, _STEPS + 1):
                if not wait_until(self.clock, started + RUN_SECONDS * step / _STEPS, cancel) or self.stop.is_set():
                    return
                with self._lock:
                    self._progress[api_id] = step * 100 // _STEPS
            params = dict(data.get(target.body_key) or data) if target.body_key else dict(data)
            status, reply = self.writer.run(target, params, account=account)
            if cancel.is_set():
                return
            self._set(uuid_, state="Succeeded" if status == 200 else "Failed", jobResult=json.dumps(reply),
                      executeTime=int(self.clock.time() - started))
        except Exception as exc:  # the job must end, as a failure, whatever the API did
            try:
                self._set(uuid_, state="Failed", jobResult=json.dumps({"error": repr(exc)}))
            except Exception:  # the simulator is closing
                pass

    def cancel(self, api, params: dict, account=None):
        job = self._job(params["uuid"])
        if job.get("state") in _DONE:
            raise Failure("SYS.1006", "An operation failed",
                          f"long job[uuid:{job['uuid']}] is {job['state']}: only a waiting or running job can be "
                          "canceled")
        with self._lock:
            event = self._cancel.get(job["uuid"])
        if event is not None:
            event.set()
        self._set(job["uuid"], state="Canceled")
        return None

    def delete(self, api, params: dict, account=None):
        job = self._job(params["uuid"])
        if job.get("state") not in _DONE:
            raise Failure("SYS.1006", "An operation failed",
                          f"long job[uuid:{job['uuid']}] is {job.get('state')}: cancel it before deleting it")
        self.writer.delete(_TABLE, job["uuid"])
        return None

    def rerun(self, api, params: dict, account=None):
        job = self._job(params["uuid"])
        if job.get("state") not in _DONE:
            raise Failure("SYS.1006", "An operation failed", f"long job[uuid:{job['uuid']}] is still {job['state']}")
        target = self._api_of(job["jobName"])
        api_id = uuidlib.uuid4().hex
        self._set(job["uuid"], state="Waiting", apiId=api_id, jobResult=None)
        self._start(job["uuid"], api_id, target, json.loads(job["jobData"]), account)
        return self.writer._reply(api, self._job(job["uuid"]))

    def progress(self, api, params: dict, account=None):
        api_id = params.get("apiId")
        with self._lock:
            pct = self._progress.get(api_id)
        if pct is None:
            return {"inventories": []}
        return {"inventories": [{"taskUuid": api_id, "taskName": "long job", "type": "Progress",
                                 "content": str(pct), "time": int(self.clock.time() * 1000)}]}
