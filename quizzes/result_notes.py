"""Notes that other apps add to a sitting's result page, without quizzes importing them: a course says
that its final test completed the course and links the certificate it earned.

An app registers ``provider(sitting)`` in its ``AppConfig.ready``; the provider returns a list of
:class:`ResultNote` (empty when the sitting is none of its business).
"""

from dataclasses import dataclass

_PROVIDERS = []


@dataclass(frozen=True)
class ResultNote:
    text: str
    url: str = ""
    link_text: str = ""


def register(provider):
    if provider not in _PROVIDERS:
        _PROVIDERS.append(provider)
    return provider


def notes_for(sitting):
    return [note for provider in _PROVIDERS for note in provider(sitting)]
