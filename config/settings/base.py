"""Settings shared by every environment. Services and secrets come from the environment."""

from datetime import timedelta
from pathlib import Path

import dj_database_url
from csp.constants import NONE, SELF, UNSAFE_EVAL, UNSAFE_INLINE

from config.env import env_bool, env_int, env_list, env_pairs, env_str

BASE_DIR = Path(__file__).resolve().parent.parent.parent

SECRET_KEY = env_str("SECRET_KEY", "insecure-dev-key-change-me")
DEBUG = env_bool("DEBUG", False)
# The API's OpenAPI schema and interactive docs (/api/v1/openapi.json, /api/v1/docs) for everybody, or
# for staff only (production: off unless asked for).
API_DOCS_PUBLIC = env_bool("API_DOCS_PUBLIC", False)
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost"])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "daphne",
    # project apps (dependencies point down this list: reports → domain apps → cms, people)
    "reports",
    "courses",
    "quizzes",
    "events",
    "cms",
    "people",
    # wagtail
    "wagtail.contrib.forms",
    "wagtail.contrib.redirects",
    "wagtail.contrib.settings",
    "wagtail.contrib.routable_page",
    "wagtail.contrib.table_block",
    "wagtail.embeds",
    "wagtail.sites",
    "wagtail.users",
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.admin",
    "wagtail",
    "modelcluster",
    "taggit",
    "django_filters",
    # third party
    "channels",
    "polymorphic",
    "ninja",  # its Swagger UI is then served from our static files, not a CDN
    "django_tasks",
    "django_tasks_db",
    "axes",  # login lockout (see docs/security.md)
    "csp",  # Content-Security-Policy (config/csp.py); its system checks read the settings below
    # django
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # Content-Security-Policy on every response: the site's strict policy, the admins' own (config/csp.py).
    "config.csp.CSPMiddleware",
    # A NUL character in the path, the query or a form body: a Russian 400 before anything reads it.
    "config.null_characters.RejectNullCharactersMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
    # Last: turns a login refused by the lockout into the Russian 429 page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"
ASGI_APPLICATION = "config.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "wagtail.contrib.settings.context_processors.settings",
            ],
        },
    },
]

# Database: DATABASE_URL (postgres://user@host:5432/name) or SQLite in the project folder.
DATABASES = {
    "default": dj_database_url.parse(
        env_str("DATABASE_URL") or f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=env_int("DB_CONN_MAX_AGE", 0),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Writers take the lock at BEGIN (no "database is locked" halfway through a transaction),
    # readers don't block writers (WAL), and a busy database is waited for, not failed.
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {
            "transaction_mode": "IMMEDIATE",
            "timeout": 20,
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        }
    )
elif DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql" and env_bool(
    "DB_PREPARED_STATEMENTS", True
):
    # The hot paths' statements run through people.statements.prepared_cursor are prepared once per
    # connection (their planning cost more than running them). Django's own queries bind on the client
    # and are never prepared whatever this says. Off for a pooler in transaction mode.
    DATABASES["default"].setdefault("OPTIONS", {}).setdefault("prepare_threshold", 5)
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Channels: Redis when REDIS_URL is set, otherwise an in-memory layer (one process only).
REDIS_URL = env_str("REDIS_URL")
if REDIS_URL:
    CHANNEL_LAYERS = {
        "default": {
            "BACKEND": "channels_redis.core.RedisChannelLayer",
            # redis-py 8 times a read out after 5 s, the same 5 s channels-redis blocks in BZPOPMIN:
            # idle live pages dropped (benchmarks/live_events.py); a pool of 100 refused group_discard
            # when many people left at once, leaving dead members in the group.
            "CONFIG": {"hosts": [{"address": REDIS_URL, "socket_timeout": 30, "max_connections": 1000}]},
        }
    }
else:
    CHANNEL_LAYERS = {"default": {"BACKEND": "channels.layers.InMemoryChannelLayer"}}

