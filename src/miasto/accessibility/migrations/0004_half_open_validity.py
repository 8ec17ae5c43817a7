"""Validity of the standards' versions is half-open, ``[valid_from, valid_to)``, as every
versioned configuration (:mod:`miasto.core.versioning`): ``valid_to`` is the first day a
version no longer applies (before, it was read as the last day it did, so on a changeover day
two versions applied).

Existing end dates keep their meaning: an end date on which another version of the same code
starts was a changeover day and stays as it is (now only the new version applies that day);
any other end date was the version's last day and moves one day on.
"""

import datetime

from django.db import migrations, models


def to_half_open(apps, schema_editor):  # type: ignore[no-untyped-def]
    Standard = apps.get_model("accessibility", "Standard")
    for s in Standard.objects.exclude(valid_to__isnull=True):
        if not Standard.objects.filter(code=s.code, valid_from=s.valid_to).exclude(pk=s.pk).exists():
            s.valid_to = s.valid_to + datetime.timedelta(days=1)
            s.save(update_fields=["valid_to"])


def to_inclusive(apps, schema_editor):  # type: ignore[no-untyped-def]
    # [valid_from, valid_to) is exactly [valid_from, valid_to - 1 day] read inclusively
    Standard = apps.get_model("accessibility", "Standard")
    for s in Standard.objects.exclude(valid_to__isnull=True):
        s.valid_to = s.valid_to - datetime.timedelta(days=1)
        s.save(update_fields=["valid_to"])


class Migration(migrations.Migration):
    dependencies = [("accessibility", "0003_revision_triggers")]

    operations = [
        migrations.RemoveConstraint(model_name="standard", name="acc_standard_valid_range"),
        migrations.RunPython(to_half_open, to_inclusive),
        migrations.AddConstraint(
            model_name="standard",
            constraint=models.CheckConstraint(
                condition=models.Q(("valid_to__isnull", True), ("valid_to__gt", models.F("valid_from")), _connector="OR"),
                name="acc_standard_valid_range",
            ),
        ),
    ]
