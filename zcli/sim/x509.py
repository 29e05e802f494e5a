"""The fields of an X.509 certificate that CCSCertificateInventory shows, read from its PEM text (DER walked by
hand: the simulator takes no dependency for it): algorithm, issuer and subject DN, serial, validity."""

from __future__ import annotations

import base64
import binascii
import re

_NAMES = {"2.5.4.3": "CN", "2.5.4.6": "C", "2.5.4.7": "L", "2.5.4.8": "ST", "2.5.4.10": "O", "2.5.4.11": "OU",
          "1.2.840.113549.1.9.1": "E"}
_ALGORITHMS = {"1.2.156.10197.1.501": "SM3withSM2", "1.2.840.113549.1.1.11": "SHA256withRSA",
               "1.2.840.113549.1.1.5": "SHA1withRSA", "1.2.840.113549.1.1.12": "SHA384withRSA",
               "1.2.840.113549.1.1.13": "SHA512withRSA", "1.2.840.10045.4.3.2": "SHA256withECDSA",
               "1.2.840.10045.4.3.3": "SHA384withECDSA", "1.3.101.112": "Ed25519"}
_PEM = re.compile(r"-----BEGIN CERTIFICATE-----(.+?)-----END CERTIFICATE-----", re.S)


class BadCertificate(ValueError):
    pass


def _tlv(data: bytes, at: int) -> tuple[int, int, int]:
    """(tag, start of the value, end of the value) of the element at ``at``."""
    if at + 2 > len(data):
        raise BadCertificate("truncated")
    tag, size = data[at], data[at + 1]
    at += 2
    if size & 0x80:
        n = size & 0x7F
        if n == 0 or n > 4 or at + n > len(data):
            raise BadCertificate("bad length")
        size = int.from_bytes(data[at:at + n], "big")
        at += n
    if at + size > len(data):
        raise BadCertificate("truncated")
    return tag, at, at + size


def _children(data: bytes, start: int, end: int) -> list[tuple[int, int, int]]:
    out, at = [], start
    while at < end:
        tag, s, e = _tlv(data, at)
        out.append((tag, s, e))
        at = e
    return out


def _oid(raw: bytes) -> str:
    parts = [raw[0] // 40, raw[0] % 40]
    value = 0
    for b in raw[1:]:
        value = (value << 7) | (b & 0x7F)
        if not b & 0x80:
            parts.append(value)
            value = 0
    return ".".join(map(str, parts))


def _name(data: bytes, start: int, end: int) -> str:
    out = []
    for _, s, e in _children(data, start, end):  # SET of attribute type and value
        for _, s2, e2 in _children(data, s, e):
            (_, os_, oe), (_, vs, ve) = _children(data, s2, e2)[:2]
            oid = _oid(data[os_:oe])
            out.append(f"{_NAMES.get(oid, oid)}={data[vs:ve].decode('utf-8', 'replace')}")
    return ", ".join(out)


def _time(tag: int, raw: bytes) -> str:
    text = raw.decode("ascii").rstrip("Z")
    if tag == 0x17:  # UTCTime: two-digit year
        year = int(text[:2])
        text = f"{1900 + year if year >= 50 else 2000 + year}{text[2:]}"
    return f"{text[0:4]}-{text[4:6]}-{text[6:8]} {text[8:10]}:{text[10:12]}:{text[12:14] or '00'}"


def parse(pem: str) -> dict:
    """The certificate's fields (``algorithm``, ``format``, ``issuerDN``, ``subjectDN``, ``serNumber``,
    ``effectiveTime``, ``expirationTime`` as stored dates), or :class:`BadCertificate`."""
    m = _PEM.search(pem or "")
    if not m:
        raise BadCertificate("no PEM certificate (-----BEGIN CERTIFICATE-----) is found")
    try:
        der = base64.b64decode("".join(m.group(1).split()), validate=True)
        _, s, e = _tlv(der, 0)
        tbs, alg = _children(der, s, e)[:2]
        fields = _children(der, tbs[1], tbs[2])
        if fields and fields[0][0] == 0xA0:  # [0] version
            fields = fields[1:]
        serial, _, issuer, validity, subject = fields[:5]
        (t1, s1, e1), (t2, s2, e2) = _children(der, validity[1], validity[2])[:2]
        alg_oid = _children(der, alg[1], alg[2])[0]
        oid = _oid(der[alg_oid[1]:alg_oid[2]])
        return {"algorithm": _ALGORITHMS.get(oid, oid), "format": "X.509",
                "serNumber": format(int.from_bytes(der[serial[1]:serial[2]], "big"), "x"),
                "issuerDN": _name(der, issuer[1], issuer[2]), "subjectDN": _name(der, subject[1], subject[2]),
                "effectiveTime": _time(t1, der[s1:e1]), "expirationTime": _time(t2, der[s2:e2])}
    except (BadCertificate, binascii.Error, ValueError, IndexError) as e:
        raise BadCertificate(f"not an X.509 certificate: {e}") from None
