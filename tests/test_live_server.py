"""The live server the browser tests drive runs one request at a time on the in-memory SQLite test
database (conftest.OneRequestAtATimeServer); without that, overlapping transactions break each other."""

import threading
import time
import urllib.request

import pytest
from django.db import connection, transaction
from django.http import HttpResponse
from django.urls import path


def slow_transaction(request):
    # The inner block is a savepoint, as in any view that calls a service which is atomic too.
    with transaction.atomic(), transaction.atomic():
        connection.cursor().execute("SELECT 1")
        time.sleep(0.2)
    return HttpResponse("ok")


urlpatterns = [path("slow/", slow_transaction)]


@pytest.mark.skipif(connection.vendor != "sqlite", reason="only the in-memory SQLite test database needs it")
def test_overlapping_requests_do_not_break_each_others_transactions(live_server, settings):
    settings.ROOT_URLCONF = __name__
    statuses = []

    def fetch():
        try:
            with urllib.request.urlopen(f"{live_server.url}/slow/", timeout=30) as response:
                statuses.append(response.status)
        except urllib.error.HTTPError as error:
            statuses.append(error.code)

    threads = [threading.Thread(target=fetch) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert statuses == [200] * 4
