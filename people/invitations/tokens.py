"""Set-password links of invitations: Django's password-reset tokens with a salt and a lifetime of
their own (``INVITATION_VALID_DAYS``). Like a reset link, a link stops working once a password is set
(the token hashes the stored password), so it is used once."""

import datetime

from django.conf import settings
from django.contrib.auth.tokens import PasswordResetTokenGenerator
from django.utils.crypto import constant_time_compare
from django.utils.http import base36_to_int


def valid_for():
    return datetime.timedelta(days=settings.INVITATION_VALID_DAYS)


class InvitationTokenGenerator(PasswordResetTokenGenerator):
    key_salt = "people.invitations.tokens.InvitationTokenGenerator"

    def check_token(self, user, token):
        if not (user and token):
            return False
        try:
            ts_b36, _hash = token.split("-")
            timestamp = base36_to_int(ts_b36)
        except ValueError:
            return False
        if not any(
            constant_time_compare(self._make_token_with_timestamp(user, timestamp, secret), token)
            for secret in [self.secret, *self.secret_fallbacks]
        ):
            return False
        return self._num_seconds(self._now()) - timestamp <= valid_for().total_seconds()


invitation_tokens = InvitationTokenGenerator()
