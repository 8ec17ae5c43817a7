"""Permissions each role holds on accounts' records in the admin (docs/roles.md).

Administrators help people with their accounts: they read the sign-in records of
django-axes (who failed to sign in, from where; a locked-out account) and may delete an
attempt record, which unlocks the account or address; they read profiles and e-mail
addresses. Other staff roles see none of this: sign-in records (IP addresses, browsers) and
e-mail addresses are personal data that their work does not need.

Nobody but superusers reads or changes two-factor devices (``mfa.authenticator``): their
record holds the TOTP secret, and deleting one turns another person's second factor off.
"""

from miasto.core.roles import grant

grant(
    "administrator",
    "accounts.view_profile",
    "account.view_emailaddress",
    "axes.view_accessattempt",
    "axes.delete_accessattempt",
    "axes.view_accesslog",
    "axes.view_accessfailurelog",
)
