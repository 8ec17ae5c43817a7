"""Planning pages: plan list, plan page, APP GML upload (see :mod:`miasto.planning.pages`)."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import path
from django.views.decorators.http import require_GET

from miasto.planning import selectors


@require_GET
def plan_list(request: HttpRequest) -> HttpResponse:
    return render(request, "planning/plan_list.html", {"plans": selectors.plan_list()})


urlpatterns = [
    path("planowanie/", plan_list, name="plans"),
]
