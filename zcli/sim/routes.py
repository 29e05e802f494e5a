"""REST paths → catalogue APIs, as the server maps them.

Every API is mounted at its path and its optional paths. Several APIs may share a path (``PUT
/vm-instances/{uuid}/actions`` is start, stop, reboot, update, ...): the method picks among them,
and for PUT the body's key names the action. A trailing slash does not matter, and a path with
fewer variables wins over one with more (``/vm-instances/appliances`` before ``/vm-instances/{uuid}``).
"""

from __future__ import annotations

from dataclasses import dataclass


class RouteError(Exception):
    """No API answers: ``status`` (400, 404, 405) and a plain-text message, as the server sends them."""

    def __init__(self, status: int, message: str):
        super().__init__(message)
        self.status = status
        self.message = message


@dataclass(frozen=True)
class Route:
    segments: tuple[str, ...]  # literal segments, or "{name}" variables
    api: str  # the API's name: its record is parsed only when a request needs it
    method: str

    def match(self, parts: list[str]) -> dict[str, str] | None:
        out: dict[str, str] = {}
        for seg, part in zip(self.segments, parts, strict=True):
            if seg.startswith("{"):
                out[seg[1:-1]] = part
            elif "{" in seg:  # a variable inside a segment: ``access-point{dataCenterUuid}``
                head, var = seg.split("{", 1)
                if not part.startswith(head) or len(part) == len(head):
                    return None
                out[var.rstrip("}")] = part[len(head):]
            elif seg != part:
                return None
        return out


def _split(path: str) -> list[str]:
    return [s for s in path.split("/") if s]


class Router:
    """Routes of every API of a catalogue, indexed by segment count."""

    def __init__(self, catalog):
        self._catalog = catalog
        self._routes: dict[int, list[Route]] = {}
        for name in catalog.api_names:
            method, paths = catalog.api_route(name)
            for path in dict.fromkeys(paths):
                if not path or path == "null":
                    continue
                segs = tuple(_split(path))
                self._routes.setdefault(len(segs), []).append(Route(segs, name, method))
        for routes in self._routes.values():
            # Literal segments first, left to right: the most specific pattern wins.
            routes.sort(key=lambda r: tuple(s.startswith("{") for s in r.segments))

    def match(self, method: str, path: str, body: dict | None) -> tuple[object, dict[str, str]]:
        """The API for a request and its path variables.

        Args:
            method: the HTTP method.
            path: the path after ``/zstack/v1``.
            body: the JSON body (a dict) for PUT/POST, used to pick the action.

        Raises:
            RouteError: no path matches (404), none with this method (405), or no action in the body (400).
        """
        parts = _split(path)
        groups: list[tuple[tuple[str, ...], list[tuple[object, dict]]]] = []
        for route in self._routes.get(len(parts), ()):
            found = route.match(parts)
            if found is None:
                continue
            shape = tuple("{}" if s.startswith("{") else s for s in route.segments)
            for g_shape, members in groups:
                if g_shape == shape:
                    members.append((route, found))
                    break
            else:
                groups.append((shape, [(route, found)]))
        if not groups:
            raise RouteError(404, f"no api mapping to /v1{path}")
        for _, members in groups:
            same = [(self._catalog.api(r.api), v) for r, v in members if r.method == method]
            if not same:
                continue
            if method == "PUT" and len(same) > 1:
                keys = set(body or ())
                chosen = [(a, v) for a, v in same if a.body_key in keys]
                if not chosen:
                    raise RouteError(400, f"the body doesn't contain action mapping to the URL[/v1{path}]")
                return chosen[0]
            if method == "GET" and len(same) > 1:
                same.sort(key=lambda av: not av[0].query)
            return same[0]
        raise RouteError(405, f"The method[{method}] is not allowed for the path[/v1{path}]")
