"""Production settings refuse to start without secrets and pass `check --deploy` with them."""

import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def run_manage(*args, env_overrides, drop=()):
    env = {k: v for k, v in os.environ.items() if k not in drop and k != "DJANGO_SETTINGS_MODULE"}
    env.update(env_overrides)
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def production_env(tmp_path):
    return {
        "DJANGO_SETTINGS_MODULE": "config.settings.production",
        "SECRET_KEY": secrets.token_urlsafe(64),
        "ALLOWED_HOSTS": "learn.example.ru",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'prod.sqlite3'}",
        "SITE_URL": "https://learn.example.ru",
    }


def test_check_deploy_passes_without_warnings(tmp_path):
    result = run_manage(
        "check", "--deploy", "--fail-level", "WARNING", env_overrides=production_env(tmp_path)
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_check_deploy_warns_when_links_would_lead_to_this_machine(tmp_path):
    env = production_env(tmp_path)
    del env["SITE_URL"]
    result = run_manage("check", "--deploy", "--fail-level", "WARNING", env_overrides=env, drop=("SITE_URL",))
    assert result.returncode != 0
    assert "people.W004" in result.stderr + result.stdout


@pytest.mark.parametrize("missing", ["SECRET_KEY", "ALLOWED_HOSTS"])
def test_production_refuses_to_start_without_required_variable(tmp_path, missing):
    env = production_env(tmp_path)
    del env[missing]
    result = run_manage("check", env_overrides=env, drop=(missing,))
    assert result.returncode != 0
    assert f"Environment variable {missing} is required" in result.stderr


def test_language_and_time_zone(settings):
    assert settings.LANGUAGE_CODE == "ru"
    assert settings.TIME_ZONE == "Europe/Moscow"


def test_redis_url_selects_redis_channel_layer(tmp_path):
    code = "from django.conf import settings; print(settings.CHANNEL_LAYERS['default']['BACKEND'])"
    env = {"DJANGO_SETTINGS_MODULE": "config.settings.dev", "REDIS_URL": "redis://127.0.0.1:6379/3"}
    result = run_manage("shell", "-c", code, env_overrides=env)
    assert result.stdout.strip().endswith("channels_redis.core.RedisChannelLayer"), result.stderr
    result = run_manage(
        "shell",
        "-c",
        code,
        env_overrides={"DJANGO_SETTINGS_MODULE": "config.settings.dev"},
        drop=("REDIS_URL",),
    )
    assert result.stdout.strip().endswith("channels.layers.InMemoryChannelLayer"), result.stderr


def test_production_on_postgresql_uses_a_bounded_connection_pool(tmp_path):
    env = production_env(tmp_path)
    env["DATABASE_URL"] = "postgres://postgres@127.0.0.1:5432/antikor"
    code = (
        "from django.conf import settings; d = settings.DATABASES['default']; "
        "print(d['CONN_MAX_AGE'], d['OPTIONS']['pool']['max_size'], d['CONN_HEALTH_CHECKS'])"
    )
    result = run_manage("shell", "-c", code, env_overrides={**env, "DB_POOL_MAX_SIZE": "12"})
    # connections are checked when taken from the pool: a dead one is replaced, not a 500
    assert result.stdout.split()[-3:] == ["0", "12", "True"], result.stderr


@pytest.mark.django_db
@pytest.mark.parametrize("url", ["/api/v1/openapi.json", "/api/v1/docs"])
def test_the_api_docs_are_for_staff_only_unless_public(client, settings, url):
    from people.factories import make_person

    settings.API_DOCS_PUBLIC = False
    assert client.get(url).status_code == 404
    client.force_login(make_person())
    assert client.get(url).status_code == 404
    client.force_login(make_person(is_staff=True))
    assert client.get(url).status_code == 200
    settings.API_DOCS_PUBLIC = True
    client.logout()
    assert client.get(url).status_code == 200


def test_production_keeps_the_api_docs_for_staff():
    from config.settings import base

    assert base.API_DOCS_PUBLIC is False or os.environ.get("API_DOCS_PUBLIC")


@pytest.mark.parametrize(("switch", "threshold"), [(None, "5"), ("on", "5"), ("off", "None")])
def test_prepared_statements_are_on_for_postgresql_unless_switched_off(tmp_path, switch, threshold):
    env = production_env(tmp_path)
    env["DATABASE_URL"] = "postgres://antikor@127.0.0.1:5432/antikor"  # read, never connected to
    drop = ("DB_PREPARED_STATEMENTS",)
    if switch is not None:
        env["DB_PREPARED_STATEMENTS"] = switch
    result = run_manage(
        "shell",
        "-c",
        "from django.conf import settings;"
        " print(settings.DATABASES['default']['OPTIONS'].get('prepare_threshold'))",
        env_overrides=env,
        drop=drop,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().splitlines()[-1] == threshold
