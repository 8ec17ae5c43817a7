"""Generate the demo city in memory, vectorised with numpy and shapely 2.

:func:`generate` returns a :class:`CityData`: one :class:`Table` of plain column arrays per
territory table, with primary keys assigned from 1 and geometries as shapely arrays in
EPSG:2180. Nothing here touches the database (see :mod:`miasto.democity.loader`).

Determinism: all randomness comes from one ``numpy.random.default_rng(seed)`` consumed in a
fixed order; no set or dict iteration order is relied upon beyond insertion order.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field, replace
from typing import Any

import numpy as np
import shapely
from numpy.typing import NDArray

from miasto.democity import layout, names
from miasto.democity.layout import CHARACTERS, HALF_WIDTH, Scale

F = NDArray[np.float64]
Ints = NDArray[np.int64]


@dataclass
class Table:
    """Columns of one table, in load order; ``geometry`` columns hold shapely arrays."""

    name: str
    columns: dict[str, Any]

    def __len__(self) -> int:
        return len(next(iter(self.columns.values()))) if self.columns else 0


@dataclass
class CityData:
    tables: dict[str, Table] = field(default_factory=dict)
    stats: dict[str, Any] = field(default_factory=dict)

    def add(self, table_name: str, /, **columns: Any) -> Table:
        table = Table(table_name, columns)
        self.tables[table_name] = table
        return table


# ----------------------------------------------------------------------------- helpers


def _polygonal(geoms: NDArray[Any]) -> NDArray[Any]:
    """Keep only the polygonal parts of each geometry, as MultiPolygons (None when empty)."""
    parts, idx = shapely.get_parts(geoms, return_index=True)
    keep = (shapely.get_type_id(parts) == 3) & (shapely.area(parts) > 0.0)
    out = np.full(len(geoms), None, dtype=object)
    if keep.any():
        present = np.unique(idx[keep])
        out[present] = shapely.multipolygons(
            parts[keep], indices=np.searchsorted(present, idx[keep])
        )
    return out


def _to_multi(geoms: NDArray[Any]) -> NDArray[Any]:
    parts, index = shapely.get_parts(geoms, return_index=True)
    return np.asarray(shapely.multipolygons(parts, indices=index), dtype=object)


def _group_rank(keys: list[NDArray[Any]]) -> tuple[Ints, Ints]:
    """Order rows by ``keys`` (last key primary, like np.lexsort); rank within the primary key."""
    order = np.lexsort(keys)
    primary = keys[-1][order]
    start = np.r_[True, primary[1:] != primary[:-1]]
    group_start = np.maximum.accumulate(np.where(start, np.arange(len(order)), 0))
    rank = np.empty(len(order), dtype=np.int64)
    rank[order] = np.arange(len(order)) - group_start
    return order, rank


def _pick(rng: np.random.Generator, candidates: Ints, count: int) -> Ints:
    if count <= 0 or len(candidates) == 0:
        return np.empty(0, dtype=np.int64)
    return np.sort(rng.choice(candidates, size=min(count, len(candidates)), replace=False))


# ----------------------------------------------------------------------------- the road grid


@dataclass
class Grid:
    """Superblocks, their local street positions, and all road lines."""

    major_x: F  # x of the vertical major lines, west → east (index: line)
    major_y: F  # y of the horizontal major lines, north → south (index: line)
    columns: int  # superblocks west → east
    rows: int  # superblocks north → south
    superblock_character: list[str]  # per superblock (row-major, north first)
    superblock_district: list[str]  # the district letter of each superblock
    superblock_xs: list[F]  # vertical line positions incl. the superblock's boundaries
    superblock_ys: list[F]  # horizontal line positions (south → north) incl. boundaries
    # streets (index: street) and their segments, kept as python lists while built
    street_name: list[str] = field(default_factory=list)
    street_kind: list[str] = field(default_factory=list)
    street_class: list[str] = field(default_factory=list)
    segment_coords: list[F] = field(default_factory=list)  # (n, 4) x0 y0 x1 y1
    segment_street: list[Ints] = field(default_factory=list)
    #: major line index → its street
    vertical_major: dict[int, int] = field(default_factory=dict)
    horizontal_major: dict[int, int] = field(default_factory=dict)
    #: per superblock: the street of each inner vertical / horizontal line
    local_vertical: list[list[int]] = field(default_factory=list)
    local_horizontal: list[list[int]] = field(default_factory=list)

    def superblock(self, column: int, row: int) -> int:
        return row * self.columns + column

    def add_street(self, name: str, road_class: str) -> int:
        self.street_name.append(name)
        self.street_kind.append("al." if road_class in ("GP", "G") else "ul.")
        self.street_class.append(road_class)
        return len(self.street_name) - 1

    def add_segments(self, street: int, fixed: float, cuts: F, vertical: bool) -> None:
        """The segments of ``street`` at ``fixed`` (x if ``vertical``), between the cuts."""
        starts, ends = cuts[:-1], cuts[1:]
        position = np.full(len(starts), fixed)
        columns = (
            [position, starts, position, ends] if vertical else [starts, position, ends, position]
        )
        self.segment_coords.append(np.column_stack(columns))
        self.segment_street.append(np.full(len(starts), street, dtype=np.int64))


def _split_positions(lo: float, hi: float, n: int) -> F:
    """``n`` equal parts of [lo, hi]: the n+1 cut positions, ends exactly lo and hi."""
    inner = [lo + (hi - lo) * (j / n) for j in range(1, n)]
    return np.array([lo, *inner, hi], dtype=np.float64)


def build_grid(scale: Scale) -> Grid:
    cells_x, cells_y = len(names.DISTRICT_MAP[0]), len(names.DISTRICT_MAP)
    k = scale.k
    east, north = layout.CENTRE_EN
    west = east - 2.5 * scale.cell
    top = north + 3.5 * scale.cell
    side = scale.cell / k  # of a superblock
    major_x = np.array([west + line * side for line in range(cells_x * k + 1)])
    major_y = np.array([top - line * side for line in range(cells_y * k + 1)])
    columns, rows = cells_x * k, cells_y * k
    characters: list[str] = []
    districts: list[str] = []
    xs_list: list[F] = []
    ys_list: list[F] = []
    for row in range(rows):
        for column in range(columns):
            letter = names.DISTRICT_MAP[row // k][column // k]
            character = names.DISTRICTS[letter][2]
            spec = CHARACTERS[character]
            local_x = max(1, round(side / spec.block[0]))
            local_y = max(1, round(side / spec.block[1]))
            xs_list.append(_split_positions(major_x[column], major_x[column + 1], local_x))
            ys_list.append(_split_positions(major_y[row + 1], major_y[row], local_y))
            characters.append(character)
            districts.append(letter)
    return Grid(major_x, major_y, columns, rows, characters, districts, xs_list, ys_list)


def _major_class(index: int, k: int, table: dict[int, str]) -> str:
    return table.get(index // k, "Z") if index % k == 0 else "Z"


class _StreetNames:
    """Street names handed out once each: preferred lists first, then a shuffled pool."""

    def __init__(self, count: int, rng: np.random.Generator) -> None:
        pool = names.street_names(count)
        self.pool = [pool[i] for i in rng.permutation(len(pool))]
        self.avenues = list(names.AVENUES)
        self.majors = list(names.MAJOR)
        self.used: set[str] = set()

    def take(self, preferred: list[str]) -> str:
        while preferred:
            name = preferred.pop(0)
            if name not in self.used:
                self.used.add(name)
                return name
        while True:
            name = self.pool.pop()
            if name not in self.used:
                self.used.add(name)
                return name

    def major(self, road_class: str) -> str:
        return self.take(self.avenues if road_class in ("GP", "G") else self.majors)


def build_roads(grid: Grid, k: int, rng: np.random.Generator) -> None:
    """Fill ``grid`` with streets and segments split at every junction."""
    local_count = sum(
        len(xs) - 2 + len(ys) - 2
        for xs, ys in zip(grid.superblock_xs, grid.superblock_ys, strict=True)
    )
    street_names = _StreetNames(local_count + grid.columns - 1 + grid.rows - 1, rng)
    _add_major_streets(grid, k, street_names)
    _add_local_streets(grid, street_names)


def _add_major_streets(grid: Grid, k: int, street_names: _StreetNames) -> None:
    """One street per major line, split where local streets of either side end."""
    vertical = [
        (line, _major_class(line, k, layout.VERTICAL_CLASS)) for line in range(1, grid.columns)
    ]
    horizontal = [
        (line, _major_class(line, k, layout.HORIZONTAL_CLASS)) for line in range(1, grid.rows)
    ]
    for line, road_class in vertical:
        street = grid.vertical_major[line] = grid.add_street(
            street_names.major(road_class), road_class
        )
        for row in range(grid.rows):
            west = grid.superblock_ys[grid.superblock(line - 1, row)]
            east = grid.superblock_ys[grid.superblock(line, row)]
            cuts = np.unique(np.concatenate([west, east]))
            grid.add_segments(street, grid.major_x[line], cuts, vertical=True)
    for line, road_class in horizontal:
        street = grid.horizontal_major[line] = grid.add_street(
            street_names.major(road_class), road_class
        )
        for column in range(grid.columns):
            north = grid.superblock_xs[grid.superblock(column, line - 1)]
            south = grid.superblock_xs[grid.superblock(column, line)]
            cuts = np.unique(np.concatenate([north, south]))
            grid.add_segments(street, grid.major_y[line], cuts, vertical=False)


def _local_class(farmland: bool, index: int) -> str:
    """Access roads (D) on farmland and on every other line, local streets (L) between."""
    return "D" if farmland or index % 2 == 0 else "L"


def _add_local_streets(grid: Grid, street_names: _StreetNames) -> None:
    """One street per inner line of each superblock."""
    for index, (xs, ys) in enumerate(zip(grid.superblock_xs, grid.superblock_ys, strict=True)):
        farmland = grid.superblock_character[index] == "farmland"
        verticals, horizontals = [], []
        for i in range(1, len(xs) - 1):
            street = grid.add_street(street_names.take([]), _local_class(farmland, i))
            grid.add_segments(street, xs[i], ys, vertical=True)
            verticals.append(street)
        for j in range(1, len(ys) - 1):
            street = grid.add_street(street_names.take([]), _local_class(farmland, j))
            grid.add_segments(street, ys[j], xs, vertical=False)
            horizontals.append(street)
        grid.local_vertical.append(verticals)
        grid.local_horizontal.append(horizontals)


def largest_component(coords: F) -> NDArray[np.bool_]:
    """Mask of segments in the largest connected component (endpoints matched exactly)."""
    ends = np.concatenate([coords[:, 0:2], coords[:, 2:4]])
    _, node = np.unique(ends, axis=0, return_inverse=True)
    node = node.ravel()
    count = len(coords)
    start, end = node[:count], node[count:]
    parent = list(range(int(node.max()) + 1 if count else 0))  # union-find over the nodes

    def find(vertex: int) -> int:
        while parent[vertex] != vertex:
            parent[vertex] = parent[parent[vertex]]
            vertex = parent[vertex]
        return vertex

    for first, second in zip(start.tolist(), end.tolist(), strict=True):
        root_first, root_second = find(first), find(second)
        if root_first != root_second:
            parent[max(root_first, root_second)] = min(root_first, root_second)
    roots = np.array([find(int(vertex)) for vertex in start])
    values, counts = np.unique(roots, return_counts=True)
    return roots == values[np.argmax(counts)]


# ----------------------------------------------------------------------------- natural features


@dataclass
class Nature:
    river: Any  # water surface
    bank: Any  # water plus towpath: no lots, no local roads
    flood_1pct: Any
    flood_risk: Any
    forest: Any
    reserve: Any
    natura: Any


def build_nature(grid: Grid, scale: Scale, city: Any, rng: np.random.Generator) -> Nature:
    k, cell = scale.k, scale.cell
    north, south = grid.major_y[4 * k], grid.major_y[5 * k]  # the valley row of base cells
    middle = (north + south) / 2
    phase, phase2 = rng.uniform(0, 2 * np.pi, 2)
    # the river: a meander of two sine waves along the valley, sampled every 10 m
    x = np.arange(grid.major_x[0] - cell, grid.major_x[-1] + cell, 10.0)
    y = (
        middle
        + 0.22 * cell * np.sin(2 * np.pi * x / (2.6 * cell) + phase)
        + 0.06 * cell * np.sin(2 * np.pi * x / (1.1 * cell) + phase2)
    )
    centre = shapely.linestrings(np.column_stack([x, y]))
    half = float(np.clip(0.02 * cell, 12.0, 30.0))
    river = shapely.intersection(shapely.buffer(centre, half), city)
    bank = shapely.buffer(centre, half + 8.0)
    flood_1pct = shapely.intersection(shapely.buffer(centre, max(70.0, 0.3 * cell)), city)
    flood_risk = shapely.intersection(shapely.buffer(centre, max(110.0, 0.47 * cell)), city)
    west = grid.major_x[0]
    forest = shapely.union(  # the valley forest: at least 20 ha at every scale
        shapely.box(west, south - 0.6 * cell, west + cell, north),
        shapely.box(west, south, west + max(2.0 * cell, 1000.0), north),
    )
    forest = shapely.difference(forest, bank)
    reserve = shapely.intersection(shapely.buffer(forest, -0.12 * cell), flood_1pct)
    outside_centre = shapely.union(
        shapely.box(west - cell, south - cell, west + 2.5 * cell, north + cell),
        shapely.box(west + 5.5 * cell, south - cell, grid.major_x[-1] + cell, north + cell),
    )
    natura = shapely.intersection(flood_risk, outside_centre)
    return Nature(river, bank, flood_1pct, flood_risk, forest, reserve, natura)


# ----------------------------------------------------------------------------- blocks


@dataclass
class Blocks:
    geom: NDArray[Any]
    box: F  # (n, 4) xmin ymin xmax ymax before clipping
    clipped: NDArray[np.bool_]
    side: Ints  # (n, 4) street at left, right, bottom, top (-1: none)
    cell: Ints  # base cell (precinct) index
    letter: NDArray[Any]
    char: NDArray[Any]
    special: NDArray[Any]  # "" or park/school/...


#: One block: its box (inset from the street centrelines), its streets at left, right, bottom,
#: top (-1: none), base cell, district letter and character.
BlockRow = tuple[float, float, float, float, int, int, int, int, int, str, str]


def _inset(grid: Grid, street: int) -> float:
    """How far a block's edge lies from the centreline of ``street`` (half its width)."""
    return HALF_WIDTH[grid.street_class[street]] if street >= 0 else 0.0


