"""Administrators read the API keys and their use, set a key's own rate limit and revoke it;
nobody adds a key in the admin (a key is made by its owner, or by ``miasto api-key create``,
and shown once). Other staff roles see none of this: keys are tied to people's accounts."""

from miasto.core.roles import grant

grant("administrator", "core.view_apikey", "core.change_apikey", "core.view_apiusage")