# The cache and the sessions: with Redis, one cache for every process (the contest's sign-in lockout
# counts there), and sessions read from it instead of the database on every request (written through
# to the database, so a Redis restart signs nobody out). Without Redis (make run) a per-process cache and
# sessions in the database: a per-process cache of sessions would keep a session alive in the other
# processes after a logout.
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "config.cache.SharedClientRedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": env_str("CACHE_KEY_PREFIX", "antikor"),
            # A Redis that hangs must not hold every request: after a second the cache is a miss.
            "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1},
        }
    }
    SESSION_ENGINE = "config.sessions"  # cached_db that keeps working while Redis is down

# Background work through Django's Tasks API (the django-tasks backport).
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}

AUTH_USER_MODEL = "people.User"
AUTHENTICATION_BACKENDS = [
    # First: refuses every login (site, Wagtail admin, Django admin) for a locked-out login + address.
    "people.backends.LoginLockoutBackend",
    "people.backends.UsernameOrEmailBackend",
]

# Sign-in with the organization's directory: Active Directory or OpenLDAP, through django-auth-ldap
# (people.backends.DirectoryBackend, mapping in people/directory.py; every variable, its format and
# examples for AD and OpenLDAP: docs/deploy.md, "Directory sign-in"). Off while AUTH_LDAP_SERVER_URI is
# empty: the backend is then not in AUTHENTICATION_BACKENDS. AUTH_LDAP_* are django-auth-ldap's own
# settings; DIRECTORY_* are the project's, from which the backend builds django-auth-ldap's searches.
AUTH_LDAP_SERVER_URI = env_str("AUTH_LDAP_SERVER_URI", "").strip()
AUTH_LDAP_BIND_DN = env_str("AUTH_LDAP_BIND_DN", "")
AUTH_LDAP_BIND_PASSWORD = env_str("AUTH_LDAP_BIND_PASSWORD", "")
AUTH_LDAP_START_TLS = env_bool("AUTH_LDAP_START_TLS", False)
DIRECTORY_CA_CERT_FILE = env_str("DIRECTORY_CA_CERT_FILE", "")
DIRECTORY_TIMEOUT = env_int("DIRECTORY_TIMEOUT", 5)  # seconds, per connection and per operation
DIRECTORY_USER_SEARCH_BASE = env_str("DIRECTORY_USER_SEARCH_BASE", "")
DIRECTORY_USER_FILTER = env_str("DIRECTORY_USER_FILTER", "(uid=%(user)s)")
DIRECTORY_REQUIRE_GROUP = env_str("DIRECTORY_REQUIRE_GROUP", "")
DIRECTORY_GROUP_SEARCH_BASE = env_str("DIRECTORY_GROUP_SEARCH_BASE", "")
DIRECTORY_GROUP_FILTER = env_str("DIRECTORY_GROUP_FILTER", "(objectClass=groupOfNames)")
DIRECTORY_GROUP_TYPE = env_str("DIRECTORY_GROUP_TYPE", "groupOfNames")
# Account fields ← directory attributes, and how an existing account is found besides its login.
DIRECTORY_ATTRIBUTES = dict(
    env_pairs(
        "DIRECTORY_ATTRIBUTES",
        "last_name=sn; first_name=givenName; patronymic=middleName; email=mail; position=title; "
        "personnel_number=employeeNumber",
    )
)
DIRECTORY_MATCH_BY = env_list("DIRECTORY_MATCH_BY")
# Organization and municipality: the values of one attribute (or "dn": the entry's OUs, nearest first)
# through these tables (directory value=organization or municipality name, or id:<number>).
DIRECTORY_PLACE_ATTRIBUTE = env_str("DIRECTORY_PLACE_ATTRIBUTE", "")
DIRECTORY_ORGANIZATIONS = env_pairs("DIRECTORY_ORGANIZATIONS")
DIRECTORY_MUNICIPALITIES = env_pairs("DIRECTORY_MUNICIPALITIES")
DIRECTORY_CATEGORY_ATTRIBUTE = env_str("DIRECTORY_CATEGORY_ATTRIBUTE", "")
DIRECTORY_CATEGORIES = env_pairs("DIRECTORY_CATEGORIES")
# Roles (people.roles.Role) ← directory groups: group DN=role, one pair per entry.
DIRECTORY_ROLE_GROUPS = env_pairs("DIRECTORY_ROLE_GROUPS")
if AUTH_LDAP_SERVER_URI:
    AUTHENTICATION_BACKENDS.append("people.backends.DirectoryBackend")

LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "cabinet"
LOGOUT_REDIRECT_URL = "/"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "ru"
LANGUAGES = [("ru", "Русский")]
TIME_ZONE = "Europe/Moscow"
USE_I18N = True
USE_TZ = True
LOCALE_PATHS = [BASE_DIR / "locale"]

STATICFILES_FINDERS = [
    "django.contrib.staticfiles.finders.FileSystemFinder",
    "django.contrib.staticfiles.finders.AppDirectoriesFinder",
]
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = Path(env_str("STATIC_ROOT", str(BASE_DIR / "var" / "static")))
STATIC_URL = "/static/"
MEDIA_ROOT = Path(env_str("MEDIA_ROOT", str(BASE_DIR / "var" / "media")))
MEDIA_URL = "/media/"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

# Uploads. A request body without files (forms, API JSON) is refused above DATA_UPLOAD_MAX_MEMORY_SIZE;
# uploaded files larger than FILE_UPLOAD_MAX_MEMORY_SIZE go to a temporary file instead of memory.
# Every upload form has its own size limit (documents, images, question and people imports) and
# nginx's client_max_body_size caps the whole request (docs/deploy.md).
DATA_UPLOAD_MAX_NUMBER_FIELDS = 10_000
DATA_UPLOAD_MAX_MEMORY_SIZE = env_int("DATA_UPLOAD_MAX_MEMORY_SIZE", 5 * 1024 * 1024)
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
FILE_UPLOAD_PERMISSIONS = 0o640  # uploaded files are data: never executable
FILE_UPLOAD_DIRECTORY_PERMISSIONS = 0o750

# Sessions and CSRF (docs/security.md). A session lasts a working day and ends when the browser closes
# (offices share computers); a sitting in progress survives a new login, so nothing is lost.
SESSION_COOKIE_AGE = env_int("SESSION_COOKIE_AGE", 9 * 60 * 60)
SESSION_EXPIRE_AT_BROWSER_CLOSE = env_bool("SESSION_EXPIRE_AT_BROWSER_CLOSE", True)
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
# quizzes/static/quizzes/take.js reads the csrftoken cookie to send X-CSRFToken with its API calls
# (the token in the page goes stale after a re-login in another tab); an HttpOnly CSRF cookie would
# protect nothing (the token is in every form anyway), so it stays readable.
CSRF_COOKIE_HTTPONLY = False

