"""A public service's kind has no fixed choices: the built-in kinds and those configured in
``MIASTO_SERVICE_KINDS_EXTRA`` are checked by a validator (miasto.territory.service_kinds), so
a municipality adds a kind without a migration. The column and its data do not change."""

import miasto.territory.service_kinds
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('territory', '0011_restorable_definitions'),
    ]

    operations = [
        migrations.AlterField(
            model_name='publicservice',
            name='kind',
            field=models.CharField(db_index=True, max_length=30, validators=[miasto.territory.service_kinds.validate_service_kind], verbose_name='kind'),
        ),
    ]
