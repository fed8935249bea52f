"""Sections of "Мой кабинет" contributed by other apps.

``people`` imports no domain app: courses, quizzes and events register a callable with
:func:`register_section` in their ``AppConfig.ready``; each returns ``None`` or a dict with a
``title`` and a ``template`` (plus whatever context its template needs).
"""

_SECTIONS = []


def register_section(provider):
    if provider not in _SECTIONS:
        _SECTIONS.append(provider)
    return provider


def cabinet_sections(request):
    sections = []
    for provider in _SECTIONS:
        section = provider(request)
        if section:
            sections.append(section)
    return sections