# Login lockout (django-axes): a login name together with an address is locked after AXES_FAILURE_LIMIT
# failures for AXES_COOLOFF_TIME. Not the address alone: a municipal office goes out through one
# address, and one person's typos must not lock out the whole office. The login name is the person's
# (the username and the email of one account count as one); the address is REMOTE_ADDR unless
# TRUSTED_PROXIES lists the proxies whose X-Forwarded-For is believed (people.backends.client_ip).
AXES_ENABLED = env_bool("AXES_ENABLED", True)
AXES_FAILURE_LIMIT = env_int("AXES_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = timedelta(minutes=env_int("AXES_COOLOFF_MINUTES", 15))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
AXES_HANDLER = "axes.handlers.database.AxesDatabaseHandler"
AXES_USERNAME_CALLABLE = "people.backends.lockout_username"
AXES_CLIENT_IP_CALLABLE = "people.backends.client_ip"
AXES_LOCKOUT_CALLABLE = "people.views.lockout"
AXES_VERBOSE = False
# Never kept in the attempt log: the one-time code and the new password of /password/code/ (its failures
# count against the same login as wrong passwords do).
AXES_SENSITIVE_PARAMETERS = ["username", "ip_address", "code", "new_password1", "new_password2"]
TRUSTED_PROXIES = env_list("TRUSTED_PROXIES")

# Content-Security-Policy (django-csp 4; config/csp.py, docs/security.md). The site's own pages have no
# inline script, style or event handler: everything comes from the site itself, pictures also from data:
# URLs; WebSockets go to the same host ('self' covers ws:/wss: there). Frames: the site itself and the
# hosts of CSP_FRAME_SOURCES (the video sites whose players the "external video" block embeds, e.g.
# "https://rutube.ru,https://vk.com"), none by default. No page may frame the site's pages, as with
# X-Frame-Options: DENY (browsers that know frame-ancestors ignore X-Frame-Options).
CSP_FRAME_SOURCES = env_list("CSP_FRAME_SOURCES")
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "frame-src": [SELF, *CSP_FRAME_SOURCES],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    },
}
# The Wagtail and Django admins still write inline scripts and styles (wagtail/wagtail#1288): their own
# policy allows those, blob: pictures (image previews) and framing by the admin itself (Wagtail's preview
# panel), but still loads nothing from other sites and sends forms nowhere else.
CONTENT_SECURITY_POLICY_ADMIN = {
    "URL_PREFIXES": ["/admin/", "/django-admin/"],
    "DIRECTIVES": {
        **CONTENT_SECURITY_POLICY["DIRECTIVES"],
        "script-src": [SELF, UNSAFE_INLINE],
        "style-src": [SELF, UNSAFE_INLINE],
        "img-src": [SELF, "data:", "blob:"],
        "frame-ancestors": [SELF],
    },
}

# The files of a SCORM package in a lesson (courses/scorm/views.py, docs/scorm.md): third-party HTML with
# inline scripts and styles, which the lesson page frames from the site itself. Their own policy allows
# inline code (and eval, which some authoring tools use) but still loads nothing from other sites, may be
# framed by the site only, and is sandboxed: scripts and the same origin (to reach the lesson page's
# SCORM API), forms, pop-ups and dialogs; no navigating the top page away.
CONTENT_SECURITY_POLICY_SCORM = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF, UNSAFE_INLINE, UNSAFE_EVAL],
        "style-src": [SELF, UNSAFE_INLINE],
        "img-src": [SELF, "data:", "blob:"],
        "media-src": [SELF, "data:", "blob:"],
        "font-src": [SELF, "data:"],
        "connect-src": [SELF],
        "worker-src": [SELF, "blob:"],
        "frame-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [SELF],
        "sandbox": ["allow-scripts", "allow-same-origin", "allow-forms", "allow-popups", "allow-modals",
                    "allow-downloads"],
    },
}  # fmt: skip

# The public address of the site (scheme, host and port, no path): every absolute link — in mails, in
# .ics files, on certificates, in the Wagtail admin — starts with it (people/links.py). `migrate` gives
# the default Wagtail Site the same host and port (cms/site_setup.py).
SITE_URL = env_str("SITE_URL", "http://127.0.0.1:8000").rstrip("/")

