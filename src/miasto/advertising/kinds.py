"""The kinds of advertising carriers the landscape resolution speaks of (u.p.z.p. art. 2).

*Tablica reklamowa* (advertising board) is a flat surface for advertising — a freestanding or
façade board, a banner, a building or scaffolding wrap, a sticker; *urządzenie reklamowe*
(advertising device) is anything else that carries advertising — an LED screen, a pillar, a
citylight; a *szyld* (sign) informs about the business carried on in the property where it
hangs. The category matters in law: the number of signs per business may be capped by a
resolution, the number of other carriers on a property may not (NSA II OSK 1005/21).
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class Category(models.TextChoices):
    BOARD = "board", _("advertising board (tablica reklamowa)")
    DEVICE = "device", _("advertising device (urządzenie reklamowe)")
    SIGN = "sign", _("sign (szyld)")


class CarrierKind(models.TextChoices):
    BOARD_FREESTANDING = "board_freestanding", _("freestanding board")
    BOARD_FACADE = "board_facade", _("façade board")
    BANNER = "banner", _("banner")
    WRAP = "wrap", _("building or scaffolding wrap")
    STICKER = "sticker", _("sticker")
    LED_SCREEN = "led_screen", _("digital (LED) screen")
    PILLAR = "pillar", _("advertising pillar")
    CITYLIGHT = "citylight", _("citylight")
    SIGN = "sign", _("sign (szyld)")


CATEGORY_OF: dict[str, str] = {
    CarrierKind.BOARD_FREESTANDING: Category.BOARD,
    CarrierKind.BOARD_FACADE: Category.BOARD,
    CarrierKind.BANNER: Category.BOARD,
    CarrierKind.WRAP: Category.BOARD,
    CarrierKind.STICKER: Category.BOARD,
    CarrierKind.LED_SCREEN: Category.DEVICE,
    CarrierKind.PILLAR: Category.DEVICE,
    CarrierKind.CITYLIGHT: Category.DEVICE,
    CarrierKind.SIGN: Category.SIGN,
}

KIND_VALUES: frozenset[str] = frozenset(CarrierKind.values)


class Illumination(models.TextChoices):
    NONE = "none", _("not illuminated")
    EXTERNAL = "external", _("lit from outside")
    INTERNAL = "internal", _("lit from inside (backlit)")
    LED = "led", _("digital / LED (emits light)")


class Mounting(models.TextChoices):
    FREESTANDING = "freestanding", _("freestanding")
    FACADE = "facade", _("on a façade")
    WINDOW = "window", _("in or on a window")
    FENCE = "fence", _("on a fence")
    ROOF = "roof", _("on a roof")
    SCAFFOLDING = "scaffolding", _("on scaffolding")
    STREET_FURNITURE = "street_furniture", _("street furniture (shelter, kiosk)")
    OTHER = "other", pgettext_lazy("mounting", "other")
