"""The text of a letter to a person: one greeting, the paragraphs, one signature, in every kind of mail."""

from django.utils.translation import gettext as _


def letter_text(person, *paragraphs):
    """«Здравствуйте, <full name>!», the non-empty ``paragraphs`` and the signature, a blank line apart."""
    greeting = _("Здравствуйте, %(name)s!") % {"name": person.get_full_name() or person.username}
    body = [greeting, *(paragraph for paragraph in paragraphs if paragraph), _("Антикор: обучение")]
    return "\n\n".join(body) + "\n"
