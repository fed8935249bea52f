"""A person's training record: what HR files for attestation and what a manager of the person's scope
may open — the profile, courses and assignments with their due dates, certificates, test sittings with
results, seminars with registrations and check-ins.

It is the part of «Мои данные» (:mod:`people.privacy.my_data`) whose sheets the apps mark
``in_training_record``: one source of truth for what the platform holds about a person, and no answers,
logins, questions asked or messages in the manager's view.
"""

from .privacy.my_data import personal_data, sheets_workbook


def training_record(user):
    """The person's training-record sheets, the profile first; sheets without rows are left out."""
    return [sheet for sheet in personal_data(user) if sheet.in_training_record]


def training_record_workbook(user):
    """``(xlsx bytes, rows)``: the record as a workbook and how many rows it names (for the audit log)."""
    sheets = training_record(user)
    return sheets_workbook(sheets), sum(len(sheet.rows) for sheet in sheets)