# Email. Every message — the platform's own and Django's or Wagtail's — goes into the outbox
# (people/mail/, EMAIL_BACKEND below) and is sent in the background by the task worker or by
# `manage.py send_mail_queue`, through EMAIL_DELIVERY_BACKEND: the console in development, SMTP in
# production (docs/deploy.md).
EMAIL_BACKEND = "people.mail.backends.OutboxBackend"
EMAIL_DELIVERY_BACKEND = env_str("EMAIL_DELIVERY_BACKEND", "django.core.mail.backends.console.EmailBackend")
EMAIL_HOST = env_str("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 25)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
EMAIL_USE_SSL = env_bool("EMAIL_USE_SSL", False)
EMAIL_TIMEOUT = env_int("EMAIL_TIMEOUT", 30)
# A display name with a colon (or any of ()<>@,;:\".[]) must be in double quotes, or no mail server —
# and not Django — accepts the address; `manage.py check` refuses an address it cannot parse (people.E002).
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", '"Антикор: обучение" <noreply@localhost>')
SERVER_EMAIL = env_str("SERVER_EMAIL", DEFAULT_FROM_EMAIL)
# The outbox: at most this many messages a minute (the mail server's limit), attempts per message
# before it counts as failed, and the first pause before a retry (each next one is 4 times longer).
MAIL_RATE_PER_MINUTE = env_int("MAIL_RATE_PER_MINUTE", 60)
MAIL_MAX_ATTEMPTS = env_int("MAIL_MAX_ATTEMPTS", 6)
MAIL_RETRY_DELAY_SECONDS = env_int("MAIL_RETRY_DELAY_SECONDS", 60)
# Invitations of people without a password: how many days the set-password link and the printed
# one-time codes stay valid (each is used once).
INVITATION_VALID_DAYS = env_int("INVITATION_VALID_DAYS", 14)

# Wagtail
WAGTAIL_SITE_NAME = "Антикор: обучение"
WAGTAILADMIN_BASE_URL = SITE_URL
# Pages that may open WebSockets besides the socket's own origin (config/origins.py): scheme, host, port.
WEBSOCKET_ALLOWED_ORIGINS = env_list("WEBSOCKET_ALLOWED_ORIGINS", [SITE_URL, *CSRF_TRUSTED_ORIGINS])
WAGTAIL_I18N_ENABLED = False
# Page addresses in Latin letters: the admin transliterates a Russian title («Конфликт интересов» →
# konflikt-interesov), as Russian government sites do; a slug typed in Cyrillic is refused.
WAGTAIL_ALLOW_UNICODE_SLUGS = False
# Wagtail 8's autosave turns a new page's add form into an edit form half a second after a change; a
# «Сохранить черновик» pressed while that request was in flight posted the add form again ("slug already
# used") and the lesson stayed as autosave had created it, without its body. Saving is by the buttons
# only (tests/browser/test_lesson_save.py).
WAGTAIL_AUTOSAVE_INTERVAL = 0
WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "wagtail.search.backends.database"}}
# Documents: an allow-list of office formats (never HTML, SVG or scripts), streamed by Django's view
# (so private collections are checked), as an attachment with nosniff and a CSP that blocks scripts;
# only PDF opens in the browser. nginx must not serve MEDIA_ROOT/documents/ itself (docs/deploy.md).
WAGTAILDOCS_EXTENSIONS = [
    "csv", "doc", "docx", "mp4", "odp", "ods", "odt", "pdf", "ppt", "pptx", "rtf", "txt", "webm", "xls",
    "xlsx", "zip",
]  # fmt: skip
WAGTAILDOCS_MAX_UPLOAD_SIZE = env_int("WAGTAILDOCS_MAX_UPLOAD_SIZE", 20 * 1024 * 1024)
WAGTAILDOCS_SERVE_METHOD = "serve_view"
WAGTAILDOCS_INLINE_CONTENT_TYPES = ["application/pdf"]
WAGTAILDOCS_BLOCK_EMBEDDED_CONTENT = True
# Images: raster formats only (an SVG can carry scripts); Willow reads every upload, so a file that is
# not a picture is refused whatever its name.
WAGTAILIMAGES_EXTENSIONS = ["gif", "jpg", "jpeg", "png", "webp"]
WAGTAILIMAGES_MAX_UPLOAD_SIZE = env_int("WAGTAILIMAGES_MAX_UPLOAD_SIZE", 10 * 1024 * 1024)
WAGTAILIMAGES_MAX_IMAGE_PIXELS = 40_000_000  # a decompression bomb is refused before it is decoded
WAGTAILIMAGES_IMAGE_FORM_BASE = "cms.images.ImageForm"  # a broken picture is a form error, not a 500
WAGTAILADMIN_PERMITTED_LANGUAGES = [("ru", "Русский")]
WAGTAILADMIN_USER_LOGIN_FORM = "people.forms.AdminLoginForm"
WAGTAIL_USER_CUSTOM_FIELDS = []
WAGTAIL_GRAVATAR_PROVIDER_URL = None  # no avatars from gravatar.com: no email hashes sent outside

