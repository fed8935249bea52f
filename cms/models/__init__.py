from .materials import MaterialDocument, MaterialIndexPage, MaterialKind, MaterialPage, MaterialTopic
from .pages import HomePage, StandardPage
from .plan import Plan, PlanItem, PlanSection

__all__ = [
    "HomePage",
    "MaterialDocument",
    "MaterialIndexPage",
    "MaterialKind",
    "MaterialPage",
    "MaterialTopic",
    "Plan",
    "PlanItem",
    "PlanSection",
    "StandardPage",
]
