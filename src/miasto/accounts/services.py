"""Profiles, the personal-data export, and account deletion.

Privacy rules (docs/accounts.md): the audit log is the city's record of who changed public
data, so it is kept when an account is deleted, but its entries no longer name the person:
``actor`` becomes empty and ``actor_name`` a pseudonym (``deleted user #<id>``) that keeps one
person's entries together without saying who it was. Sign-in records kept by django-axes
(IP addresses, browsers) are deleted with the account. Staff accounts are not deleted by their
owners: an administrator deactivates them, because their work is an official record.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models, transaction
from django.utils import timezone

from miasto import __version__
from miasto.accounts.models import Profile
from miasto.core.audit import snapshot
from miasto.core.models import AuditEntry
from miasto.core.privacy import anonymise_user

#: records exported in the profile part, or holding secrets that are no one's business
_NOT_IN_RECORDS = {
    "accounts.profile",
    "account.emailaddress",
    "account.emailconfirmation",
    "mfa.authenticator",
    "auth.user_groups",
    "auth.user_user_permissions",
}


def pseudonym(user_id: int) -> str:
    """What the audit log says instead of a deleted person's name (stored data, not translated)."""
    return f"deleted user #{user_id}"


def profile_of(user: Any, language: str | None = None) -> Profile:
    """The user's profile; a new one starts in ``language`` (the one the visitor was using)."""
    if language not in dict(settings.LANGUAGES):
        language = settings.LANGUAGE_CODE
    profile, _created = Profile.objects.get_or_create(user=user, defaults={"language": language})
    return profile


def may_delete_itself(user: Any) -> bool:
    return bool(user.is_authenticated and not user.is_staff and not user.is_superuser)


def _iso(value: Any) -> Any:
    return value.isoformat() if hasattr(value, "isoformat") else value


def _profile_data(user: Any) -> dict[str, Any]:
    from allauth.account.models import EmailAddress
    from allauth.mfa.models import Authenticator

    return {
        "username": user.get_username(),
        "first_name": user.first_name,
        "last_name": user.last_name,
        "email": user.email,
        "language": profile_of(user).language,
        "date_joined": _iso(user.date_joined),
        "last_login": _iso(user.last_login),
        "is_staff": user.is_staff,
        "roles": sorted(user.groups.values_list("name", flat=True)),
        "org_units": [
            {"code": code, "name": name}
            for code, name in user.org_units.order_by("code").values_list("code", "name")
        ],
        "email_addresses": [
            {"email": e.email, "verified": e.verified, "primary": e.primary}
            for e in EmailAddress.objects.filter(user=user).order_by("email")
        ],
        # the kind and dates only: the secrets stay in the database
        "two_factor": [
            {"type": a.type, "created_at": _iso(a.created_at), "last_used_at": _iso(a.last_used_at)}
            for a in Authenticator.objects.filter(user=user).order_by("pk")
        ],
    }


def _audit_data(user: Any) -> list[dict[str, Any]]:
    return [
        {
            "at": _iso(e.at),
            "source": e.source,
            "action": e.action,
            "model": e.model,
            "object_id": e.object_id,
            "object": e.object_repr,
            "changes": e.changes,
        }
        for e in AuditEntry.objects.filter(actor=user).order_by("at", "id").iterator()
    ]


def _related_records(user: Any) -> dict[str, list[dict[str, Any]]]:
    """Every other row that points at the user (uploads, imports, jobs, scenarios…).

    Found through the user model's reverse relations, so a new module's records are exported
    without touching this code.
    """
    records: dict[str, list[dict[str, Any]]] = {}
    for rel in user._meta.get_fields(include_hidden=True):
        if not (rel.auto_created and not rel.concrete and rel.is_relation):
            continue
        model = rel.related_model
        label = model._meta.label_lower
        # many-to-many link tables (groups, unit membership) are in the profile part
        if label in _NOT_IN_RECORDS or model is AuditEntry or model._meta.auto_created:
            continue
        if rel.many_to_many or not isinstance(
            rel.remote_field, models.ForeignKey | models.OneToOneField
        ):
            continue
        rows = model._default_manager.filter(**{rel.remote_field.name: user}).order_by("pk")
        data = [snapshot(row) for row in rows.iterator()]
        if data:
            records.setdefault(label, []).extend(data)
    return records


def _sign_ins(user: Any) -> list[dict[str, Any]]:
    from axes.models import AccessLog

    return [
        {
            "at": _iso(a.attempt_time),
            "logout_at": _iso(a.logout_time),
            "ip_address": a.ip_address,
            "user_agent": a.user_agent,
        }
        for a in AccessLog.objects.filter(username__iexact=user.get_username()).order_by("pk")
    ]


def export_user_data(user: Any) -> dict[str, Any]:
    """All that Miasto holds about ``user``, as JSON-ready data (the GDPR art. 15/20 copy)."""
    return {
        "generated_at": timezone.now().isoformat(),
        "miasto_version": __version__,
        "profile": _profile_data(user),
        "audit_log": _audit_data(user),
        "records": _related_records(user),
        "sign_ins": _sign_ins(user),
    }


@transaction.atomic
def delete_account(user: Any) -> None:
    """Delete ``user``; keep their audit entries under a pseudonym (see the module doc)."""
    from axes.models import AccessAttempt, AccessFailureLog, AccessLog

    username = user.get_username()
    anonymise_user(user)
    AuditEntry.objects.filter(actor=user).update(actor=None, actor_name=pseudonym(user.pk))
    for model in (AccessAttempt, AccessLog, AccessFailureLog):
        model.objects.filter(username__iexact=username).delete()
    user.delete()
