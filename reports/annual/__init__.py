"""The annual report on the execution of the whole anti-corruption plan, as pages of the site.

A :class:`~reports.annual.models.PlanReportPage` (under the section «Противодействие коррупции»,
:class:`~reports.annual.models.PlanReportIndexPage`) is drafted, reviewed and published through the
site's moderation workflow like any page. It holds a text «Что сделано» for every item of its plan,
prefilled when the draft is created; on publication the figures of the measured items are computed
once and frozen, and the DOCX (:mod:`.docx`) and the XLSX (:mod:`.xlsx`) are generated from them and
attached (:mod:`.services`). The editor's checks of the texts are in :mod:`.forms`.
"""
