"""The advertising app's models, one submodule per area (import them from here)."""

from miasto.advertising.models.compliance import ComplianceResult, ComplianceRun, Violation
from miasto.advertising.models.enforcement import CaseDocument, CaseReminder, CaseTransition, EnforcementCase, Inspection  # noqa: E501,F401
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
