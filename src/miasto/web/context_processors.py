from django.http import HttpRequest

from miasto import __version__


def site(request: HttpRequest) -> dict[str, object]:
    return {"miasto_version": __version__}
