"""The students' contest «Вместе против коррупции» (issue 18), run by the prosecutor's office, the
Governor's Administration and local government.

Students register themselves (they are not users of the site: :mod:`.access`), confirm their e-mail by a
link, and submit works per nomination before the deadline; jurors (``Role.JURY``) score anonymised works
against the contest's criteria in the judging period; organizers see the submissions, the ranking per
nomination and age group, set places and publish the winners on the public page. See ``docs/contest.md``.

Modules: :mod:`.access`, :mod:`.services`, :mod:`.uploads` (type by content, size), :mod:`.forms`,
:mod:`.views`, :mod:`.urls`, :mod:`.privacy` (retention), :mod:`.audit` (Wagtail's log), :mod:`.admin`
(the contest as a snippet), :mod:`.demo`.
"""


def register():
    """Plug the contest into the lower apps' registries (called from ``EventsConfig.ready``)."""
    from people.demo import register_builder

    from . import privacy
    from .demo import build_demo_contest
    from .services import register_mail_kinds

    privacy.register()
    register_mail_kinds()
    register_builder(build_demo_contest, order=210)