# SCORM packages in lessons (courses/scorm/, docs/scorm.md). A trainer's zip is checked against these
# limits and unpacked under SCORM_ROOT, a private folder outside MEDIA_ROOT that nginx never serves: the
# files are streamed by Django to the people who may see the lesson. Like MEDIA_ROOT it must be on storage
# shared by every application server. nginx's client_max_body_size must allow SCORM_MAX_UPLOAD_SIZE on
# the admin's page forms (docs/deploy.md).
SCORM_ROOT = Path(env_str("SCORM_ROOT", str(BASE_DIR / "var" / "scorm")))
SCORM_MAX_UPLOAD_SIZE = env_int("SCORM_MAX_UPLOAD_SIZE", 200 * 1024 * 1024)  # the zip as uploaded
SCORM_MAX_UNPACKED_SIZE = env_int("SCORM_MAX_UNPACKED_SIZE", 500 * 1024 * 1024)  # all files unpacked
SCORM_MAX_FILES = env_int("SCORM_MAX_FILES", 5000)  # entries in the zip
# A file that unpacks more than this many times its packed size is refused (a zip bomb; text and
# scripts pack 5-20 times, pictures and video hardly at all).
SCORM_MAX_COMPRESSION_RATIO = env_int("SCORM_MAX_COMPRESSION_RATIO", 100)

# Consultations (events.consultations, docs/consultations.md): a question is overdue when it is still
# unanswered this many working days (Monday–Friday) after it was asked or followed up. Attachments are
# kept outside MEDIA_ROOT, in CONSULTATION_FILES_ROOT (default var/consultations), served by the thread's
# view only; they pass the documents' checks (WAGTAILDOCS_EXTENSIONS, WAGTAILDOCS_MAX_UPLOAD_SIZE).
CONSULTATION_ANSWER_WORKING_DAYS = env_int("CONSULTATION_ANSWER_WORKING_DAYS", 10)
CONSULTATION_FILES_ROOT = env_str("CONSULTATION_FILES_ROOT", "") or None

# The students' contest (events.contest, docs/contest.md): works and parents' consent forms are kept
# outside MEDIA_ROOT in CONTEST_FILES_ROOT (default var/contest) and served by the contest's views only.
CONTEST_FILES_ROOT = env_str("CONTEST_FILES_ROOT", "") or None
# Largest work (PDF, DOCX, JPEG, PNG) and largest short video (MP4, WebM), in bytes.
CONTEST_MAX_WORK_SIZE = env_int("CONTEST_MAX_WORK_SIZE", 20 * 1024 * 1024)
CONTEST_MAX_VIDEO_SIZE = env_int("CONTEST_MAX_VIDEO_SIZE", 100 * 1024 * 1024)
# Largest scanned consent form of a parent (PDF, JPEG, PNG), in bytes.
CONTEST_MAX_CONSENT_SIZE = env_int("CONTEST_MAX_CONSENT_SIZE", 10 * 1024 * 1024)
# Hours a contestant's confirmation link stays valid.
CONTEST_CONFIRMATION_HOURS = env_int("CONTEST_CONFIRMATION_HOURS", 72)

# Letters to municipalities (events.letters, docs/letters.md): a recipient who has not acknowledged is
# reminded at most once in this many hours.
LETTERS_REMINDER_INTERVAL_HOURS = env_int("LETTERS_REMINDER_INTERVAL_HOURS", 24)

