"""Code lists shared by the presets: building classes (PKOB, KŚT) → the spine's building uses."""

from __future__ import annotations

from miasto.datahub.presets.base import ValueMap

#: PKOB classes (Polska Klasyfikacja Obiektów Budowlanych), the EGiB ``klasaWgPKOB`` and the
#: BDOT10k ``funOgolnaBudynku`` → ``territory.Building.Use``
PKOB_USES = ValueMap(
    {
        "1110": "single_family",
        "1121": "multi_family",
        "1122": "multi_family",
        "1130": "multi_family",
        "1211": "services",
        "1212": "services",
        "1220": "services",
        "1230": "services",
        "1241": "utility",
        "1242": "utility",
        "1251": "industrial",
        "1252": "industrial",
        "1261": "public",
        "1262": "public",
        "1263": "public",
        "1264": "public",
        "1265": "public",
        "1271": "farm",
        "1272": "public",
        "1273": "public",
        "1274": "utility",
    },
    default="utility",
    prefix=4,
)

#: KŚT groups of buildings (Klasyfikacja Środków Trwałych, EGiB ``rodzajWgKST``) → uses; KŚT
#: does not tell a house from a block of flats (PKOB does, and is used first)
KST_USES = ValueMap(
    {
        "101": "industrial",
        "102": "utility",
        "103": "services",
        "104": "industrial",
        "105": "services",
        "106": "public",
        "107": "public",
        "108": "farm",
        "109": "utility",
        "110": "single_family",
    },
    default="utility",
    prefix=3,
)

HECTARES = 10_000.0  # m² in a hectare
