"""Jobs run on procrastinate: a job keeps the id of the procrastinate job that runs it, and
staff may cancel one (status ``cancelled``)."""

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('core', '0004_safe_overlay'),
        ('procrastinate', '0041_post_retry_failed_job'),
    ]

    operations = [
        migrations.AddField(
            model_name='job',
            name='task_id',
            field=models.BigIntegerField(blank=True, editable=False, null=True, verbose_name='queue job'),
        ),
        migrations.AlterField(
            model_name='job',
            name='status',
            field=models.CharField(choices=[('queued', 'queued'), ('running', 'running'), ('done', 'done'), ('failed', 'failed'), ('cancelled', 'cancelled')], db_index=True, default='queued', max_length=10, verbose_name='status'),
        ),
    ]
