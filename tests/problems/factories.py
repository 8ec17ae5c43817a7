"""Factories for problem reports: categories with their unit, reports through the service
(so routing and the history row are real). Points lie inside the test city
(tests/territory/factories.py: a 10 km square around x=500 000, y=403 700)."""

from __future__ import annotations

from typing import Any

import factory

from miasto.problems.models import Report, Service, ServiceAttribute
from miasto.problems.services import Contact, ReportInput, report_create
from tests.territory import factories as tf

X, Y = tf.CENTRE_X, tf.CENTRE_Y


class ServiceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Service
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"kat-{n}")
    name = factory.Sequence(lambda n: f"Kategoria {n}")
    description = "Opis kategorii"
    group = "drogi"
    keywords = "dziura, jezdnia"
    unit = factory.SubFactory(tf.OrgUnitFactory)


def pothole_service() -> Service:
    """A category with a required list attribute and an optional number."""
    service = ServiceFactory(code="dziura", name="Dziura w jezdni", group="drogi")
    ServiceAttribute.objects.get_or_create(
        service=service, code="pas", defaults={
            "description": "Który pas ruchu?", "datatype": "singlevaluelist", "required": True,
            "order": 1,
            "values": [{"key": "lewy", "name": "lewy"}, {"key": "prawy", "name": "prawy"}],
        },
    )  # fmt: skip
    ServiceAttribute.objects.get_or_create(
        service=service, code="glebokosc", defaults={
            "description": "Głębokość (cm)", "datatype": "number", "required": False, "order": 2,
        },
    )  # fmt: skip
    return service


def make_report(service: Service, dx: float = 0.0, dy: float = 0.0, **kw: Any) -> Report:
    tf.CityFactory()
    attrs = kw.pop("attributes", {"pas": "lewy"} if service.attributes.exists() else {})
    return report_create(
        ReportInput(
            service=service, x=X + dx, y=Y + dy, description=kw.pop("description", "Dziura"),
            address=kw.pop("address", "Lipowa 5"), attributes=attrs,
            contact=kw.pop("contact", Contact(email="jan@example.org", first_name="Jan",
                                              last_name="Kowalski", phone="600100200")),
            **kw,
        )
    )  # fmt: skip
