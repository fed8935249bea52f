"""Invitations: getting people imported from an HR roster (who have no password) into the platform.

* with e-mail: a letter with a set-password link, valid ``INVITATION_VALID_DAYS`` days and usable
  once (:mod:`.tokens`), sent on import if asked, and again per person or per municipality by a
  manager within their scope;
* without e-mail: one-time codes printed (or downloaded) by the municipal coordinator and handed out;
  a code sets the password once on ``/password/code/`` (linked from the login page), is stored hashed,
  expires with the invitation and is limited by the login lockout.

Every invitation is recorded (:class:`~.models.Invitation`: whom, how, by whom, when).
"""
