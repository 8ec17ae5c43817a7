"""The plan of the demo city: scales, district characters, road grid, block sizes.

The city is laid out on a grid of *base cells* (one cadastral precinct each) taken from
:data:`miasto.democity.names.DISTRICT_MAP`. Each base cell is split into ``k × k``
*superblocks* bounded by major roads; each superblock is cut into urban blocks by local
streets whose spacing depends on the district's character. Every coordinate of the road
grid is computed once and reused, so road segments meet exactly at junctions and parcels
share edges exactly.
"""

from __future__ import annotations

from dataclasses import dataclass

#: Centre of the old town in EPSG:2180 (lon 19.0, lat 51.5 transformed): easting, northing.
CENTRE_EN = (500_000.0, 403_716.85)


@dataclass(frozen=True)
class Scale:
    name: str
    cell: float  # side of a base cell (one precinct), metres
    k: int  # superblocks per base cell side


SCALES: dict[str, Scale] = {
    "small": Scale("small", 220.0, 1),
    "city": Scale("city", 1000.0, 1),
    "large": Scale("large", 4500.0, 5),
}


@dataclass(frozen=True)
class CharSpec:
    """How a district character is built."""

    block: tuple[float, float]  # target spacing of local streets (x, y), metres
    lot: tuple[float, float]  # lot frontage range, metres
    land_use: str  # EGiB land use class of built lots


CHARACTERS: dict[str, CharSpec] = {
    "old_town": CharSpec((95.0, 75.0), (11.0, 16.0), "B"),
    "tenement": CharSpec((150.0, 115.0), (18.0, 26.0), "B"),
    "estate": CharSpec((245.0, 195.0), (40.0, 60.0), "B"),
    "suburb": CharSpec((200.0, 70.0), (15.0, 20.0), "B"),
    "industrial": CharSpec((330.0, 230.0), (70.0, 130.0), "Ba"),
    "farmland": CharSpec((400.0, 280.0), (8.0, 16.0), "R"),
}

#: Half the width of the right of way per road class (blocks are inset by it).
HALF_WIDTH: dict[str, float] = {"GP": 20.0, "G": 15.0, "Z": 10.0, "L": 6.0, "D": 5.0}

#: Classes of major grid lines of the base layout (index of the base cell boundary);
#: the others are collector roads (Z). Boundary lines 0 and N are the city limits (no road).
VERTICAL_CLASS: dict[int, str] = {3: "G", 6: "GP"}
HORIZONTAL_CLASS: dict[int, str] = {3: "G", 5: "GP"}  # counted from the north
#: Road classes that cross the river (bridges); other roads stop at its banks.
BRIDGE_CLASSES = frozenset({"GP", "G"})
