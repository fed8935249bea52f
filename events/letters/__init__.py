"""Letters to municipalities («Письма муниципалитетам», issue 18).

The authorized body sends a material of the library (информационное письмо, методические рекомендации,
судебная практика, обзор изменений законодательства) to the anti-corruption coordinators of chosen
municipalities: mail through the outbox and a notice in «Мой кабинет». Each recipient presses
«Ознакомлен»; managers see per municipality who has and who has not, and remind the rest. See
``docs/letters.md``.

Modules: :mod:`.access` (who sees what), :mod:`.services` (recipients, sending, acknowledging,
reminding), :mod:`.figures` (counts for the managers and the plan report), :mod:`.audit` (Wagtail's
log), :mod:`.cabinet`, :mod:`.privacy`, :mod:`.forms`, :mod:`.views`, :mod:`.urls`, :mod:`.admin`
(menu, the material's button, log actions), :mod:`.demo`. Models in ``events/models/letters.py``.
"""


def register():
    """Plug letters into the lower apps' registries (called from ``EventsConfig.ready``)."""
    from people.cabinet import register_section
    from people.demo import register_builder
    from people.notices import register_source

    from . import privacy
    from .cabinet import my_letters_section, my_notices
    from .demo import build_demo_letters
    from .services import register_mail_kinds

    privacy.register()
    register_mail_kinds()
    register_section(my_letters_section, order=140)
    register_source(my_notices)
    register_builder(build_demo_letters, order=210)  # after the materials library (cms, 100)
