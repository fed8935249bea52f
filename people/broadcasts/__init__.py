"""Mass messages of managers (рассылки): one text to a list of people chosen within the manager's scope.

The list is chosen elsewhere (``reports.broadcasts``, which knows campaigns and courses); here a
message is recorded — who wrote what, when, to whom and by which criteria, append-only — handed to the
outbox for those with an address, and shown to every recipient in «Мой кабинет».
"""
