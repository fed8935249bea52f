from .pages import HomePage, StandardPage
from .plan import Plan, PlanItem, PlanSection

__all__ = ["HomePage", "Plan", "PlanItem", "PlanSection", "StandardPage"]
