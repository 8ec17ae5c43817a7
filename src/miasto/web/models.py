"""The site's own pages that an administrator edits: the accessibility statement (deklaracja
dostępności) and the contact and privacy pages.

Each is one row, created with Polish defaults (:mod:`miasto.web.defaults`) the first time it
is read (:mod:`miasto.web.site_pages`), edited in the admin by administrators only
(``web/roles.py``) and audited like every other admin edit.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from miasto.core.audit import audited


@audited
class AccessibilityStatement(models.Model):
    """The accessibility statement in the structure of the act of 4 April 2019 on digital
    accessibility of public bodies' websites and mobile apps (art. 10) and the minister's
    template: one row."""

    class Status(models.TextChoices):
        COMPLIANT = "compliant", pgettext_lazy("accessibility statement", "compliant")
        PARTIAL = "partial", _("partially compliant")
        NON_COMPLIANT = "non_compliant", _("non-compliant")

    class Method(models.TextChoices):
        SELF = "self", _("self-assessment by the public body")
        EXTERNAL = "external", _("assessment by an external body")

    entity_name = models.CharField(
        _("public body"), max_length=300, help_text=_("Full official name, e.g. Urząd Miasta …")
    )
    website_name = models.CharField(
        _("website name (genitive)"),
        max_length=300,
        help_text=_("As it reads after 'dostępności': e.g. serwisu Miasto."),
    )
    website_url = models.URLField(
        _("website address"), blank=True, help_text=_("Empty: the address of this site.")
    )
    published_on = models.DateField(_("date the website was published"))
    updated_on = models.DateField(_("date of the last major update"))
    status = models.CharField(
        _("compliance status"), max_length=20, choices=Status.choices, default=Status.PARTIAL
    )
    inaccessible_content = models.TextField(
        _("content that is not accessible, with the reasons"),
        blank=True,
        help_text=_("One item a line starting with '- '; a line starting with '## ' is a heading."),
    )
    exemptions = models.TextField(_("content exempt from the act"), blank=True)
    prepared_on = models.DateField(_("date the statement was prepared"))
    reviewed_on = models.DateField(_("date of the last review"))
    method = models.CharField(
        _("assessment method"), max_length=20, choices=Method.choices, default=Method.SELF
    )
    keyboard_shortcuts = models.TextField(_("keyboard shortcuts"), blank=True)
    contact_person = models.CharField(_("contact person"), max_length=200, blank=True)
    contact_email = models.EmailField(_("contact e-mail"), blank=True)
    contact_phone = models.CharField(_("contact phone"), max_length=50, blank=True)
    procedure = models.TextField(_("requests and complaints procedure"))
    architecture = models.TextField(_("architectural accessibility"), blank=True)
    mobile_apps = models.TextField(_("mobile apps"), blank=True)
    updated_at = models.DateTimeField(_("last edited"), auto_now=True)

    class Meta:
        verbose_name = _("accessibility statement")
        verbose_name_plural = _("accessibility statement")

    def __str__(self) -> str:
        return str(_("Accessibility statement"))


@audited
class SitePage(models.Model):
    """A page of the site an administrator writes: contact, privacy."""

    class Key(models.TextChoices):
        CONTACT = "contact", _("contact")
        PRIVACY = "privacy", _("privacy")

    key = models.CharField(_("page"), max_length=20, choices=Key.choices, unique=True)
    title = models.CharField(_("title"), max_length=200)
    body = models.TextField(
        pgettext_lazy("page content", "text"),
        help_text=_(
            "Paragraphs separated by an empty line; a line starting with '## ' is a heading, "
            "lines starting with '- ' a list. Addresses and e-mails become links."
        ),
    )
    updated_at = models.DateTimeField(_("last edited"), auto_now=True)

    class Meta:
        verbose_name = _("site page")
        verbose_name_plural = _("site pages (contact, privacy)")
        ordering = ("key",)

    def __str__(self) -> str:
        return self.title
