"""The advertising app's models, one submodule per area (import them from here)."""

from miasto.advertising.models import enforcement as enforcement  # the workflow's models
from miasto.advertising.models.compliance import ComplianceResult, ComplianceRun, Violation
from miasto.advertising.models.fees import FeeCap, FeeExemption, FeeRate
from miasto.advertising.models.register import Carrier, CarrierPhoto, Owner, Permit
from miasto.advertising.models.resolution import (
    LandscapeResolution,
    ResolutionStatusChange,
    RuleSet,
    Zone,
    ZoneRule,
)

__all__ = [
    "Carrier",
    "CarrierPhoto",
    "ComplianceResult",
    "ComplianceRun",
    "FeeCap",
    "FeeExemption",
    "FeeRate",
    "LandscapeResolution",
    "Owner",
    "Permit",
    "ResolutionStatusChange",
    "RuleSet",
    "Violation",
    "Zone",
    "ZoneRule",
]
