"""The one way to choose plan items in every form (courses, events, materials, quizzes, campaigns).

Several years' plans hold ~40 items each: the items are grouped by plan, the newest first, the groups
of earlier plans folded unless an item there is chosen, and a search box narrows the list by number or
words (``cms/static/cms/plan_items.js``; without JavaScript every box is still there).
"""

from django import forms
from django.utils.translation import gettext as _


class PlanItemsWidget(forms.CheckboxSelectMultiple):
    template_name = "cms/widgets/plan_items.html"

    class Media:
        css = {"all": ["cms/plan_items.css"]}
        js = ["cms/plan_items.js"]

    def optgroups(self, name, value, attrs=None):
        chosen = {str(v) for v in value}
        by_year = {}
        for option_value, _label in self.choices:
            item = getattr(option_value, "instance", None)
            if item is None:
                continue
            by_year.setdefault(item.section.plan.year, []).append(
                (option_value, f"{item.number} {item.title}")
            )
        groups = []
        index = 0
        for position, year in enumerate(sorted(by_year, reverse=True)):
            options = []
            for option_value, label in by_year[year]:
                selected = str(option_value) in chosen
                options.append(self.create_option(name, option_value, label, selected, index, attrs=attrs))
                index += 1
            label = _("План на %(year)s год") % {"year": year}
            is_open = position == 0 or any(option["selected"] for option in options)
            groups.append({"label": label, "options": options, "open": is_open, "year": year})
        return groups
