"""The OGC API's small town (tests/ogcapi/conftest.py) serves the WFS tests too."""

from tests.datahub.test_api_permissions import hub  # noqa: F401
from tests.ogcapi.conftest import _fresh_extents, town  # noqa: F401
from tests.ogcapi.test_live import live_town  # noqa: F401
from tests.planning.conftest import mpzp  # noqa: F401
