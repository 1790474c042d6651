"""The spreadsheet kinds the portal imports and exports, by the name the commands use."""

from indicators.resources import IndicatorResource, TargetResource, ValueResource
from partners.resources import PartnerResource
from plans.resources import RiskResource

EXPORT_ONLY = {"values"}  # figures come in through the returns upload, with the entry form's rules

RESOURCES = {
    "indicators": IndicatorResource,
    "targets": TargetResource,
    "values": ValueResource,
    "partners": PartnerResource,
    "risks": RiskResource,
}
