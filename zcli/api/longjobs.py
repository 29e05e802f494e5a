"""Long jobs: SubmitLongJob answers at once with a job ``Waiting``; zcli waits for it as for an api-job.

The job is polled (``GET /v1/longjobs/{uuid}``, backing off as api-jobs are) until it is ``Succeeded``,
``Failed`` or ``Canceled``; the reply is then the job's final inventory. A failed or canceled job is an
API error naming the job, with the error its ``jobResult`` holds.
"""

from __future__ import annotations

import json

from zcli.api.jobs import wait_for_job
from zcli.api.replies import reply_or_raise
from zcli.errors import ApiError

DONE = ("Succeeded", "Failed", "Canceled")


def _failure(job: dict) -> ApiError:
    try:
        result = json.loads(job.get("jobResult") or "{}")
    except ValueError:
        result = {}
    err = result.get("error") if isinstance(result, dict) else None
    if isinstance(err, dict):
        return ApiError(str(err.get("code") or "LONGJOB"), str(err.get("description") or ""),
                        f"long job[uuid:{job.get('uuid')}] {job.get('state')}: {err.get('details') or ''}")
    return ApiError("LONGJOB", f"the long job {job.get('state', '').lower()}", f"long job[uuid:{job.get('uuid')}]")


def follow(client, reply: dict, headers: dict, deadline) -> dict:
    """Wait for the long job of a SubmitLongJob ``reply``; its final reply (``{"inventory": job}``).

    Raises:
        ApiError: the job failed or was canceled.
    """
    job = (reply or {}).get("inventory") or {}
    if not job.get("uuid") or job.get("state") in DONE:
        return reply
    path = f"/v1/longjobs/{job['uuid']}"
    url = f"{client.node}{path}"

    def poll() -> dict | None:  # on the node in use, signed or with the session as every request (client.py)
        r = client._exchange("GET", path, headers=headers, deadline=deadline, retry=True, auth=True)
        found = reply_or_raise(r.status_code, r.content, r.headers.get("Content-Type", ""), client.node,
                               authorized=True).get("inventories") or []
        if not found:
            raise ApiError("LONGJOB", "the long job is gone", url)
        return found[0] if found[0].get("state") in DONE else None

    done = wait_for_job(poll, url=url, deadline=deadline.job_deadline(None), clock=client.clock, sleep=client.sleep,
                        on_wait=client.on_wait)
    if done.get("state") != "Succeeded":
        raise _failure(done)
    return {"inventory": done}