def _superblock_blocks(grid: Grid, column: int, row: int, k: int) -> list[BlockRow]:
    """The blocks between the streets of one superblock, south → north, west → east."""
    index = grid.superblock(column, row)
    xs, ys = grid.superblock_xs[index], grid.superblock_ys[index]
    verticals, horizontals = grid.local_vertical[index], grid.local_horizontal[index]
    cell = (row // k) * len(names.DISTRICT_MAP[0]) + column // k
    blocks: list[BlockRow] = []
    for j in range(len(ys) - 1):
        bottom = grid.horizontal_major.get(row + 1, -1) if j == 0 else horizontals[j - 1]
        top = grid.horizontal_major.get(row, -1) if j == len(ys) - 2 else horizontals[j]
        for i in range(len(xs) - 1):
            left = grid.vertical_major.get(column, -1) if i == 0 else verticals[i - 1]
            right = grid.vertical_major.get(column + 1, -1) if i == len(xs) - 2 else verticals[i]
            blocks.append(
                (
                    xs[i] + _inset(grid, left),
                    ys[j] + _inset(grid, bottom),
                    xs[i + 1] - _inset(grid, right),
                    ys[j + 1] - _inset(grid, top),
                    left,
                    right,
                    bottom,
                    top,
                    cell,
                    grid.superblock_district[index],
                    grid.superblock_character[index],
                )
            )
    return blocks


def build_blocks(grid: Grid, nature: Nature) -> Blocks:
    k = grid.columns // len(names.DISTRICT_MAP[0])
    rows: list[BlockRow] = []
    for row in range(grid.rows):
        for column in range(grid.columns):
            rows.extend(_superblock_blocks(grid, column, row, k))
    box = np.array([r[:4] for r in rows], dtype=np.float64)
    side = np.array([r[4:8] for r in rows], dtype=np.int64)
    geom = shapely.box(box[:, 0], box[:, 1], box[:, 2], box[:, 3])
    clipped = shapely.intersects(geom, nature.bank)
    keep = np.ones(len(rows), dtype=bool)
    for i in np.flatnonzero(clipped):
        rest = shapely.get_parts(shapely.difference(geom[i], nature.bank))
        rest = rest[shapely.get_type_id(rest) == 3]
        if len(rest) == 0:
            keep[i] = False
            continue
        largest = rest[np.argmax(shapely.area(rest))]
        if shapely.area(largest) < 0.3 * shapely.area(geom[i]):
            keep[i] = False
        else:
            geom[i] = largest
    return Blocks(
        geom=geom[keep],
        box=box[keep],
        clipped=clipped[keep],
        side=side[keep],
        cell=np.array([r[8] for r in rows], dtype=np.int64)[keep],
        letter=np.array([r[9] for r in rows], dtype=object)[keep],
        char=np.array([r[10] for r in rows], dtype=object)[keep],
        special=np.full(int(keep.sum()), "", dtype=object),
    )


#: Whole-block public sites per district letter at the ``city`` scale: kind → count.
SPECIAL_BLOCKS: dict[str, dict[str, int]] = {
    "O": {"school": 1},
    "T": {"school": 3, "park": 2, "sports": 1, "hospital": 1, "secondary": 1},
    "E": {"school": 2, "park": 1, "sports": 1, "secondary": 1},
    "K": {"school": 1, "park": 1, "sports": 1},
    "S": {"school": 1, "park": 1},
    "B": {"school": 1, "sports": 1},
    "N": {"school": 1, "park": 1},
    "I": {},
    "A": {},
    "W": {"sports": 1},
    "Z": {},  # the new suburb: no school, no park (a deliberate gap)
    "C": {},
}


def choose_special_blocks(blocks: Blocks, nature: Nature, k: int, rng: np.random.Generator) -> None:
    centroid = shapely.centroid(blocks.geom)
    free = ~blocks.clipped
    free &= ~shapely.intersects(blocks.geom, nature.forest)
    free &= ~shapely.within(centroid, nature.flood_1pct)
    for letter, wanted in SPECIAL_BLOCKS.items():
        candidates = np.flatnonzero(free & (blocks.letter == letter))
        limit = max(1, len(candidates) // 3)
        for kind, count in wanted.items():
            if kind == "park":  # prefer big blocks for parks (≥ 3 ha where possible)
                big = candidates[shapely.area(blocks.geom[candidates]) >= 30_000]
                pool = big if len(big) else candidates
            else:
                pool = candidates
            pool = pool[blocks.special[pool] == ""]
            chosen = _pick(rng, pool, min(count * k * k, limit))
            blocks.special[chosen] = kind
            limit -= len(chosen)


# ----------------------------------------------------------------------------- lots (parcels)


@dataclass
class Lots:
    """Parcels in a block frame: along the front street [start, end], across [lo, hi]."""

    block: Ints
    parcel_block: Ints  # block the parcel lies in (-1: a detached piece of a clipped block)
    orient: Ints  # 0: front street horizontal (along = x), 1: vertical (along = y)
    row: Ints
    start: F
    end: F
    lo: F
    hi: F
    front: F  # across coordinate of the front edge
    direction: F  # +1 if the lot extends to larger across values from the front
    street: Ints  # front street (-1: none)
    geom: NDArray[Any]
    land_use: NDArray[Any]
    buildable: NDArray[np.bool_]


@dataclass
class _BlockFrames:
    """Each block in its own frame: ``along`` its longer side, ``across`` it."""

    orient: Ints  # 0: along = x, 1: along = y
    along_start: F
    along_end: F
    across_start: F
    across_end: F

    @classmethod
    def of(cls, blocks: Blocks) -> _BlockFrames:
        box = blocks.box
        width, height = box[:, 2] - box[:, 0], box[:, 3] - box[:, 1]
        orient = (height > width).astype(np.int64)
        return cls(
            orient=orient,
            along_start=np.where(orient == 0, box[:, 0], box[:, 1]),
            along_end=np.where(orient == 0, box[:, 2], box[:, 3]),
            across_start=np.where(orient == 0, box[:, 1], box[:, 0]),
            across_end=np.where(orient == 0, box[:, 3], box[:, 2]),
        )


@dataclass
class _LotFrames:
    """Every lot before clipping, in its block's frame (see :class:`Lots`)."""

    block: Ints
    row: Ints
    start: F
    end: F
    lo: F = field(default_factory=lambda: np.empty(0))
    hi: F = field(default_factory=lambda: np.empty(0))
    front: F = field(default_factory=lambda: np.empty(0))
    direction: F = field(default_factory=lambda: np.empty(0))
    orient: Ints = field(default_factory=lambda: np.empty(0, dtype=np.int64))


def _cut_lots(blocks: Blocks, frames: _BlockFrames, rng: np.random.Generator) -> _LotFrames:
    """Cut each block's rows into lots of its character's frontage (jittered): the spans
    along the block. Ordinary blocks have two rows back to back, special blocks one lot."""
    special = blocks.special != ""
    mean = np.array([sum(CHARACTERS[c].lot) / 2 for c in blocks.char])
    block_count = len(blocks.geom)
    # groups: (block, row)
    group_block = np.concatenate([np.arange(block_count), np.flatnonzero(~special)])
    group_row = np.concatenate(
        [np.zeros(block_count, dtype=np.int64), np.ones(int((~special).sum()), np.int64)]
    )
    order = np.lexsort([group_row, group_block])
    group_block, group_row = group_block[order], group_row[order]
    along = frames.along_end - frames.along_start
    jitter = rng.uniform(0.9, 1.1, len(group_block))
    lots_in_group = np.maximum(
        1, np.round(along[group_block] / (mean[group_block] * jitter))
    ).astype(np.int64)
    lots_in_group[special[group_block]] = 1
    total = int(lots_in_group.sum())
    group = np.repeat(np.arange(len(group_block)), lots_in_group)
    first_lot = np.concatenate([[0], np.cumsum(lots_in_group)[:-1]])
    rank = np.arange(total) - first_lot[group]
    widths = rng.uniform(0.75, 1.25, total)
    cumulative = np.cumsum(widths)
    group_start = cumulative[first_lot] - widths[first_lot]
    group_width = cumulative[first_lot + lots_in_group - 1] - group_start
    fraction = (cumulative - group_start[group]) / group_width[group]
    first_cut = first_lot + np.arange(len(group_block))  # each group has n + 1 cuts
    cuts = np.empty(total + len(group_block))
    block = group_block[group]
    cuts[first_cut[group] + rank + 1] = frames.along_start[block] + fraction * along[block]
    cuts[first_cut] = frames.along_start[group_block]
    cuts[first_cut + lots_in_group] = frames.along_end[group_block]  # exact block ends
    return _LotFrames(
        block=block,
        row=group_row[group],
        start=cuts[first_cut[group] + rank],
        end=cuts[first_cut[group] + rank + 1],
    )


def _place_lots(blocks: Blocks, frames: _BlockFrames, lots: _LotFrames) -> None:
    """Each lot's depth across its block: row 0 from the block's start to its middle, row 1
    from the middle to the end (a special block's single lot: all of it)."""
    block, row = lots.block, lots.row
    middle = (frames.across_start + frames.across_end) / 2
    single = (blocks.special != "")[block]
    lots.lo = np.where(row == 0, frames.across_start[block], middle[block])
    lots.hi = np.where((row == 1) | single, frames.across_end[block], middle[block])
    lots.front = np.where(row == 0, frames.across_start[block], frames.across_end[block])
    lots.direction = np.where(row == 0, 1.0, -1.0)
    lots.orient = frames.orient[block]


def _front_streets(blocks: Blocks, lots: _LotFrames) -> tuple[Ints, NDArray[np.bool_]]:
    """Each lot's front street — bottom/left for row 0, top/right for row 1, the other side
    if missing — and which lots have no street at all."""
    side = blocks.side[lots.block]
    row, orient = lots.row, lots.orient
    first = np.where(
        orient == 0,
        np.where(row == 0, side[:, 2], side[:, 3]),
        np.where(row == 0, side[:, 0], side[:, 1]),
    )
    other = np.where(
        orient == 0,
        np.where(row == 0, side[:, 3], side[:, 2]),
        np.where(row == 0, side[:, 1], side[:, 0]),
    )
    swap = first < 0
    return np.where(swap, other, first), swap & (other < 0)


def _lot_geometries(blocks: Blocks, lots: _LotFrames) -> tuple[NDArray[Any], NDArray[np.bool_]]:
    """The lots as MultiPolygons, clipped to clipped blocks; which are kept (≥ 40 m²)."""
    horizontal = lots.orient == 0
    geom = shapely.box(
        np.where(horizontal, lots.start, lots.lo),
        np.where(horizontal, lots.lo, lots.start),
        np.where(horizontal, lots.end, lots.hi),
        np.where(horizontal, lots.hi, lots.end),
    )
    geom = _to_multi(geom)
    cut = blocks.clipped[lots.block]
    if cut.any():
        geom[cut] = _polygonal(shapely.intersection(geom[cut], blocks.geom[lots.block[cut]]))
    keep = np.array([g is not None for g in geom])
    keep[keep] &= shapely.area(geom[keep]) >= 40.0
    return geom, keep


def _fit_clipped_blocks(
    blocks: Blocks, geom: NDArray[Any], keep: NDArray[np.bool_], block: Ints
) -> Ints:
    """Make a clipped block exactly the union of its lots (robust "parcel within block");
    the block each lot lies in (-1: a detached piece of a clipped block)."""
    block_of_lot = block.copy()
    for b in np.flatnonzero(blocks.clipped):
        mine = np.flatnonzero(keep & (block == b))
        if len(mine) == 0:
            continue
        parts = shapely.get_parts(shapely.union_all(geom[mine]))
        parts = parts[shapely.get_type_id(parts) == 3]
        if len(parts) == 0:
            continue
        largest = parts[np.argmax(shapely.area(parts))]
        blocks.geom[b] = largest
        outside = ~shapely.contains(largest, shapely.point_on_surface(geom[mine]))
        block_of_lot[mine[outside]] = -1
    return block_of_lot


def _lot_land_use(
    blocks: Blocks, nature: Nature, block: Ints, geom: NDArray[Any], keep: NDArray[np.bool_]
) -> tuple[NDArray[Any], NDArray[np.bool_]]:
    """Each lot's EGiB land use, and whether a building may stand on it."""
    land_use = np.array([CHARACTERS[c].land_use for c in blocks.char], dtype=object)[block]
    kept = geom.copy()
    kept[~keep] = None
    centroid = shapely.centroid(kept)
    in_forest = shapely.within(centroid, nature.forest)
    in_flood = shapely.within(centroid, nature.flood_1pct)
    meadow = (blocks.char[block] == "farmland") & in_flood & ~in_forest
    land_use[meadow] = "Ł"
    land_use[in_forest] = "Ls"
    kind = blocks.special[block]
    land_use[kind == "park"] = "Bz"
    land_use[np.isin(kind, ["school", "secondary", "hospital"])] = "Bi"
    land_use[kind == "sports"] = "Bz"
    return land_use, ~meadow & ~in_forest & (kind != "park")


def build_lots(blocks: Blocks, nature: Nature, rng: np.random.Generator) -> Lots:
    frames = _BlockFrames.of(blocks)
    lots = _cut_lots(blocks, frames, rng)
    _place_lots(blocks, frames, lots)
    street, streetless = _front_streets(blocks, lots)
    geom, keep = _lot_geometries(blocks, lots)
    block_of_lot = _fit_clipped_blocks(blocks, geom, keep, lots.block)
    land_use, buildable = _lot_land_use(blocks, nature, lots.block, geom, keep)
    buildable &= ~streetless
    return Lots(
        block=lots.block[keep],
        parcel_block=block_of_lot[keep],
        orient=lots.orient[keep],
        row=lots.row[keep],
        start=lots.start[keep],
        end=lots.end[keep],
        lo=lots.lo[keep],
        hi=lots.hi[keep],
        front=lots.front[keep],
        direction=lots.direction[keep],
        street=street[keep],
        geom=geom[keep],
        land_use=land_use[keep],
        buildable=buildable[keep],
    )


# ----------------------------------------------------------------------------- buildings


@dataclass
class Buildings:
    lot: Ints
    seq: Ints  # 1 for the main building, 2 for a second one (a barn)
    geom: NDArray[Any]
    use: NDArray[Any]
    storeys: Ints
    height: F
    dwellings: Ints
    residents: Ints
    year: Ints


@dataclass
class _BuildingPlan:
    """Per lot: whether it gets a building, and the building's shape and attributes.

    The footprint lies ``setback`` in from the lot's sides (at most ``max_width`` wide) and
    from ``depth_from`` to ``depth_to`` behind the front edge."""

    new_district: NDArray[np.bool_]
    width: F  # of the lot, along its street
    has: NDArray[np.bool_]
    setback: F
    max_width: F
    depth_from: F
    depth_to: F
    use: NDArray[Any]
    storeys: Ints
    year: Ints
    dwellings_per_m2: F  # of footprint
    height: F = field(default_factory=lambda: np.empty(0))
    dwellings: Ints = field(default_factory=lambda: np.empty(0, dtype=np.int64))
    residents: Ints = field(default_factory=lambda: np.empty(0, dtype=np.int64))

    @classmethod
    def start(cls, lots: Lots, new_district: NDArray[np.bool_]) -> _BuildingPlan:
        count = len(lots.start)
        return cls(
            new_district=new_district,
            width=lots.end - lots.start,
            has=lots.buildable.copy(),
            setback=np.full(count, 0.3),
            max_width=np.full(count, np.inf),
            depth_from=np.full(count, 0.3),
            depth_to=np.full(count, 10.0),
            use=np.full(count, "multi_family", dtype=object),
            storeys=np.ones(count, dtype=np.int64),
            year=np.zeros(count, dtype=np.int64),
            dwellings_per_m2=np.zeros(count),
        )


# Each district character's buildings: ``rule(plan, mask, draws)`` sets the plan of the lots in
# ``mask``; ``draws`` are six independent uniform draws per lot.


def _old_town(plan: _BuildingPlan, m: NDArray[np.bool_], draws: F) -> None:
    plan.storeys[m] = 3 + (draws[m, 0] < 0.5)
    plan.use[m] = np.where(draws[m, 1] < 0.85, "mixed", "services")
    plan.depth_to[m] = 10 + 4 * draws[m, 2]
    plan.year[m] = 1750 + (163 * draws[m, 3]).astype(np.int64)
    plan.dwellings_per_m2[m] = (plan.storeys[m] - 1) * 0.45 / 65


def _tenement(plan: _BuildingPlan, m: NDArray[np.bool_], draws: F) -> None:
    plan.has[m] &= draws[m, 5] < 0.85
    plan.storeys[m] = 4 + (draws[m, 0] < 0.5)
    plan.use[m] = np.select(
        [draws[m, 1] < 0.5, draws[m, 1] < 0.75], ["multi_family", "mixed"], "services"
    )
    plan.depth_to[m] = 12 + 3 * draws[m, 2]
    plan.year[m] = 1880 + (59 * draws[m, 3]).astype(np.int64)
    housing_storeys = np.where(plan.use[m] == "mixed", plan.storeys[m] - 1, plan.storeys[m])
    plan.dwellings_per_m2[m] = housing_storeys * 0.35 / 62


def _estate(plan: _BuildingPlan, m: NDArray[np.bool_], draws: F) -> None:
    plan.has[m] &= draws[m, 5] < 0.3  # the rest: greens, garages, parking between the slabs
    old_levels = np.array([4, 5, 5, 5, 10, 11, 11])
    new_levels = np.array([4, 5, 6, 7, 8])
    new = plan.new_district[m]
    plan.storeys[m] = np.where(
        new,
        new_levels[(draws[m, 0] * len(new_levels)).astype(int)],
        old_levels[(draws[m, 0] * len(old_levels)).astype(int)],
    )
    plan.setback[m] = np.maximum(6.0, 0.12 * plan.width[m])
    plan.depth_from[m] = 6 + 6 * draws[m, 1]
    plan.depth_to[m] = plan.depth_from[m] + 12.5
    plan.year[m] = np.where(new, 1996 + (27 * draws[m, 3]), 1962 + (28 * draws[m, 3])).astype(
        np.int64
    )
    plan.dwellings_per_m2[m] = plan.storeys[m] * 0.7 / 55


def _suburb(plan: _BuildingPlan, m: NDArray[np.bool_], draws: F) -> None:
    new = plan.new_district[m]
    plan.has[m] &= draws[m, 5] < np.where(new, 0.7, 0.85)  # new suburbs: plots still empty
    plan.use[m] = "single_family"
    plan.storeys[m] = 1 + (draws[m, 0] < 0.6)
    plan.setback[m] = 3 + 2 * draws[m, 1]
    plan.max_width[m] = 10 + 5 * draws[m, 2]
    plan.depth_from[m] = 5 + 3 * draws[m, 4]
    plan.depth_to[m] = plan.depth_from[m] + 9 + 3 * draws[m, 2]
    plan.year[m] = np.where(new, 2003 + 21 * draws[m, 3], 1930 + 65 * draws[m, 3]).astype(np.int64)


def _industrial(plan: _BuildingPlan, m: NDArray[np.bool_], draws: F) -> None:
    plan.has[m] &= draws[m, 5] < 0.9
    plan.use[m] = "industrial"
    plan.storeys[m] = 1 + (draws[m, 0] < 0.15)
    plan.setback[m] = 8.0
    plan.depth_from[m] = 10.0
    plan.depth_to[m] = plan.depth_from[m] + 40 + 50 * draws[m, 2]
    plan.year[m] = 1955 + (63 * draws[m, 3]).astype(np.int64)


def _farmland(plan: _BuildingPlan, m: NDArray[np.bool_], draws: F) -> None:
    plan.has[m] &= draws[m, 5] < 0.16
    plan.use[m] = "single_family"
    plan.storeys[m] = 1 + (draws[m, 0] < 0.5)
    plan.setback[m] = 1.5
    plan.max_width[m] = 11.0
    plan.depth_from[m] = 6.0
    plan.depth_to[m] = 16.0
    plan.year[m] = 1920 + (90 * draws[m, 3]).astype(np.int64)


CHARACTER_BUILDINGS: dict[str, Callable[[_BuildingPlan, NDArray[np.bool_], F], None]] = {
    "old_town": _old_town,
    "tenement": _tenement,
    "estate": _estate,
    "suburb": _suburb,
    "industrial": _industrial,
    "farmland": _farmland,
}


def _public_buildings(plan: _BuildingPlan, kind: NDArray[Any], draws: F) -> None:
    """Schools, hospitals and sports halls on their whole-block sites."""
    public = np.isin(kind, ["school", "secondary", "hospital", "sports"])
    site = kind[public]
    plan.has[public] = True
    plan.use[public] = "public"
    plan.setback[public] = np.maximum(10.0, 0.2 * plan.width[public])
    plan.max_width[public] = np.where(site == "sports", 50.0, 90.0)
    plan.depth_from[public] = 10.0
    plan.depth_to[public] = np.select([site == "hospital", site == "sports"], [50.0, 35.0], 25.0)
    plan.storeys[public] = np.select([site == "hospital", site == "sports"], [5, 1], 3)
    plan.year[public] = 1960 + (55 * draws[public, 3]).astype(np.int64)
    plan.dwellings_per_m2[public] = 0.0


def _heights(plan: _BuildingPlan, kind: NDArray[Any], draws: F) -> None:
    """About 3 m a storey plus the roof; halls are tall single storeys."""
    plan.height = plan.storeys * 3.1 + 1.5 + 1.5 * draws[:, 4]
    industrial = plan.use == "industrial"
    plan.height[industrial] = 8 + 6 * draws[industrial, 4]
    plan.height[kind == "sports"] = 10.0


@dataclass
class Footprint:
    """Rectangles in the lot frame: [along_start, along_end] × [depth_from, depth_to] behind
    the lot's front edge."""

    along_start: F
    along_end: F
    depth_from: F
    depth_to: F

    @property
    def area(self) -> F:
        return (self.along_end - self.along_start) * (self.depth_to - self.depth_from)


def _footprint(plan: _BuildingPlan, lots: Lots) -> Footprint:
    """The main building's footprint, clamped to stay strictly inside the lot (a lot where
    it would be under 4 m either way gets none)."""
    depth_to = np.minimum(plan.depth_to, (lots.hi - lots.lo) - 0.5)
    start = lots.start + plan.setback
    end = np.minimum(lots.end - plan.setback, start + plan.max_width)
    plan.has &= (end - start >= 4.0) & (depth_to - plan.depth_from >= 4.0)
    return Footprint(start, end, plan.depth_from, depth_to)


def _inside(lots: Lots, mask: NDArray[np.bool_], geoms: NDArray[Any]) -> NDArray[np.bool_]:
    """``mask`` without the buildings that are missing or not strictly inside their lot."""
    mask = mask & np.array([g is not None for g in geoms])
    mask[mask] &= shapely.contains_properly(lots.geom[mask], geoms[mask])
    return mask


def _occupants(plan: _BuildingPlan, footprint: Footprint, rng: np.random.Generator) -> None:
    """Dwellings from the footprint (one a house), residents 2–2.8 a dwelling."""
    area = np.where(plan.has, footprint.area, 0.0)
    per_area = np.floor(area * plan.dwellings_per_m2)
    dwellings = np.where(plan.use == "single_family", 1, per_area).astype(np.int64)
    residential = np.isin(plan.use, ["single_family", "multi_family", "mixed"])
    plan.dwellings = np.where(residential, np.maximum(dwellings, 1), 0)
    household = rng.uniform(2.0, 2.8, len(plan.has))
    plan.residents = np.where(
        residential, np.maximum(plan.dwellings, np.round(plan.dwellings * household)), 0
    )


def _assemble(
    plan: _BuildingPlan, main: NDArray[Any], barn: NDArray[Any], has_barn: NDArray[np.bool_]
) -> Buildings:
    """Main buildings and barns, ordered by lot (a lot's barn after its house)."""
    main_lots, barn_lots = np.flatnonzero(plan.has), np.flatnonzero(has_barn)
    barns = len(barn_lots)
    lot = np.concatenate([main_lots, barn_lots])
    seq = np.r_[np.ones(len(main_lots), np.int64), 2 * np.ones(barns, np.int64)]
    order = np.lexsort([np.r_[np.ones(len(main_lots)), 2 * np.ones(barns)], lot])
    return Buildings(
        lot=lot[order],
        seq=seq[order],
        geom=np.concatenate([main[main_lots], barn[barn_lots]])[order],
        use=np.concatenate([plan.use[main_lots], np.full(barns, "farm", dtype=object)])[order],
        storeys=np.r_[plan.storeys[main_lots], np.ones(barns, np.int64)][order],
        height=np.r_[np.round(plan.height[main_lots], 1), np.full(barns, 6.5)][order],
        dwellings=np.r_[plan.dwellings[main_lots], np.zeros(barns, np.int64)][order],
        residents=np.r_[plan.residents[main_lots], np.zeros(barns)].astype(np.int64)[order],
        year=np.r_[plan.year[main_lots], plan.year[barn_lots] + 5][order],
    )


def build_buildings(lots: Lots, blocks: Blocks, rng: np.random.Generator) -> Buildings:
    character = blocks.char[lots.block]
    kind = blocks.special[lots.block]
    draws = rng.uniform(size=(len(lots.start), 6))  # independent draws per lot
    plan = _BuildingPlan.start(
        lots, np.isin(blocks.letter[lots.block], sorted(names.NEW_DISTRICTS))
    )
    for name, rule in CHARACTER_BUILDINGS.items():
        rule(plan, character == name, draws)
    _public_buildings(plan, kind, draws)
    _heights(plan, kind, draws)
    footprint = _footprint(plan, lots)
    main = _footprints(lots, plan.has, footprint)
    # farm: a barn behind the house
    has_barn = plan.has & (character == "farmland") & (draws[:, 2] < 0.8)
    behind = replace(
        footprint, depth_from=footprint.depth_to + 4.0, depth_to=footprint.depth_to + 16.0
    )
    barn = _footprints(lots, has_barn, behind)
    plan.has = _inside(lots, plan.has, main)
    has_barn = _inside(lots, has_barn & plan.has, barn)
    _occupants(plan, footprint, rng)
    return _assemble(plan, main, barn, has_barn)


def _footprints(lots: Lots, mask: NDArray[np.bool_], footprint: Footprint) -> NDArray[Any]:
    """The rectangles of ``footprint`` in world coordinates where ``mask`` (else None)."""
    out = np.full(len(footprint.along_start), None, dtype=object)
    near = lots.front + lots.direction * footprint.depth_from
    far = lots.front + lots.direction * footprint.depth_to
    across_min, across_max = np.minimum(near, far), np.maximum(near, far)
    horizontal = lots.orient == 0
    xmin = np.where(horizontal, footprint.along_start, across_min)
    ymin = np.where(horizontal, across_min, footprint.along_start)
    xmax = np.where(horizontal, footprint.along_end, across_max)
    ymax = np.where(horizontal, across_max, footprint.along_end)
    out[mask] = shapely.box(xmin[mask], ymin[mask], xmax[mask], ymax[mask])
    return out


# ----------------------------------------------------------------------------- services

#: Point services at addresses per district letter (``city`` scale counts): kind → count.
POINT_SERVICES: dict[str, dict[str, int]] = {
    "O": {"kindergarten": 1, "clinic": 1, "library": 1, "culture": 2, "shop": 6, "pharmacy": 2,
          "post": 1, "office": 1},
    "T": {"kindergarten": 4, "nursery": 1, "clinic": 2, "library": 1, "culture": 1, "shop": 12,
          "pharmacy": 4, "post": 1, "social": 1},
    "E": {"kindergarten": 3, "nursery": 1, "clinic": 1, "library": 1, "shop": 6, "pharmacy": 2,
          "post": 1},
    "K": {"kindergarten": 2, "clinic": 1, "shop": 4, "pharmacy": 2},
    "S": {"kindergarten": 1, "library": 1, "shop": 3, "pharmacy": 1},
    "B": {"kindergarten": 1, "shop": 2, "pharmacy": 1, "post": 1},
    "N": {"kindergarten": 2, "nursery": 1, "clinic": 1, "shop": 4, "pharmacy": 1},
    "I": {"shop": 1},
    "A": {"shop": 1},
    "W": {},
    "Z": {"shop": 1},
    "C": {},
}  # fmt: skip
SERVICE_NAMES: dict[str, str] = {
    "school": "Szkoła Podstawowa nr {n}",
    "secondary": "Liceum Ogólnokształcące nr {n}",
    "hospital": "Szpital Miejski nr {n}",
    "sports": "Hala Sportowa MOSiR nr {n}",
    "park": "Park Miejski nr {n}",
    "kindergarten": "Przedszkole Miejskie nr {n}",
    "nursery": "Żłobek Miejski nr {n}",
    "clinic": "Przychodnia Rejonowa nr {n}",
    "library": "Filia nr {n} Miejskiej Biblioteki Publicznej",
    "culture": "Dom Kultury nr {n}",
    "shop": "Sklep spożywczy nr {n}",
    "pharmacy": "Apteka nr {n}",
    "post": "Urząd Pocztowy nr {n}",
    "office": "Urząd Miasta — Biuro Obsługi Mieszkańców nr {n}",
    "social": "Punkt MOPS nr {n}",
}
PARK_NAMES = (
    "Park im. Józefa Piłsudskiego", "Park Źródliska", "Park Słoneczny", "Park Kopernika",
    "Park Zielone Wzgórze", "Park Południowy", "Park Miejski", "Skwer Nadrzeczny",
)  # fmt: skip
SERVICE_KIND = {"school": "primary_school", "secondary": "secondary_school", "park": "green"}
SERVICE_ORG = {
    "library": "MBP", "culture": "MDK", "sports": "MOSiR", "park": "ZZM", "nursery": "MZŻ",
    "social": "MOPS", "office": "UM",
}  # fmt: skip
CAPACITY: dict[str, tuple[int, int]] = {
    "school": (350, 900), "secondary": (400, 800), "kindergarten": (75, 200),
    "nursery": (40, 100), "hospital": (150, 400), "sports": (200, 1500),
}  # fmt: skip
PUBLIC_BUILDING = frozenset({"kindergarten", "nursery", "clinic", "library", "culture", "social",
                             "office"})  # fmt: skip


# ----------------------------------------------------------------------------- the whole city


@dataclass
class Roads:
    """The road segments kept (connected, off the river except bridges)."""

    geom: NDArray[Any]
    street: Ints  # index into the grid's streets
    road_class: NDArray[Any]
    street_has_segments: NDArray[np.bool_]  # per grid street


@dataclass
class Town:
    """The plan everything else is placed on: grid, base cells, nature, roads, blocks."""

    scale: Scale
    grid: Grid
    cells: NDArray[Any]  # base cells (one precinct each), row-major, north first
    cell_district: NDArray[Any]  # district letter of each cell
    city: Any  # the city's polygon
    nature: Nature
    roads: Roads
    blocks: Blocks


@dataclass
class Parcels:
    """Lots, then the water and road parcels of each precinct."""

    cell: Ints
    number: NDArray[Any]
    geom: NDArray[Any]
    land_use: NDArray[Any]
    block: Ints  # -1: none
    identifier: NDArray[Any]
    precinct_code: NDArray[Any]  # per cell


@dataclass
class Occupancy:
    """Buildings' use, dwellings and residents after the services took some of them over."""

    use: NDArray[Any]
    dwellings: Ints
    residents: Ints


@dataclass
class Addresses:
    lot: Ints  # the lot (parcel) of each address
    street: Ints
    number: NDArray[Any]
    postcode: NDArray[Any]
    label: NDArray[Any]
    geom: NDArray[Any]
    district: NDArray[Any]  # letter
    of_lot: Ints  # per lot: its address (-1: none)
    main_building: Ints  # per lot: its main building (-1: none)


@dataclass
class Services:
    """Public services in the order they are placed; capacities drawn as they are added."""

    rng: np.random.Generator
    kind: list[str] = field(default_factory=list)
    name: list[str] = field(default_factory=list)
    address: list[int] = field(default_factory=list)
    org: list[str] = field(default_factory=list)
    capacity: list[int | None] = field(default_factory=list)
    geom: list[Any] = field(default_factory=list)
    area: list[Any] = field(default_factory=list)
    counters: dict[str, int] = field(default_factory=dict)

    def _append(self, kind: str, org: str, name: str, address: int, geom: Any) -> None:
        self.kind.append(kind)
        self.name.append(name)
        self.address.append(address)
        self.org.append(org)
        self.geom.append(geom)

    def add(self, kind: str, address: int, geom: Any, area: Any = None, name: str = "") -> None:
        self.counters[kind] = self.counters.get(kind, 0) + 1
        capacity = CAPACITY.get(kind)
        name = name or SERVICE_NAMES[kind].format(n=self.counters[kind])
        self._append(SERVICE_KIND.get(kind, kind), kind, name, address, geom)
        self.capacity.append(int(self.rng.integers(*capacity)) if capacity else None)
        self.area.append(area)

    def add_stop(self, street_name: str, geom: Any) -> None:
        self.counters["stop"] = self.counters.get("stop", 0) + 1
        name = f"{street_name} {self.counters['stop']:02d}"
        self._append("transit_stop", "stop", name, -1, geom)
        self.capacity.append(None)
        self.area.append(None)


@dataclass
class CityParts:
    """Everything generated, as :func:`_emit_tables` turns it into tables."""

    town: Town
    lots: Lots
    parcels: Parcels
    buildings: Buildings
    building_identifier: NDArray[Any]
    occupancy: Occupancy
    addresses: Addresses
    services: Services


SHOPS = ("shop", "pharmacy", "post")


def generate(scale: Scale, seed: int, progress: Callable[[str], None] | None = None) -> CityData:
    """Build every table of the demo city for ``scale`` and ``seed``."""
    say = progress or (lambda _phase: None)
    rng = np.random.default_rng(seed)
    town = _plan_town(scale, rng, say)

    say("parcels")
    lots = build_lots(town.blocks, town.nature, rng)
    parcels = _parcels(town, lots, rng)

    say("buildings")
    buildings = build_buildings(lots, town.blocks, rng)
    building_identifier = np.array(
        [
            f"{parcels.identifier[lot]}_BUD.{seq}"
            for lot, seq in zip(buildings.lot, buildings.seq, strict=True)
        ],
        dtype=object,
    )

    say("addresses")
    addresses = _addresses(town, lots, buildings, rng)

    say("services")
    occupancy = Occupancy(
        buildings.use.copy(), buildings.dwellings.copy(), buildings.residents.copy()
    )
    services = Services(rng)
    _site_services(services, town, lots, addresses)
    _point_services(services, town, lots, addresses, occupancy)
    _transit_stops(services, town)

    say("tables")
    data = CityData()
    parts = CityParts(
        town, lots, parcels, buildings, building_identifier, occupancy, addresses, services
    )
    _emit_tables(data, rng, parts)
    return data


def _plan_town(scale: Scale, rng: np.random.Generator, say: Callable[[str], None]) -> Town:
    """The layout (grid, streets, base cells, nature), the roads kept and the blocks."""
    k = scale.k
    cells_x, cells_y = len(names.DISTRICT_MAP[0]), len(names.DISTRICT_MAP)
    say("layout")
    grid = build_grid(scale)
    build_roads(grid, k, rng)
    cells = shapely.box(
        np.tile(grid.major_x[0:-1:k], cells_y),
        np.repeat(grid.major_y[k::k], cells_x),
        np.tile(grid.major_x[k::k], cells_y),
        np.repeat(grid.major_y[0:-1:k], cells_x),
    )
    cell_district = np.array([ch for row in names.DISTRICT_MAP for ch in row], dtype=object)
    city = shapely.box(grid.major_x[0], grid.major_y[-1], grid.major_x[-1], grid.major_y[0])
    nature = build_nature(grid, scale, city, rng)
    say("roads")
    roads = _connected_roads(grid, nature)
    say("blocks")
    blocks = build_blocks(grid, nature)
    choose_special_blocks(blocks, nature, k, rng)
    return Town(scale, grid, cells, cell_district, city, nature, roads, blocks)


def _connected_roads(grid: Grid, nature: Nature) -> Roads:
    """The segments off the river (bridges excepted) in the largest connected network."""
    coords = np.concatenate(grid.segment_coords)
    street = np.concatenate(grid.segment_street)
    geom = np.asarray(shapely.linestrings(coords.reshape(-1, 2, 2)), dtype=object)
    road_class = np.array(grid.street_class, dtype=object)[street]
    bridge = np.isin(road_class, sorted(layout.BRIDGE_CLASSES))
    keep = ~(shapely.intersects(geom, nature.bank) & ~bridge)
    keep[keep] &= largest_component(coords[keep])
    has_segments = np.zeros(len(grid.street_name), dtype=bool)
    has_segments[street[keep]] = True
    return Roads(geom[keep], street[keep], road_class[keep], has_segments)


# --- parcels


def _lot_numbers(blocks: Blocks, lots: Lots, rng: np.random.Generator) -> tuple[NDArray[Any], Ints]:
    """Parcel numbers in each precinct in block order, some with a division suffix (123/4);
    each lot's rank in its precinct."""
    lot_cell = blocks.cell[lots.block]
    _order, rank = _group_rank([lots.start, lots.row, lots.block, lot_cell])
    number = (rank + 1).astype(str).astype(object)
    divided = (rng.uniform(size=len(rank)) < 0.18) & np.isin(
        blocks.char[lots.block], ["suburb", "estate", "farmland"]
    )
    suffix = rng.integers(1, 12, len(rank))
    number[divided] = [
        f"{whole}/{part}" for whole, part in zip(number[divided], suffix[divided], strict=True)
    ]
    return number, rank


def _leftover_parcels(town: Town) -> tuple[NDArray[Any], Ints, NDArray[Any]]:
    """Water (W) and road (dr) parcels per precinct: what the blocks leave of each cell."""
    geoms: list[Any] = []
    cells: list[int] = []
    uses: list[str] = []
    blocks_by_cell = _union_by(town.blocks.geom, town.blocks.cell, len(town.cells))
    for cell, cell_geom in enumerate(town.cells):
        water = shapely.intersection(cell_geom, town.nature.river)
        if not shapely.is_empty(water) and shapely.area(water) > 1.0:
            geoms.append(water)
            cells.append(cell)
            uses.append("W")
        road = shapely.difference(
            shapely.difference(cell_geom, blocks_by_cell[cell]), town.nature.river
        )
        geoms.append(road)
        cells.append(cell)
        uses.append("dr")
    geom = _polygonal(np.array(geoms, dtype=object))
    ok = np.array([g is not None for g in geom])
    return geom[ok], np.array(cells, dtype=np.int64)[ok], np.array(uses, dtype=object)[ok]


def _parcels(town: Town, lots: Lots, rng: np.random.Generator) -> Parcels:
    lot_cell = town.blocks.cell[lots.block]
    number, rank = _lot_numbers(town.blocks, lots, rng)
    extra_geom, extra_cell, extra_use = _leftover_parcels(town)
    # the leftovers are numbered after the lots of their precinct
    last_number = np.zeros(len(town.cells), dtype=np.int64)
    np.maximum.at(last_number, lot_cell, rank + 1)
    extra_number = np.zeros(len(extra_cell), dtype=np.int64)
    for i, cell in enumerate(extra_cell):
        last_number[cell] += 1
        extra_number[i] = last_number[cell]
    precinct_code = np.array([f"{c + 1:04d}" for c in range(len(town.cells))], dtype=object)
    cell = np.concatenate([lot_cell, extra_cell])
    numbers = np.concatenate([number, extra_number.astype(str).astype(object)])
    identifier = np.array(
        [f"{names.UNIT}.{precinct_code[c]}.{nr}" for c, nr in zip(cell, numbers, strict=True)],
        dtype=object,
    )
    return Parcels(
        cell=cell,
        number=numbers,
        geom=np.concatenate([lots.geom, extra_geom]),
        land_use=np.concatenate([lots.land_use, extra_use]),
        block=np.concatenate([lots.parcel_block, np.full(len(extra_cell), -1)]),
        identifier=identifier,
        precinct_code=precinct_code,
    )


# --- addresses


def _house_numbers(street: Ints, position: F, even: Ints, rng: np.random.Generator) -> NDArray[Any]:
    """House numbers along each street side (odd on one side, even on the other) in order of
    ``position``; now and then a lot takes the previous number with a letter (12A)."""
    side = street * 2 + even
    order, side_rank = _group_rank([position, even, side])
    letter_flag = rng.uniform(size=len(street)) < 0.05
    lettered = letter_flag[order] & (side_rank[order] > 0)
    lettered[1:] &= ~lettered[:-1]
    key = side[order]
    new_side = np.r_[True, key[1:] != key[:-1]]
    starts = np.flatnonzero(new_side)
    increment = (~lettered).astype(np.int64)
    running = np.cumsum(increment)
    group = np.cumsum(new_side) - 1
    base = running - (running[starts] - increment[starts])[group]  # 1, 2, 2 (A), 3 ...
    house = 2 * (base - 1) + 1 + even[order]
    numbers = np.empty(len(street), dtype=object)
    numbers[order] = [f"{h}A" if flag else str(h) for h, flag in zip(house, lettered, strict=True)]
    return numbers


def _address_points(lots: Lots, lot: Ints) -> NDArray[Any]:
    """3 m behind the front edge, mid-frontage; a point on the lot where that misses it."""
    along = ((lots.start + lots.end) / 2)[lot]
    across = (lots.front + lots.direction * 3.0)[lot]
    horizontal = lots.orient[lot] == 0
    geom = np.asarray(
        shapely.points(np.where(horizontal, along, across), np.where(horizontal, across, along)),
        dtype=object,
    )
    inside = shapely.intersects(geom, lots.geom[lot])
    geom[~inside] = shapely.point_on_surface(lots.geom[lot][~inside])
    return geom


def _addresses(town: Town, lots: Lots, buildings: Buildings, rng: np.random.Generator) -> Addresses:
    """An address for every lot on a street with a main building or a public site."""
    blocks, grid = town.blocks, town.grid
    main_building = np.full(len(lots.start), -1, dtype=np.int64)
    first = buildings.seq == 1
    main_building[buildings.lot[first]] = np.flatnonzero(first)
    special_kind = blocks.special[lots.block]
    addressed = (lots.street >= 0) & ((main_building >= 0) | (special_kind != ""))
    addressed[addressed] &= town.roads.street_has_segments[lots.street[addressed]]
    lot = np.flatnonzero(addressed)
    street = lots.street[lot]
    middle = (lots.start + lots.end) / 2
    position = np.where(lots.orient == 1, -middle, middle)[lot]  # vertical streets: north → south
    even = (lots.direction[lot] < 0).astype(np.int64)  # lots below/left of their street
    number = _house_numbers(street, position, even, rng)
    district = blocks.letter[lots.block[lot]]
    kind = np.array(grid.street_kind, dtype=object)
    name = np.array(grid.street_name, dtype=object)
    of_lot = np.full(len(lots.start), -1, dtype=np.int64)
    of_lot[lot] = np.arange(len(lot))
    return Addresses(
        lot=lot,
        street=street,
        number=number,
        postcode=np.array([f"98-2{names.DISTRICTS[x][0]}" for x in district], dtype=object),
        label=np.array(
            [f"{kind[s]} {name[s]} {nr}" for s, nr in zip(street, number, strict=True)],
            dtype=object,
        ),
        geom=_address_points(lots, lot),
        district=district,
        of_lot=of_lot,
        main_building=main_building,
    )


# --- services


def _site_services(services: Services, town: Town, lots: Lots, addresses: Addresses) -> None:
    """Whole-block sites (schools, parks, sports, hospitals) in lot order, then the forest."""
    special_kind = town.blocks.special[lots.block]
    for lot in np.flatnonzero(special_kind != ""):
        kind = special_kind[lot]
        address = addresses.of_lot[lot]
        if kind == "park":
            parks = services.counters.get("park", 0)
            park_name = PARK_NAMES[parks % len(PARK_NAMES)]
            if parks >= len(PARK_NAMES):
                park_name = f"{park_name} {parks // len(PARK_NAMES) + 1}"
            point = shapely.point_on_surface(lots.geom[lot])
            services.add("park", int(address), point, lots.geom[lot], park_name)
        elif address >= 0:
            area = lots.geom[lot] if kind == "sports" else None
            services.add(kind, int(address), addresses.geom[address], area)
    forest = town.nature.forest
    services.add(
        "park",
        -1,
        shapely.point_on_surface(forest),
        _to_multi(np.array([forest]))[0],
        "Las Miejski Łęgi",
    )


def _take_over(occupancy: Occupancy, building: int, kind: str) -> None:
    """A service moving into a building: public ones take it over unless it is mixed-use,
    shops turn a block of flats mixed and a house into services."""
    use = occupancy.use[building]
    if kind in PUBLIC_BUILDING and use != "mixed":
        occupancy.use[building] = "public"
    elif kind in SHOPS and use == "multi_family":
        occupancy.use[building] = "mixed"
        return
    elif kind in SHOPS and use == "single_family":
        occupancy.use[building] = "services"
    else:
        return
    occupancy.dwellings[building] = 0
    occupancy.residents[building] = 0


def _point_services(
    services: Services, town: Town, lots: Lots, addresses: Addresses, occupancy: Occupancy
) -> None:
    """Point services at existing addresses of each district (shops where people live)."""
    scale = town.scale.k * town.scale.k  # the counts are for one base cell per superblock
    building = addresses.main_building[addresses.lot]
    on_site = town.blocks.special[lots.block[addresses.lot]] != ""
    used = np.zeros(len(addresses.lot), dtype=bool)
    for letter, wanted in POINT_SERVICES.items():
        candidates = np.flatnonzero((addresses.district == letter) & (building >= 0) & ~on_site)
        for kind, count in wanted.items():
            pool = candidates[~used[candidates]]
            if kind in SHOPS:
                dense = pool[np.isin(occupancy.use[building[pool]], ["mixed", "services"])]
                pool = dense if len(dense) else pool
            chosen = _pick(services.rng, pool, count * scale)
            used[chosen] = True
            for address in chosen:
                _take_over(occupancy, building[address], kind)
                services.add(kind, int(address), addresses.geom[address])


def _transit_stops(services: Services, town: Town) -> None:
    """Stops every ~400 m along main roads, 9 m off the centreline, outside farmland."""
    roads = town.roads
    main_road = np.isin(roads.road_class, ["GP", "G", "Z"])
    points, streets = [], []
    for street in np.unique(roads.street[main_road]):
        line = shapely.line_merge(shapely.multilinestrings(roads.geom[roads.street == street]))
        for part in shapely.get_parts(line):
            length = shapely.length(part)
            at = np.arange(200.0, length - 50.0, 400.0)
            if len(at):
                offset = shapely.offset_curve(part, 9.0)
                found = shapely.line_interpolate_point(offset, at / length, normalized=True)
                points.extend(found)
                streets.extend([street] * len(found))
    stops = np.array(points, dtype=object)
    farm_cell = np.array([names.DISTRICTS[x][2] == "farmland" for x in town.cell_district])
    farmland = shapely.union_all(town.cells[farm_cell])
    ok = ~shapely.intersects(stops, farmland) & shapely.intersects(stops, town.city)
    for point, street in zip(stops[ok], np.array(streets)[ok], strict=True):
        services.add_stop(town.grid.street_name[street], point)


def _union_by(geoms: NDArray[Any], key: Ints, count: int) -> list[Any]:
    """The union of ``geoms`` per key 0 … count - 1 (an empty polygon for a key without any)."""
    order = np.argsort(key, kind="stable")
    out: list[Any] = [shapely.Polygon()] * count
    bounds = np.searchsorted(key[order], np.arange(count + 1))
    for group in range(count):
        members = geoms[order[bounds[group] : bounds[group + 1]]]
        if len(members):
            out[group] = shapely.union_all(members)
    return out


def _ascii(text: str) -> str:
    table = str.maketrans("ąćęłńóśźżĄĆĘŁŃÓŚŹŻ", "acelnoszzACELNOSZZ")
    return text.translate(table)


def _multi_lines(geoms: NDArray[Any], key: Ints) -> NDArray[Any]:
    """One MultiLineString per distinct ``key`` (ascending), lines merged where they touch."""
    _, group = np.unique(key, return_inverse=True)
    merged = shapely.line_merge(shapely.multilinestrings(geoms, indices=group.ravel()))
    parts, part_group = shapely.get_parts(merged, return_index=True)
    return np.asarray(shapely.multilinestrings(parts, indices=part_group), dtype=object)


def _district_ids() -> dict[str, int]:
    return {letter: i + 1 for i, letter in enumerate(names.DISTRICTS)}


def _emit_tables(data: CityData, rng: np.random.Generator, parts: CityParts) -> None:
    """Turn the generated parts into table columns with primary keys from 1."""
    _emit_city_and_districts(data, parts.town)
    _emit_precincts_and_blocks(data, parts)
    street_id = _emit_streets_and_segments(data, parts.town, rng)
    _emit_parcels_and_buildings(data, parts)
    _emit_addresses(data, parts, street_id)
    unit_of_service, unit_id = _emit_org_units(data, parts)
    _emit_services(data, parts.services, unit_of_service, unit_id)
    _emit_constraints(data, parts)
    data.stats = {
        "scale": parts.town.scale.name,
        "parcels": len(parts.parcels.geom),
        "buildings": len(parts.buildings.lot),
        "addresses": len(parts.addresses.lot),
        "residents": int(parts.occupancy.residents.sum()),
        "streets": int(parts.town.roads.street_has_segments.sum()),
        "segments": len(parts.town.roads.geom),
        "services": len(parts.services.kind),
    }


def _emit_city_and_districts(data: CityData, town: Town) -> None:
    data.add(
        "territory_city", id=[1], name=[names.CITY_NAME], teryt=[names.TERC],
        voivodeship=[names.VOIVODESHIP], county=[names.COUNTY], fictional=[True],
        geom=_to_multi(np.array([town.city])),
    )  # fmt: skip
    letters = list(names.DISTRICTS)
    district_id = _district_ids()
    geom = [shapely.union_all(town.cells[town.cell_district == x]) for x in letters]
    data.add(
        "territory_district",
        id=[district_id[x] for x in letters],
        city_id=[1] * len(letters),
        code=[names.DISTRICTS[x][0] for x in letters],
        name=[names.DISTRICTS[x][1] for x in letters],
        character=[names.DISTRICTS[x][2] for x in letters],
        geom=_to_multi(np.array(geom, dtype=object)),
    )


def _emit_precincts_and_blocks(data: CityData, parts: CityParts) -> None:
    town = parts.town
    district_id = _district_ids()
    ordinal: dict[str, int] = {}
    precinct_names = []
    for letter in town.cell_district:
        ordinal[letter] = ordinal.get(letter, 0) + 1
        precinct_names.append(f"{names.DISTRICTS[letter][1]} {ordinal[letter]}")
    data.add(
        "territory_precinct",
        id=list(range(1, len(town.cells) + 1)),
        unit=[names.UNIT] * len(town.cells),
        code=list(parts.parcels.precinct_code),
        name=precinct_names,
        district_id=[district_id[x] for x in town.cell_district],
        geom=_to_multi(town.cells),
    )
    blocks = town.blocks
    count = len(blocks.geom)
    block_district = np.array([district_id[x] for x in blocks.letter])
    _, rank = _group_rank([np.arange(count), block_district])
    data.add(
        "territory_block",
        id=list(range(1, count + 1)),
        district_id=block_district.tolist(),
        code=[
            f"K{names.DISTRICTS[x][0]}.{r + 1:05d}"
            for x, r in zip(blocks.letter, rank, strict=True)
        ],
        geom=blocks.geom,
    )


def _emit_streets_and_segments(data: CityData, town: Town, rng: np.random.Generator) -> Ints:
    """The streets that kept segments, and the segments; each grid street's id (0: none)."""
    grid, roads = town.grid, town.roads
    present = np.flatnonzero(roads.street_has_segments)
    street_id = np.zeros(len(roads.street_has_segments), dtype=np.int64)
    street_id[present] = np.arange(1, len(present) + 1)
    ulic = rng.choice(np.arange(1, 100_000), size=len(present), replace=False)
    data.add(
        "territory_street",
        id=list(range(1, len(present) + 1)),
        ulic=[f"{code:05d}" for code in ulic],
        kind=[grid.street_kind[s] for s in present],
        name=[grid.street_name[s] for s in present],
        road_class=[grid.street_class[s] for s in present],
        geom=_multi_lines(roads.geom, roads.street),
    )
    data.add(
        "territory_roadsegment",
        id=list(range(1, len(roads.geom) + 1)),
        street_id=street_id[roads.street].tolist(),
        road_class=list(roads.road_class),
        walkable=(roads.road_class != "GP").tolist(),
        geom=roads.geom,
    )
    return street_id


def _emit_parcels_and_buildings(data: CityData, parts: CityParts) -> None:
    parcels, buildings, occupancy = parts.parcels, parts.buildings, parts.occupancy
    area = np.round(shapely.area(parcels.geom), 1)
    data.add(
        "territory_parcel",
        id=list(range(1, len(parcels.geom) + 1)),
        identifier=list(parcels.identifier),
        precinct_id=(parcels.cell + 1).tolist(),
        number=list(parcels.number),
        block_id=[int(b) + 1 if b >= 0 else None for b in parcels.block],
        area=[f"{a:.1f}" for a in area],
        land_use=list(parcels.land_use),
        geom=parcels.geom,
    )
    data.add(
        "territory_building",
        id=list(range(1, len(buildings.lot) + 1)),
        identifier=list(parts.building_identifier),
        parcel_id=(buildings.lot + 1).tolist(),
        use=list(occupancy.use),
        storeys=buildings.storeys.tolist(),
        height=[f"{h:.1f}" for h in buildings.height],
        dwellings=occupancy.dwellings.tolist(),
        residents=occupancy.residents.tolist(),
        year_built=buildings.year.tolist(),
        geom=buildings.geom,
    )


def _emit_addresses(data: CityData, parts: CityParts, street_id: Ints) -> None:
    addresses = parts.addresses
    count = len(addresses.lot)
    building = addresses.main_building[addresses.lot]
    data.add(
        "territory_address",
        id=list(range(1, count + 1)),
        street_id=street_id[addresses.street].tolist(),
        place=[""] * count,
        number=list(addresses.number),
        postcode=list(addresses.postcode),
        parcel_id=(addresses.lot + 1).tolist(),
        building_id=[int(b) + 1 if b >= 0 else None for b in building],
        label=list(addresses.label),
        geom=addresses.geom,
    )


#: Units of their own per school and kindergarten: kind → code prefix, unit kind.
OWN_UNITS = {
    "school": ("SP", "szkoła"),
    "secondary": ("LO", "szkoła"),
    "kindergarten": ("P", "przedszkole"),
}


def _emit_org_units(data: CityData, parts: CityParts) -> tuple[list[str | None], dict[str, int]]:
    """The city office, municipal bodies, one unit per school/kindergarten; each service's
    unit code and the units' ids."""
    services = parts.services
    units = list(names.ORG_UNITS)
    unit_of_service: list[str | None] = []
    for kind, name in zip(services.org, services.name, strict=True):
        if kind in OWN_UNITS:
            prefix, unit_kind = OWN_UNITS[kind]
            code = f"{prefix}{name.rsplit(' ', 1)[-1]}"
            units.append((code, name, unit_kind, "UM-ED"))
            unit_of_service.append(code)
        else:
            unit_of_service.append(SERVICE_ORG.get(kind))
    unit_id = {unit[0]: i + 1 for i, unit in enumerate(units)}
    unit_address: dict[str, str] = {}
    for unit, address in zip(unit_of_service, services.address, strict=True):
        if unit and address >= 0 and unit not in unit_address:
            unit_address[unit] = parts.addresses.label[address]
    data.add(
        "territory_orgunit",
        id=[unit_id[u[0]] for u in units],
        code=[u[0] for u in units],
        name=[u[1] for u in units],
        kind=[u[2] for u in units],
        parent_id=[unit_id[u[3]] if u[3] else None for u in units],
        email=[f"{_ascii(u[0]).lower()}@miasto-przykladowe.pl" for u in units],
        address=[unit_address.get(u[0], "") for u in units],
    )
    return unit_of_service, unit_id


def _emit_services(
    data: CityData, services: Services, unit_of_service: list[str | None], unit_id: dict[str, int]
) -> None:
    area_geoms = np.array(services.area, dtype=object)
    has_area = np.array([x is not None for x in area_geoms])
    area_geoms[has_area] = _to_multi(area_geoms[has_area])
    data.add(
        "territory_publicservice",
        id=list(range(1, len(services.kind) + 1)),
        kind=services.kind,
        name=services.name,
        address_id=[a + 1 if a >= 0 else None for a in services.address],
        org_unit_id=[unit_id[c] if c else None for c in unit_of_service],
        capacity=services.capacity,
        geom=np.array(services.geom, dtype=object),
        area_geom=area_geoms,
    )


#: kind, name, legal basis, source, attributes, geometry
ConstraintRow = tuple[str, str, str, str, dict[str, Any], Any]


def _area_constraints(town: Town) -> list[ConstraintRow]:
    """Flood, heritage, nature, noise and power-line areas."""
    cell, nature, roads = town.scale.cell, town.nature, town.roads
    old_town = town.cells[np.flatnonzero(town.cell_district == "O")[0]]
    heritage = shapely.buffer(old_town, -0.1 * cell, join_style="mitre")
    noise_gp = shapely.union_all(shapely.buffer(roads.geom[roads.road_class == "GP"], 100.0))
    noise_g = shapely.union_all(shapely.buffer(roads.geom[roads.road_class == "G"], 60.0))
    west, top = town.grid.major_x[0], town.grid.major_y[0]
    power = shapely.buffer(
        shapely.linestrings([(west + 6.3 * cell, top), (west + 8 * cell, top - 2.4 * cell)]), 20.0
    )
    return [
        ("flood_1pct", f"Obszar szczególnego zagrożenia powodzią — {names.RIVER} (Q1%)",
         "art. 16 pkt 34 ustawy Prawo wodne", "Wody Polskie, mapy zagrożenia powodziowego",
         {"probability": "1%"}, nature.flood_1pct),
        ("flood_risk", f"Obszar zagrożenia powodzią — {names.RIVER} (Q0,2%)",
         "art. 169 ustawy Prawo wodne", "Wody Polskie, mapy ryzyka powodziowego",
         {"probability": "0.2%"}, nature.flood_risk),
        ("heritage", "Strefa ochrony konserwatorskiej — Stare Miasto",
         "art. 7 ustawy o ochronie zabytków", "Miejski Konserwator Zabytków", {"zone": "A"},
         heritage),
        ("nature", "Rezerwat przyrody „Łęgi nad Strużyną”", "art. 13 ustawy o ochronie przyrody",
         "Regionalny Dyrektor Ochrony Środowiska w Łodzi", {"type": "leśny"}, nature.reserve),
        ("natura2000", "Dolina Strużyny PLH100099", "art. 25 ustawy o ochronie przyrody",
         "Generalna Dyrekcja Ochrony Środowiska", {"directive": "siedliskowa"}, nature.natura),
        ("noise", "Przekroczenie dopuszczalnego hałasu — drogi GP", "art. 117 ustawy POŚ",
         "Mapa akustyczna miasta", {"Lden_dB": 64}, noise_gp),
        ("noise", "Przekroczenie dopuszczalnego hałasu — drogi G", "art. 117 ustawy POŚ",
         "Mapa akustyczna miasta", {"Lden_dB": 60}, noise_g),
        ("utility_corridor", "Korytarz linii elektroenergetycznej 110 kV", "",
         "operator sieci dystrybucyjnej", {"voltage_kV": 110, "width_m": 40}, power),
    ]  # fmt: skip


def _monuments(parts: CityParts) -> list[ConstraintRow]:
    """The three largest main buildings of the old town, named after their address."""
    buildings, addresses = parts.buildings, parts.addresses
    blocks = parts.town.blocks
    old_town = (blocks.letter[parts.lots.block[buildings.lot]] == "O") & (buildings.seq == 1)
    candidates = np.flatnonzero(old_town)
    largest = np.argsort(-shapely.area(buildings.geom[candidates]), kind="stable")[:3]
    address_building = addresses.main_building[addresses.lot]
    rows: list[ConstraintRow] = []
    for n, building in enumerate(candidates[largest], start=1):
        labels = addresses.label[address_building == building]
        name = f"Kamienica przy {labels[0]}" if len(labels) else f"Zabytek nr {n}"
        rows.append(
            (
                "monument",
                name,
                "art. 9 ustawy o ochronie zabytków",
                "rejestr zabytków",
                {"register_no": f"A/{100 + n}"},
                buildings.geom[building],
            )
        )
    return rows


def _emit_constraints(data: CityData, parts: CityParts) -> None:
    rows = _area_constraints(parts.town) + _monuments(parts)
    geoms = _polygonal(
        shapely.intersection(np.array([r[5] for r in rows], dtype=object), parts.town.city)
    )
    ok = [i for i, geom in enumerate(geoms) if geom is not None]
    data.add(
        "territory_constraint",
        id=list(range(1, len(ok) + 1)),
        kind=[rows[i][0] for i in ok],
        name=[rows[i][1] for i in ok],
        legal_basis=[rows[i][2] for i in ok],
        source=[rows[i][3] for i in ok],
        attributes=[rows[i][4] for i in ok],
        geom=geoms[ok],
    )
