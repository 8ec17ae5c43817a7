"""Generate the demo city in memory, vectorised with numpy and shapely 2.

:func:`generate` returns a :class:`CityData`: one :class:`Table` of plain column arrays per
territory table, with primary keys assigned from 1 and geometries as shapely arrays in
EPSG:2180. Nothing here touches the database (see :mod:`miasto.democity.loader`).

Determinism: all randomness comes from one ``numpy.random.default_rng(seed)`` consumed in a
fixed order; no set or dict iteration order is relied upon beyond insertion order.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import shapely
from numpy.typing import NDArray

from miasto.democity import layout, names
from miasto.democity.layout import CHARACTERS, HALF_WIDTH, Scale

F = NDArray[np.float64]
I = NDArray[np.int64]  # noqa: E741


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

    def add(self, name: str, **columns: Any) -> Table:
        table = Table(name, columns)
        self.tables[name] = table
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
    parts, idx = shapely.get_parts(geoms, return_index=True)
    return shapely.multipolygons(parts, indices=idx)


def _group_rank(keys: list[NDArray[Any]]) -> tuple[I, I]:
    """Order rows by ``keys`` (last key primary, like np.lexsort); rank within the primary key."""
    order = np.lexsort(keys)
    primary = keys[-1][order]
    start = np.r_[True, primary[1:] != primary[:-1]]
    group_start = np.maximum.accumulate(np.where(start, np.arange(len(order)), 0))
    rank = np.empty(len(order), dtype=np.int64)
    rank[order] = np.arange(len(order)) - group_start
    return order, rank


def _pick(rng: np.random.Generator, candidates: I, count: int) -> I:
    if count <= 0 or len(candidates) == 0:
        return np.empty(0, dtype=np.int64)
    return np.sort(rng.choice(candidates, size=min(count, len(candidates)), replace=False))


# ----------------------------------------------------------------------------- the road grid


@dataclass
class Grid:
    """Superblocks, their local street positions, and all road lines."""

    mx: F  # x of vertical major lines, west → east (index gx)
    my: F  # y of horizontal major lines, north → south (index gy)
    nsx: int
    nsy: int
    sb_char: list[str]  # per superblock (row-major, north first)
    sb_letter: list[str]
    sb_xs: list[F]  # vertical line positions incl. the superblock's boundaries
    sb_ys: list[F]  # horizontal line positions (south → north) incl. boundaries
    # lines: street index per line; lines are kept as python lists while built
    street_name: list[str] = field(default_factory=list)
    street_kind: list[str] = field(default_factory=list)
    street_class: list[str] = field(default_factory=list)
    seg_coords: list[F] = field(default_factory=list)  # (n, 4) x0 y0 x1 y1
    seg_street: list[I] = field(default_factory=list)


def _split_positions(lo: float, hi: float, n: int) -> F:
    """``n`` equal parts of [lo, hi]: the n+1 cut positions, ends exactly lo and hi."""
    inner = [lo + (hi - lo) * (j / n) for j in range(1, n)]
    return np.array([lo, *inner, hi], dtype=np.float64)


def build_grid(scale: Scale) -> Grid:
    nx_cells, ny_cells = len(names.DISTRICT_MAP[0]), len(names.DISTRICT_MAP)
    k = scale.k
    cell = scale.cell
    east, north = layout.CENTRE_EN
    x0 = east - 2.5 * cell
    ytop = north + 3.5 * cell
    sb = cell / k
    mx = np.array([x0 + g * sb for g in range(nx_cells * k + 1)])
    my = np.array([ytop - g * sb for g in range(ny_cells * k + 1)])
    nsx, nsy = nx_cells * k, ny_cells * k
    chars: list[str] = []
    letters: list[str] = []
    xs_list: list[F] = []
    ys_list: list[F] = []
    for sy in range(nsy):
        for sx in range(nsx):
            letter = names.DISTRICT_MAP[sy // k][sx // k]
            char = names.DISTRICTS[letter][2]
            spec = CHARACTERS[char]
            nxl = max(1, round(sb / spec.block[0]))
            nyl = max(1, round(sb / spec.block[1]))
            xs_list.append(_split_positions(mx[sx], mx[sx + 1], nxl))
            ys_list.append(_split_positions(my[sy + 1], my[sy], nyl))
            chars.append(char)
            letters.append(letter)
    return Grid(mx, my, nsx, nsy, chars, letters, xs_list, ys_list)


def _major_class(index: int, k: int, table: dict[int, str]) -> str:
    return table.get(index // k, "Z") if index % k == 0 else "Z"


def build_roads(grid: Grid, k: int, rng: np.random.Generator) -> None:
    """Fill ``grid`` with streets and segments split at every junction."""
    nsx, nsy = grid.nsx, grid.nsy
    major_v = list(range(1, nsx))
    major_h = list(range(1, nsy))
    v_class = [_major_class(g, k, layout.VERTICAL_CLASS) for g in major_v]
    h_class = [_major_class(g, k, layout.HORIZONTAL_CLASS) for g in major_h]
    n_local = 0
    for s in range(nsx * nsy):
        n_local += len(grid.sb_xs[s]) - 2 + len(grid.sb_ys[s]) - 2
    avenues = list(names.AVENUES)
    majors = list(names.MAJOR)
    pool = names.street_names(n_local + len(major_v) + len(major_h))
    pool = [pool[i] for i in rng.permutation(len(pool))]
    used: set[str] = set()

    def take(preferred: list[str]) -> str:
        while preferred:
            name = preferred.pop(0)
            if name not in used:
                used.add(name)
                return name
        while True:
            name = pool.pop()
            if name not in used:
                used.add(name)
                return name

    def add_street(name: str, cls: str) -> int:
        grid.street_name.append(name)
        grid.street_kind.append("al." if cls in ("GP", "G") else "ul.")
        grid.street_class.append(cls)
        return len(grid.street_name) - 1

    def add_segments(street: int, fixed: float, cuts: F, vertical: bool) -> None:
        a, b = cuts[:-1], cuts[1:]
        c = np.full(len(a), fixed)
        coords = np.column_stack([c, a, c, b] if vertical else [a, c, b, c])
        grid.seg_coords.append(coords)
        grid.seg_street.append(np.full(len(a), street, dtype=np.int64))

    # major vertical lines, one street each, split where local streets of either side end
    v_street: dict[int, int] = {}
    for g, cls in zip(major_v, v_class, strict=True):
        name = take(avenues if cls in ("GP", "G") else majors)
        v_street[g] = sid = add_street(name, cls)
        for sy in range(nsy):
            west, east = grid.sb_ys[sy * nsx + g - 1], grid.sb_ys[sy * nsx + g]
            add_segments(sid, grid.mx[g], np.unique(np.concatenate([west, east])), True)
    h_street: dict[int, int] = {}
    for g, cls in zip(major_h, h_class, strict=True):
        name = take(avenues if cls in ("GP", "G") else majors)
        h_street[g] = sid = add_street(name, cls)
        for sx in range(nsx):
            north, south = grid.sb_xs[(g - 1) * nsx + sx], grid.sb_xs[g * nsx + sx]
            add_segments(sid, grid.my[g], np.unique(np.concatenate([north, south])), False)
    grid.v_street = v_street  # type: ignore[attr-defined]
    grid.h_street = h_street  # type: ignore[attr-defined]
    # local streets: one street per line per superblock
    local_v: list[list[int]] = []
    local_h: list[list[int]] = []
    for s in range(nsx * nsy):
        xs, ys = grid.sb_xs[s], grid.sb_ys[s]
        farm = grid.sb_char[s] == "farmland"
        vids, hids = [], []
        for i in range(1, len(xs) - 1):
            cls = "D" if farm or i % 2 == 0 else "L"
            sid = add_street(take([]), cls)
            add_segments(sid, xs[i], ys, True)
            vids.append(sid)
        for j in range(1, len(ys) - 1):
            cls = "D" if farm or j % 2 == 0 else "L"
            sid = add_street(take([]), cls)
            add_segments(sid, ys[j], xs, False)
            hids.append(sid)
        local_v.append(vids)
        local_h.append(hids)
    grid.local_v = local_v  # type: ignore[attr-defined]
    grid.local_h = local_h  # type: ignore[attr-defined]


def largest_component(coords: F) -> NDArray[np.bool_]:
    """Mask of segments in the largest connected component (endpoints matched exactly)."""
    ends = np.concatenate([coords[:, 0:2], coords[:, 2:4]])
    _, node = np.unique(ends, axis=0, return_inverse=True)
    node = node.ravel()
    n = len(coords)
    a, b = node[:n], node[n:]
    parent = list(range(int(node.max()) + 1 if n else 0))

    def find(x: int) -> int:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for u, v in zip(a.tolist(), b.tolist(), strict=True):
        ru, rv = find(u), find(v)
        if ru != rv:
            parent[max(ru, rv)] = min(ru, rv)
    roots = np.array([find(int(x)) for x in a])
    values, counts = np.unique(roots, return_counts=True)
    return roots == values[np.argmax(counts)]
