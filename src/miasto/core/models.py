from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class AuditEntry(models.Model):
    """One create, update or delete of domain data (see :mod:`miasto.core.audit`)."""

    class Action(models.TextChoices):
        CREATE = "create", _("created")
        UPDATE = "update", _("changed")
        DELETE = "delete", _("deleted")
        BULK_LOAD = "bulk_load", _("bulk load")

    at = models.DateTimeField(_("when"), auto_now_add=True, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("who"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    actor_name = models.CharField(_("who (name)"), max_length=150)
    source = models.CharField(_("through"), max_length=20)
    action = models.CharField(_("action"), max_length=20, choices=Action.choices)
    model = models.CharField(_("object type"), max_length=100, db_index=True)
    object_id = models.CharField(_("object id"), max_length=64, db_index=True)
    object_repr = models.CharField(_("object"), max_length=200)
    changes = models.JSONField(_("changes (before/after)"), default=dict)

    class Meta:
        verbose_name = _("audit log entry")
        verbose_name_plural = _("audit log")
        ordering = ["-at", "-id"]
        default_permissions = ("view",)

    def __str__(self) -> str:
        when = f"{self.at:%Y-%m-%d %H:%M}"
        return f"{when} {self.actor_name} {self.action} {self.model}#{self.object_id}"


class Job(models.Model):
    """A background job (import, export, report) as people see it: its parameters, owner,
    status, progress and result. procrastinate queues and runs it (``task_id``: the
    procrastinate job carrying this job's id), ``miasto worker`` runs it.

    Handlers register in :data:`miasto.core.jobs.job_registry` under their ``kind``; they
    report progress with :meth:`miasto.core.jobs.JobContext.progress`.
    """

    class Status(models.TextChoices):
        QUEUED = "queued", _("queued")
        RUNNING = "running", _("running")
        DONE = "done", _("done")
        FAILED = "failed", _("failed")
        CANCELLED = "cancelled", _("cancelled")

    kind = models.CharField(_("kind"), max_length=50)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.QUEUED, db_index=True
    )
    payload = models.JSONField(_("parameters"), default=dict)
    result = models.JSONField(_("result"), default=dict, blank=True)
    progress = models.PositiveSmallIntegerField(_("progress (%)"), default=0)
    message = models.CharField(_("message"), max_length=300, blank=True)
    error = models.TextField(_("error"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("queued at"), auto_now_add=True)
    started_at = models.DateTimeField(_("started at"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    #: The procrastinate job (``procrastinate_jobs.id``) that runs this one; none for a job
    #: run in the process that made it (:func:`miasto.core.jobs.job_run`).
    task_id = models.BigIntegerField(_("queue job"), null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("background job")
        verbose_name_plural = _("background jobs")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.kind} #{self.pk} ({self.status})"


class TableRevision(models.Model):
    """A table's revision: bumped by a statement trigger on every write (ORM, COPY, raw SQL).

    The tile cache keys tiles by it, so any change of the data makes new tiles.
    Revisions come from the ``miasto_revision`` sequence and never repeat.
    """

    table = models.CharField(max_length=63, primary_key=True)
    revision = models.BigIntegerField(default=0)

    class Meta:
        verbose_name = _("table revision")
        default_permissions = ()

    def __str__(self) -> str:
        return f"{self.table}@{self.revision}"


class ApiKey(models.Model):
    """A third party's key to the APIs: raises the rate limits and is needed to write.

    Only a digest of the key is kept (SHA-256 — the key is 32 random bytes, so a slow hash
    would add nothing); the key itself is shown once, when it is made
    (:func:`miasto.core.apikeys.api_key_create`). ``prefix`` finds the row without a scan
    and names the key in lists.
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("owner"),
        on_delete=models.CASCADE,
        related_name="api_keys",
    )
    name = models.CharField(_("application"), max_length=100)
    description = models.CharField(_("what it does"), max_length=300, blank=True)
    prefix = models.CharField(_("key prefix"), max_length=16, unique=True, editable=False)
    digest = models.CharField(max_length=64, editable=False)
    rate_per_minute = models.PositiveIntegerField(
        _("requests per minute"),
        null=True,
        blank=True,
        help_text=_("Empty: the default limit for keys."),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    last_used_at = models.DateTimeField(_("last used"), null=True, blank=True, editable=False)
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("API key")
        verbose_name_plural = _("API keys")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    @property
    def active(self) -> bool:
        return self.revoked_at is None


class ApiUsage(models.Model):
    """Requests to the APIs per key (none: anonymous) and endpoint (URL name), per day."""

    key = models.ForeignKey(
        ApiKey, null=True, blank=True, on_delete=models.CASCADE, related_name="usage"
    )
    endpoint = models.CharField(_("endpoint"), max_length=100)
    day = models.DateField(_("day"))
    hits = models.PositiveIntegerField(_("requests"), default=0)
    limited = models.PositiveIntegerField(_("refused (429)"), default=0)

    class Meta:
        verbose_name = _("API usage")
        verbose_name_plural = _("API usage")
        default_permissions = ("view",)
        constraints = [
            models.UniqueConstraint(
                fields=["key", "endpoint", "day"],
                name="core_apiusage_key_endpoint_day",
                nulls_distinct=False,
            )
        ]

    def __str__(self) -> str:
        return f"{self.key_id or '-'} {self.endpoint} {self.day}: {self.hits}"


class ApiRateWindow(models.Model):
    """Requests of one client (a key, an account or an address) in one minute.

    An UNLOGGED table (see the migration): counters that may be lost in a crash, written on
    every API request, shared by every worker process.
    """

    subject = models.CharField(max_length=80)
    window_start = models.DateTimeField()
    hits = models.PositiveIntegerField(default=0)

    class Meta:
        default_permissions = ()
        constraints = [
            models.UniqueConstraint(
                fields=["subject", "window_start"], name="core_apiratewindow_subject_window"
            )
        ]

    def __str__(self) -> str:
        return f"{self.subject} {self.window_start}: {self.hits}"


class Webhook(models.Model):
    """A registered application's subscription: POST a signed JSON notification to ``url``
    when ``topic`` happens to ``subject`` (e.g. a new version of one dataset)."""

    key = models.ForeignKey(
        ApiKey, verbose_name=_("application"), on_delete=models.CASCADE, related_name="webhooks"
    )
    topic = models.CharField(_("event"), max_length=60)
    subject = models.CharField(_("subject"), max_length=100)
    url = models.URLField(_("address (URL)"), max_length=500)
    #: the HMAC key of the signatures; shown to the owner, who needs it to check them
    secret = models.CharField(max_length=64, editable=False)
    active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("webhook")
        verbose_name_plural = _("webhooks")
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["topic", "subject"])]

    def __str__(self) -> str:
        return f"{self.topic}:{self.subject} → {self.url}"


class WebhookDelivery(models.Model):
    """One notification to one webhook, its attempts and its answer."""

    class Status(models.TextChoices):
        PENDING = "pending", _("waiting")
        DELIVERED = "delivered", _("delivered")
        FAILED = "failed", _("failed (gave up)")

    webhook = models.ForeignKey(Webhook, on_delete=models.CASCADE, related_name="deliveries")
    event_id = models.UUIDField(_("event id"))
    payload = models.JSONField(_("payload"))
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PENDING
    )
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    next_attempt_at = models.DateTimeField(_("next attempt"), null=True, blank=True)
    response_status = models.PositiveSmallIntegerField(_("answer (HTTP)"), null=True, blank=True)
    error = models.CharField(_("error"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    delivered_at = models.DateTimeField(_("delivered at"), null=True, blank=True)

    class Meta:
        verbose_name = _("webhook delivery")
        verbose_name_plural = _("webhook deliveries")
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["status", "next_attempt_at"])]

    def __str__(self) -> str:
        return f"{self.webhook_id} {self.event_id} {self.status}"


class ContentReport(models.Model):
    """Someone says a published contribution (a comment, a proposal, a report…) breaks the
    rules; moderators see it in their queue (:mod:`miasto.core.moderation`)."""

    class Reason(models.TextChoices):
        SPAM = "spam", _("spam or advertising")
        OFFENSIVE = "offensive", _("offensive or hateful")
        PERSONAL_DATA = "personal_data", _("reveals someone's personal data")
        OFF_TOPIC = "off_topic", _("off topic")
        ILLEGAL = "illegal", _("unlawful content")
        OTHER = "other", pgettext_lazy("reason", "other")

    class Outcome(models.TextChoices):
        OPEN = "", _("waiting")
        KEPT = "kept", _("kept: breaks no rule")
        REMOVED = "removed", _("removed")

    kind = models.CharField(_("kind of content"), max_length=60)
    object_id = models.CharField(_("content id"), max_length=64)
    reason = models.CharField(_("reason"), max_length=20, choices=Reason.choices)
    note = models.TextField(pgettext_lazy("content report", "note"), blank=True, max_length=2000)
    reporter = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("reported by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="content_reports",
    )
    created_at = models.DateTimeField(_("reported at"), auto_now_add=True)
    outcome = models.CharField(
        _("outcome"), max_length=10, choices=Outcome.choices, default="", blank=True
    )
    handled_at = models.DateTimeField(_("handled at"), null=True, blank=True)
    handled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("handled by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = _("content report")
        verbose_name_plural = _("content reports")
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["kind", "object_id"])]
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "object_id", "reporter"],
                condition=models.Q(reporter__isnull=False),
                name="content_report_once_per_person",
            )
        ]

    def __str__(self) -> str:
        return f"{self.kind}:{self.object_id} ({self.reason})"


class ThrottleHit(models.Model):
    """One action counted against a form's limit (:mod:`miasto.core.throttle`).

    UNLOGGED (see the migration): counters that may be lost in a crash. ``who`` is an account
    (``u<id>``) or a keyed hash of the client's address, never the address itself.
    """

    bucket = models.CharField(max_length=60)
    who = models.CharField(max_length=64)
    at = models.DateTimeField()

    class Meta:
        default_permissions = ()
        indexes = [models.Index(fields=["bucket", "who", "at"])]

    def __str__(self) -> str:
        return f"{self.bucket} {self.who} {self.at}"


class Assignable(models.Model):
    """The assignment of a case to one officer (:mod:`miasto.core.casework`); the modules'
    case models inherit it. Who assigned is in the audit log (the models are audited)."""

    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("assigned to"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    assigned_at = models.DateTimeField(_("assigned at"), null=True, blank=True)

    class Meta:
        abstract = True


class AnswerTemplate(models.Model):
    """A ready answer officers start from: per module (its queue's key) and per unit (none:
    every unit). Placeholders in braces are filled by
    :func:`miasto.core.casework.template_render`. Audited: ``core.apps`` registers it (the
    audit module reads these models, so they do not import it)."""

    module = models.CharField(_("module"), max_length=40)
    unit = models.ForeignKey(
        "territory.OrgUnit",
        verbose_name=_("unit (empty: every unit)"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
    )
    title = models.CharField(_("title"), max_length=120)
    body = models.TextField(pgettext_lazy("answer template", "text"), max_length=5000)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("answer template")
        verbose_name_plural = _("answer templates")
        ordering = ["module", "title", "id"]
        indexes = [models.Index(fields=["module", "unit"], name="core_template_module_unit")]

    def __str__(self) -> str:
        return self.title
