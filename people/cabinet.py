"""Sections of "Мой кабинет" contributed by other apps.

``people`` imports no domain app: courses, quizzes and events register a callable with
:func:`register_section` in their ``AppConfig.ready``; each returns ``None`` or a dict with a
``title`` and a ``template`` (plus whatever context its template needs).
"""

_SECTIONS = {}  # provider -> order


def register_section(provider, order=100):
    """Add a section; sections show by ``order``, then in the order they were registered."""
    _SECTIONS.setdefault(provider, order)
    return provider


def cabinet_sections(request):
    sections = []
    for provider in sorted(_SECTIONS, key=_SECTIONS.get):
        section = provider(request)
        if section:
            sections.append(section)
    return sections
