"""The ZStack API catalogue: zcli's single source of truth about APIs and inventories.

``load_catalog()`` gives the packaged catalogue with the user's own catalogue files laid over it
(see :mod:`zcli.catalog.overlay`). Nothing is parsed until it is asked for.
"""

from zcli.catalog.errors import BadCatalogFile, CatalogError, UnknownName
from zcli.catalog.model import (
    COMMON_PARAMS,
    Alias,
    Api,
    ApiSummary,
    Catalog,
    Field,
    FieldKind,
    Inventory,
    Link,
    Param,
    Resolved,
    type_kind,
)
from zcli.catalog.overlay import load_catalog

__all__ = ["COMMON_PARAMS", "Alias", "Api", "ApiSummary", "BadCatalogFile", "Catalog", "CatalogError", "Field",
           "FieldKind", "Inventory", "Link", "Param", "Resolved", "UnknownName", "load_catalog", "type_kind"]