# People import: rows above this are refused as a fatal error (one roster is one organization's or region's).
PEOPLE_IMPORT_MAX_ROWS = env_int("PEOPLE_IMPORT_MAX_ROWS", 50_000)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
    "loggers": {
        "django.db.backends": {"level": "INFO"},
        # The immediate task backend logs every search-index update at INFO.
        "django_tasks": {"level": "WARNING"},
        "wagtail": {"level": "WARNING"},
    },
}

# Government networks are closed: never ask oEmbed providers; embed blocks render as links.
WAGTAILEMBEDS_FINDERS = []

# Export files (reports) are deleted this many days after they were made (manage.py purge_exports).
REPORTS_EXPORT_RETENTION_DAYS = env_int("REPORTS_EXPORT_RETENTION_DAYS", 30)

# Retention of personal data (152-ФЗ), in whole years (at least 1), applied nightly by
# manage.py apply_retention and shown on the privacy notice (/privacy/); see docs/deploy.md.
# People inactive this long after their deactivation are anonymized (counts stay, names go).
RETENTION_LEAVERS_YEARS = env_int("RETENTION_LEAVERS_YEARS", 3)
# Answers and graders' comments in finished sittings, after the sitting finished (scores stay).
RETENTION_ANSWERS_YEARS = env_int("RETENTION_ANSWERS_YEARS", 3)
# Questions asked in an event's live Q&A (with their votes), after they were asked.
RETENTION_LIVE_QUESTIONS_YEARS = env_int("RETENTION_LIVE_QUESTIONS_YEARS", 1)
# Comments of feedback after events, after the feedback was last changed (the ratings stay).
RETENTION_EVENT_FEEDBACK_YEARS = env_int("RETENTION_EVENT_FEEDBACK_YEARS", 3)
# Consultations' texts, messages and attachments, after the thread's last change (the rows stay for counts).
RETENTION_CONSULTATIONS_YEARS = env_int("RETENTION_CONSULTATIONS_YEARS", 3)
# Contestants of the students' contest (names, e-mail, birth date, parents' consent forms, works' files),
# after the contest's judging ended (codes, scores and places stay).
RETENTION_CONTEST_YEARS = env_int("RETENTION_CONTEST_YEARS", 1)
# Letters to municipalities with their recipients, acknowledgements and reminders, after sending.
RETENTION_LETTERS_YEARS = env_int("RETENTION_LETTERS_YEARS", 5)
# Entries of the export audit log, after the export.
RETENTION_AUDIT_YEARS = env_int("RETENTION_AUDIT_YEARS", 3)
# The login log (django-axes: logins, failed attempts, addresses, browsers), after the attempt.
RETENTION_LOGIN_LOG_YEARS = env_int("RETENTION_LOGIN_LOG_YEARS", 1)
# The outbox (recipients, subjects, errors) and the record of invitations, after the message or invitation.
RETENTION_MAIL_YEARS = env_int("RETENTION_MAIL_YEARS", 1)
# The operator of the personal data and whom people write to, as the privacy notice names them.
PRIVACY_OPERATOR_NAME = env_str(
    "PRIVACY_OPERATOR_NAME",
    "Уполномоченный орган Калужской области по профилактике коррупционных и иных правонарушений",
)
PRIVACY_OPERATOR_ADDRESS = env_str("PRIVACY_OPERATOR_ADDRESS", "")
PRIVACY_CONTACT_EMAIL = env_str("PRIVACY_CONTACT_EMAIL", "")
PRIVACY_CONTACT_PHONE = env_str("PRIVACY_CONTACT_PHONE", "")

# Certificates of completed courses (courses/certificates.py): the body that issues them and who signs
# them, as printed. Without a signatory's name the certificate has a blank line to sign by hand.
CERTIFICATE_ISSUER = env_str("CERTIFICATE_ISSUER", PRIVACY_OPERATOR_NAME)
CERTIFICATE_SIGNATORY_POSITION = env_str(
    "CERTIFICATE_SIGNATORY_POSITION", "Руководитель уполномоченного органа"
)
CERTIFICATE_SIGNATORY_NAME = env_str("CERTIFICATE_SIGNATORY_NAME", "")
