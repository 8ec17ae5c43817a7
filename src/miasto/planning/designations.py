"""Zone designations: strict for general plans (``1SJ``), lenient for local plans.

Local plans write designations many ways — ``3MN``, ``MN/U``, ``2KD-L``, ``MN/U.2.6``,
``A.12.MW``, ``1 ZP`` — so :func:`parse_mpzp` accepts them all and maps the symbols to KPT
land-use classes from the configuration (:mod:`miasto.planning.catalogue`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from miasto.planning.catalogue import Catalogue, catalogue_for

_POG_RE = re.compile(r"^(?P<number>[1-9]\d*)(?P<symbol>[A-Z]{2})$")
_SYMBOL_RE = re.compile(r"^[A-Z]{1,4}(?:-[A-Z]{1,2})?$")


@dataclass(frozen=True)
class Designation:
    raw: str
    number: str | None
    symbols: tuple[str, ...]
    kpt_classes: tuple[str, ...]
    unknown_symbols: tuple[str, ...] = field(default=())

    @property
    def symbol(self) -> str:
        return "/".join(self.symbols)


class DesignationError(ValueError):
    pass


def parse_pog(text: str, catalogue: Catalogue | None = None) -> tuple[str, str]:
    """``1SJ`` → ("1", "SJ"); raises :class:`DesignationError` with a Polish message."""
    catalogue = catalogue or catalogue_for()
    match = _POG_RE.match(text.strip())
    if not match or match["symbol"] not in catalogue.zone_kinds:
        known = ", ".join(catalogue.zone_kinds)
        raise DesignationError(
            f"oznaczenie „{text[:40]}” nie ma postaci numer + symbol strefy "
            f"(np. 1SJ; symbole: {known})"
        )
    return match["number"], match["symbol"]


def _normalise_symbol(token: str) -> str:
    token = token.strip().upper()
    # KD-L, KD-GP, KDL → KDL / KDGP (the hyphen only separates the road class)
    if token.startswith("KD-"):
        return "KD" + token[3:]
    return token


def parse_mpzp(text: str, catalogue: Catalogue | None = None) -> Designation:
    """Parse a local-plan designation leniently.

    Accepted: an optional leading number (``3MN``, ``2KD-L``, ``1 ZP``), one or more symbols
    joined by ``/``, ``,`` or ``+`` (``MN/U``), optional dotted prefix or suffix numbers
    (``MN/U.2.6``, ``A.12.MW``). Unknown symbols are kept and reported in ``unknown_symbols``.
    """
    catalogue = catalogue or catalogue_for()
    raw = text
    text = text.strip().upper().replace(" ", "")
    if not text:
        raise DesignationError("puste oznaczenie terenu")
    number: str | None = None
    symbol_part = text
    parts = text.split(".")
    if len(parts) > 1:
        # the part with letters is the symbol, digits around it form the number
        letters = [i for i, p in enumerate(parts) if re.search(r"[A-Z]", p)]
        if len(letters) != 1 and not (len(letters) == 2 and re.fullmatch(r"[A-Z]", parts[0])):
            raise DesignationError(f"nie rozpoznano oznaczenia terenu „{raw[:40]}”")
        idx = letters[-1]
        symbol_part = parts[idx]
        rest = [p for i, p in enumerate(parts) if i != idx]
        number = ".".join(rest) or None
    match = re.match(r"^(?P<num>\d+[A-Z]?(?=[A-Z]))?(?P<sym>.+)$", symbol_part)
    if match and match["num"] and re.fullmatch(r"\d+", match["num"]):
        lead = match["num"]
        number = f"{lead}.{number}" if number else lead
        symbol_part = match["sym"]
    elif match and match["num"]:
        # e.g. "12A" followed by letters — ambiguous; keep digits only
        digits = re.match(r"\d+", symbol_part)
        assert digits is not None
        number = digits.group(0)
        symbol_part = symbol_part[len(number) :]
    tokens = [t for t in re.split(r"[/,+]", symbol_part) if t]
    if not tokens:
        raise DesignationError(f"oznaczenie „{raw[:40]}” nie zawiera symbolu przeznaczenia")
    symbols: list[str] = []
    classes: list[str] = []
    unknown: list[str] = []
    for token in tokens:
        if not _SYMBOL_RE.match(token):
            raise DesignationError(
                f"oznaczenie „{raw[:40]}”: „{token[:20]}” nie jest symbolem przeznaczenia"
            )
        normal = _normalise_symbol(token)
        symbols.append(token)
        mapped = catalogue.mpzp_symbols.get(normal)
        if mapped is None:
            unknown.append(token)
            mapped = (normal,)
        for cls in mapped:
            if cls not in classes:
                classes.append(cls)
    return Designation(raw, number, tuple(symbols), tuple(classes), tuple(unknown))
