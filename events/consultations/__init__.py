"""Consultations («регулярное консультирование муниципальных служащих», plan item 1.3).

A servant or a municipal coordinator asks the authorized body a question (a topic, the text, an
optional attachment); regional managers answer in a thread; the asker follows up or closes it. The
asker is told of each answer by mail and in «Мой кабинет». Answered questions may be published,
anonymised, in the materials library (:mod:`.faq`). Managers see open and overdue questions and the
counts per municipality and topic (:mod:`.views`, :mod:`.figures`); the plan report counts them for
item 1.3 (``reports.plan.figures``). See ``docs/consultations.md``.

Modules: :mod:`.access` (who sees what), :mod:`.services` (changes, term of answer, mail),
:mod:`.faq` (publishing), :mod:`.audit` (Wagtail's log), :mod:`.cabinet`, :mod:`.privacy`,
:mod:`.figures`, :mod:`.forms`, :mod:`.views`, :mod:`.urls`, :mod:`.admin` (admin snippet and menu),
:mod:`.demo`.
"""


def register():
    """Plug consultations into the lower apps' registries (called from ``EventsConfig.ready``)."""
    from people.cabinet import register_section
    from people.demo import register_builder
    from people.notices import register_source

    from . import privacy
    from .cabinet import my_notices, my_questions_section
    from .demo import build_demo_consultations
    from .services import register_mail_kinds

    privacy.register()
    register_mail_kinds()
    register_section(my_questions_section, order=150)
    register_source(my_notices)
    register_builder(build_demo_consultations, order=200)  # after the materials library (cms, 100)
