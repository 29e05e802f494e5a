"""Timestamp values of query conditions: the forms accepted, checked and converted before sending.

What the server accepts, from its source (zstackio/zstack):

* Every query goes through ZQL (``search/.../QueryFacadeImpl.queryUseZQL``); ``toZQLConditionString`` quotes
  the value as a string, and the ZQL condition (``zql/sql/SQLConditionBuilder``) puts it as a string literal
  beside the ``Timestamp`` column. MySQL then reads the string as a DATETIME: ``YYYY-MM-DD hh:mm:ss[.fraction]``
  (or a date alone). A string it cannot read compares as no date at all: the query quietly matches nothing,
  which is why ``createDate>garbage`` answered 0 rows.
* The query builder before ZQL (``query/MysqlQueryBuilderImpl3.doNormalizeValue``) used
  ``java.sql.Timestamp.valueOf``: ``yyyy-[m]m-[d]d hh:mm:ss[.f...]`` only.

So zcli sends ``YYYY-MM-DD hh:mm:ss[.fraction]``, which both read, and accepts, converted to it:

* that form itself, with ``T`` in place of the space (ISO 8601, no zone);
* a date alone, ``YYYY-MM-DD`` (midnight);
* the form zcli prints and the server answers in (Gson's ``MMM d, yyyy h:mm:ss a``): ``Mar 1, 2024 11:37:00 AM``.

The server keeps and compares times in its own local time, and prints them so: no time zone is converted.
"""

from __future__ import annotations

import re
from datetime import datetime

from zcli.errors import UsageError

_SQL = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})(?:[ T](\d{1,2}):(\d{2}):(\d{2})(\.\d{1,9})?)?$")
_PRINTED = re.compile(r"^([A-Za-z]{3})\w* (\d{1,2}), (\d{4}),? (\d{1,2}):(\d{2}):(\d{2}) ?([AaPp][Mm])$")
_MONTHS = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")
#: The forms named when a value is none of them.
FORMS = "2024-03-01 11:37:00, 2024-03-01T11:37:00, 2024-03-01 or Mar 1, 2024 11:37:00 AM"


def to_server_timestamp(value: str, word: str) -> str:
    """``value`` as the server's query reads a timestamp (``YYYY-MM-DD hh:mm:ss[.fraction]``).

    Raises:
        UsageError: ``value`` is none of the accepted forms (see the module docstring), or no real date.
    """
    text = value.strip()
    fraction = ""
    m = _SQL.match(text)
    try:
        if m:
            year, month, day, hour, minute, second, fraction = m.groups()
            when = datetime(int(year), int(month), int(day), int(hour or 0), int(minute or 0), int(second or 0))
            fraction = fraction or ""
        else:
            p = _PRINTED.match(text)
            if not p or p.group(1).lower() not in _MONTHS:
                raise ValueError
            month_name, day, year, hour, minute, second, half = p.groups()
            hour12 = int(hour)
            if not 1 <= hour12 <= 12:
                raise ValueError
            hour24 = hour12 % 12 + (12 if half.lower() == "pm" else 0)
            when = datetime(int(year), _MONTHS.index(month_name.lower()) + 1, int(day), hour24, int(minute),
                            int(second))
    except ValueError:
        raise UsageError(f"'{word}': '{value}' is not a time the server reads; use {FORMS}", word=word) from None
    return when.strftime("%Y-%m-%d %H:%M:%S") + fraction
