"""Settings for the 长三角人才交流 portal, driven by environment variables.

Production is the default: unless ``DJANGO_DEBUG=1`` (``make`` sets it for development), the process refuses to
start without ``DJANGO_SECRET_KEY``, ``DATABASE_URL``, ``DJANGO_ALLOWED_HOSTS`` and ``SITE_URL``.
``.env.example`` lists them all.
"""

import os
from pathlib import Path
from typing import overload
from urllib.parse import urlsplit, urlunsplit

import dj_database_url
from celery.schedules import crontab
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent


@overload
def env(name: str, default: str) -> str: ...
@overload
def env(name: str, default: None = None) -> str | None: ...
def env(name: str, default: str | None = None) -> str | None:
    """The environment variable ``name``, or ``default`` when it is unset or empty."""
    value = os.environ.get(name)
    return default if value in (None, "") else value


def env_bool(name: str, default: bool) -> bool:
    value = env(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in (env(name, default) or "").split(",") if item.strip()]


# Off unless asked for: a deploy that forgets the variable runs as production (and refuses to start without its
# secrets) rather than in debug with the development key. `make` sets DJANGO_DEBUG=1 for development.
DEBUG = env_bool("DJANGO_DEBUG", False)

if not DEBUG:
    required = ("DJANGO_SECRET_KEY", "DATABASE_URL", "DJANGO_ALLOWED_HOSTS", "SITE_URL")
    missing = [name for name in required if not env(name)]
    if missing:
        raise ImproperlyConfigured(f"Production settings need {', '.join(missing)} in the environment.")

SECRET_KEY = env("DJANGO_SECRET_KEY", "dev-only-insecure-key-never-use-in-production")
ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]")
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS")
# Proxies of ours in front of the site (0: none; 1: the TLS proxy): where every limit finds the client's address
# (talentfair.core.clients). X-Forwarded-For entries beyond these hops are the client's own words and ignored.
TRUSTED_PROXY_HOPS = int(env("TRUSTED_PROXY_HOPS", "0"))
SITE_URL = env("SITE_URL", "http://127.0.0.1:8000")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.contrib.postgres",
    "django_filters",
    "csp",
    "talentfair.core",
    "accounts",
    "regions",
    "employers",
    "jobs",
    "fairs",
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "api",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "feeds",
    "portal",
]

MIDDLEWARE = [
    "talentfair.core.tracing.RequestIdMiddleware",  # first: every later log line of the request carries its id
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",  # static files from this process: hashed, compressed, cached
    "csp.middleware.CSPMiddleware",
    "talentfair.core.middleware.PermissionsPolicyMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "talentfair.core.middleware.ChineseFirstLocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "talentfair.core.middleware.LimitRequestSizeMiddleware",  # before anything reads the body
    "talentfair.core.middleware.RejectNulMiddleware",  # NUL in any submitted value: a clear 400, never a 500
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "talentfair.core.replicas.ReplicaReadsMiddleware",  # the public pages' catalogue reads on a replica
    "talentfair.core.admin_login.RequireSecondFactorMiddleware",  # after auth: superusers set up TOTP first
]

# A client that stalls a read or write of its connection for this many seconds loses the request (gunicorn;
# talentfair.core.serving): slow clients cannot hold the web threads.
CLIENT_SOCKET_TIMEOUT = float(env("CLIENT_SOCKET_TIMEOUT", "30"))

ROOT_URLCONF = "talentfair.urls"
WSGI_APPLICATION = "talentfair.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.parse(
        env("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/talentfair"),
        conn_max_age=int(env("DATABASE_CONN_MAX_AGE", "60")),
    )
}
# Read replicas (talentfair.core.replicas): DATABASE_REPLICA_URLS="postgres://…@replica1/talentfair,…" puts the
# public catalogue's reads on streaming replicas while they keep within REPLICA_MAX_LAG seconds of the primary.
for number, url in enumerate(env_list("DATABASE_REPLICA_URLS"), start=1):
    DATABASES[f"replica{number}"] = dj_database_url.parse(url, conn_max_age=DATABASES["default"]["CONN_MAX_AGE"])
DATABASE_ROUTERS = ["talentfair.core.replicas.ReplicaRouter"]
REPLICA_MAX_LAG = float(env("REPLICA_MAX_LAG", "5"))  # seconds a replica may be behind and still serve reads
REPLICA_CHECK_SECONDS = float(env("REPLICA_CHECK_SECONDS", "2"))  # how often each process asks
READ_YOUR_WRITES_SECONDS = int(env("READ_YOUR_WRITES_SECONDS", "15"))  # a client that wrote reads the primary

# Planner settings for this project's own sessions (PostgreSQL's server configuration is left alone). The catalogue
# is read from memory (shared_buffers or the OS cache), where fetching a page by index costs about what reading the
# next one does; with the default random_page_cost of 4 the planner scans hundreds of MB of vacancies to find a
# thousand matches that the search index hands over in a few milliseconds (docs/performance.md, "Search").
# cpu_index_tuple_cost 0.05 (default 0.005): putting an index entry into a bitmap costs 0.14-0.5 µs here against ~6 µs
# for a page, and at the default the planner AND-ed the search index with 700,000-entry bitmaps of barely selective
# indexes (validity, salary) to save a fraction of the page reads. synchronize_seqscans off: a scan of the
# catalogue starts at its first page, not where another session's scan had got to, so "the first 1,000 matches"
# that relevance ranks are the same set on every request. work_mem 16MB: the bitmap of a common word's 100k matches
# stays exact (at 4MB it turns lossy and every row of those pages is checked again).
for alias in DATABASES:
    DATABASES[alias].setdefault("OPTIONS", {})["options"] = env(
        "DATABASE_SESSION_OPTIONS",
        "-c random_page_cost=1.1 -c cpu_index_tuple_cost=0.05 -c work_mem=16MB -c synchronize_seqscans=off",
    )
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "account_login"

# Chinese first, English as the switch.
LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True
FORMAT_MODULE_PATH = ["talentfair.formats"]

STATIC_URL = "static/"
STATIC_ROOT = Path(env("DJANGO_STATIC_ROOT", str(BASE_DIR / "staticfiles")))
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "media/"
MEDIA_ROOT = Path(env("DJANGO_MEDIA_ROOT", str(BASE_DIR / "media")))

REDIS_URL = env("REDIS_URL", "redis://127.0.0.1:6379/0")


def _next_redis_database(url: str) -> str:
    """The Redis database after ``url``'s: redis://host:6379/0 → redis://host:6379/1."""
    parts = urlsplit(url)
    number = parts.path.strip("/")
    return urlunsplit(parts._replace(path=f"/{int(number) + 1 if number.isdigit() else 1}"))


# The cache lives in its own Redis database, the one after the broker's: clearing a cache (``cache.clear()`` is
# FLUSHDB) must never drop queued Celery tasks.
CACHE_REDIS_URL = env("CACHE_REDIS_URL", _next_redis_database(REDIS_URL))
CACHES = {
    "default": {
        # Redis, degrading to "no cache" when Redis is unreachable (talentfair.core.cache): pages never 500 for it.
        "BACKEND": "talentfair.core.cache.DegradingRedisCache",
        "LOCATION": CACHE_REDIS_URL,
        "OPTIONS": {
            "socket_connect_timeout": float(env("CACHE_CONNECT_TIMEOUT", "0.3")),
            "socket_timeout": float(env("CACHE_SOCKET_TIMEOUT", "0.5")),
        },
        # Keys are namespaced by database, so two catalogues sharing a Redis (the dev site and a benchmark, say)
        # never read each other's cached counts.
        "KEY_PREFIX": env("CACHE_KEY_PREFIX", DATABASES["default"]["NAME"]),
    }
}

# Development writes each mail to the console and to EMAIL_FILE_PATH (var/mail/); production sets SMTP.
EMAIL_BACKEND = env(
    "DJANGO_EMAIL_BACKEND",
    "talentfair.core.mail_backends.DevelopmentEmailBackend"
    if DEBUG
    else "django.core.mail.backends.console.EmailBackend",
)
EMAIL_HOST = env("EMAIL_HOST", "localhost")
EMAIL_PORT = int(env("EMAIL_PORT", "25"))
EMAIL_HOST_USER = env("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = env("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
EMAIL_FILE_PATH = env("DJANGO_EMAIL_FILE_PATH", str(BASE_DIR / "var" / "mail"))
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", "长三角人才交流 <noreply@talent.example.cn>")

# Celery: Redis broker, same time zone as Django; tasks are idempotent so acks_late is safe.
CELERY_BROKER_URL = env("CELERY_BROKER_URL", REDIS_URL)
CELERY_RESULT_BACKEND = None
CELERY_TIMEZONE = TIME_ZONE
CELERY_ENABLE_UTC = True
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_SOFT_TIME_LIMIT = 300
CELERY_TASK_TIME_LIMIT = 360
# Above the longest hard time limit (feeds run up to an hour), or Redis redelivers running tasks.
CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": 2 * 3600}
CELERY_TASK_DEFAULT_QUEUE = env("CELERY_DEFAULT_QUEUE", "default")
CELERY_FEEDS_QUEUE = env("CELERY_FEEDS_QUEUE", "feeds")
CELERY_TASK_ALWAYS_EAGER = env_bool("CELERY_TASK_ALWAYS_EAGER", False)
CELERY_BEAT_SCHEDULE: dict = {}
# Vacancy expiry (moderation): expire past valid_through every 10 minutes; remind employers 3 days ahead hourly.
CELERY_BEAT_SCHEDULE["jobs-expire-vacancies"] = {"task": "jobs.expire_vacancies", "schedule": 600.0}
CELERY_BEAT_SCHEDULE["jobs-remind-expiring"] = {"task": "jobs.remind_expiring", "schedule": 3600.0}
# The home page's figures count the whole catalogue (about a second at a million vacancies): counted here, read
# from the cache there.
CELERY_BEAT_SCHEDULE["jobs-catalogue-figures"] = {"task": "jobs.refresh_catalogue_figures", "schedule": 300.0}

VACANCY_DEFAULT_VALID_DAYS = 60
# A search's total and facet counts are shared through the cache this long (jobs.selectors._shared_counts); the
# results themselves are always read fresh. 0 counts on every request.
SEARCH_CACHE_TTL = int(env("SEARCH_CACHE_TTL", "30"))

# How often a fair page in progress refreshes its live counters where JavaScript runs (seconds).
FAIR_COUNTERS_REFRESH_SECONDS = int(env("FAIR_COUNTERS_REFRESH_SECONDS", "15"))

# Partner feeds (feeds app, docs/feeds.md). Limits protect the worker from a hostile or broken feed.
FEEDS_MAX_BYTES = int(env("FEEDS_MAX_BYTES", str(256 * 1024 * 1024)))
FEEDS_CONNECT_TIMEOUT = float(env("FEEDS_CONNECT_TIMEOUT", "10"))
FEEDS_READ_TIMEOUT = float(env("FEEDS_READ_TIMEOUT", "30"))
FEEDS_TOTAL_TIMEOUT = float(env("FEEDS_TOTAL_TIMEOUT", "600"))  # whole download, however slowly it trickles
FEEDS_MAX_REDIRECTS = 5
# Feeds are fetched from public addresses only; these "host:port" (or "host") entries are the exceptions, for a
# development or test server on this machine. Production leaves it empty. The demo's feeds come from the dev server.
# `make run` sets it to the dev server's own address, where the demo feeds are served (not from PORT: honcho gives
# every process a PORT of its own).
FEEDS_ALLOWED_HOSTS = env_list("FEEDS_ALLOWED_HOSTS", "127.0.0.1:8000,localhost:8000" if DEBUG else "")
FEEDS_MAX_RETRIES = int(env("FEEDS_MAX_RETRIES", "4"))
FEEDS_RETRY_BACKOFF = float(env("FEEDS_RETRY_BACKOFF", "60"))  # seconds; doubles on each retry
FEEDS_SOFT_TIME_LIMIT = int(env("FEEDS_SOFT_TIME_LIMIT", "3000"))
FEEDS_TIME_LIMIT = int(env("FEEDS_TIME_LIMIT", "3300"))  # below the broker's visibility_timeout
FEEDS_MAX_ISSUES_PER_RUN = 5000
FEEDS_DEMO_URL_PREFIX = "demo-feeds/"
CELERY_BEAT_SCHEDULE["feeds-dispatch-due"] = {"task": "feeds.dispatch_due", "schedule": 60.0}
# Tasks kept in PostgreSQL while the broker was unreachable go out once it is back (talentfair.core.queue).
CELERY_BEAT_SCHEDULE["core-send-held-tasks"] = {"task": "core.send_held_tasks", "schedule": 60.0}

SESSION_COOKIE_SECURE = not DEBUG
CSRF_COOKIE_SECURE = not DEBUG
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
if not DEBUG:
    # Behind the TLS-terminating proxy, which says so in X-Forwarded-Proto; plain http is redirected to https
    # (DJANGO_SSL_REDIRECT=0 where the proxy does the redirect itself).
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = env_bool("DJANGO_SSL_REDIRECT", True)
    SECURE_REDIRECT_EXEMPT = [r"^healthz$", r"^readyz$"]  # the load balancer's probes speak plain http
    SECURE_HSTS_SECONDS = int(env("DJANGO_HSTS_SECONDS", str(365 * 24 * 3600)))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("DJANGO_HSTS_INCLUDE_SUBDOMAINS", True)
    SECURE_HSTS_PRELOAD = env_bool("DJANGO_HSTS_PRELOAD", True)

# Content-Security-Policy (django-csp): scripts from our own origin only — no inline script anywhere (JSON-LD and
# admin's JSON data blocks are data, not script); inline style attributes are allowed (templates and Django admin
# use them). Nothing may frame the site.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'", "'unsafe-inline'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'", "data:"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}
# Browser features the site may use: the camera on the fair's check-in and booth pages (ticket QR codes), and none
# of the rest (talentfair.core.middleware.PermissionsPolicyMiddleware).
PERMISSIONS_POLICY = (
    "camera=(self), microphone=(), geolocation=(), payment=(), usb=(), serial=(), bluetooth=(), "
    "magnetometer=(), gyroscope=(), accelerometer=(), display-capture=()"
)

# Logs: one line per event on stderr, each with the trace id of its request or task (talentfair.core.tracing);
# JSON lines in production (LOG_FORMAT=json, the default without DEBUG) for the log collector, text in development.
LOG_FORMAT = env("LOG_FORMAT", "text" if DEBUG else "json")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"trace_id": {"()": "talentfair.core.logs.TraceIdFilter"}},
    "formatters": {
        "json": {"()": "talentfair.core.logs.JsonFormatter"},
        "text": {"format": "%(asctime)s %(levelname)s %(name)s [%(trace_id)s] %(message)s"},
    },
    "handlers": {
        "console": {"class": "logging.StreamHandler", "formatter": LOG_FORMAT, "filters": ["trace_id"]},
    },
    "root": {"handlers": ["console"], "level": env("DJANGO_LOG_LEVEL", "INFO")},
}
# Celery workers log through the same configuration instead of replacing it with their own.
CELERY_WORKER_HIJACK_ROOT_LOGGER = False

# Errors to Sentry when SENTRY_DSN is set: unhandled exceptions and ERROR log lines from web and workers, each
# tagged with its trace id; no personal data (no cookies, addresses or user e-mails) is sent.
SENTRY_DSN = env("SENTRY_DSN")
if SENTRY_DSN:
    import sentry_sdk
    from sentry_sdk.integrations.celery import CeleryIntegration
    from sentry_sdk.integrations.django import DjangoIntegration

    from talentfair.core.logs import sentry_before_send

    sentry_sdk.init(
        dsn=SENTRY_DSN,
        environment=env("SENTRY_ENVIRONMENT", "development" if DEBUG else "production"),
        release=env("SENTRY_RELEASE"),
        integrations=[DjangoIntegration(), CeleryIntegration()],
        send_default_pii=False,
        traces_sample_rate=float(env("SENTRY_TRACES_SAMPLE_RATE", "0")),
        before_send=sentry_before_send,
    )


# Partner API (api/): read-only, JSON only, API keys in a header, rate limits counted in Redis.
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": ["api.authentication.ApiKeyAuthentication"],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.AllowAny"],
    "DEFAULT_THROTTLE_CLASSES": ["api.throttling.ApiRateThrottle"],
    "DEFAULT_RENDERER_CLASSES": ["api.renderers.FastJSONRenderer"],  # orjson, the same bytes as DRF's
    "DEFAULT_PARSER_CLASSES": ["rest_framework.parsers.JSONParser"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "api.exceptions.exception_handler",
    "UNAUTHENTICATED_USER": "django.contrib.auth.models.AnonymousUser",
}
API_RATE_ANONYMOUS = env("API_RATE_ANONYMOUS", "60/min")  # per client IP
API_RATE_KEYED = env("API_RATE_KEYED", "1200/min")  # per partner API key
API_MAX_PAGE_SIZE = 1000
API_PUSH_MAX_BYTES = int(env("API_PUSH_MAX_BYTES", str(256 * 1024)))  # one pushed JobPosting
# Webhooks to partner centres (api/webhooks.py): a batch of at most WEBHOOK_BATCH events per POST; a failed attempt
# waits BASE × 2^(failures−1) seconds (at most MAX) before the next; WEBHOOK_MAX_FAILURES in a row disable the endpoint.
WEBHOOK_BATCH = int(env("WEBHOOK_BATCH", "100"))
WEBHOOK_BATCHES_PER_TASK = int(env("WEBHOOK_BATCHES_PER_TASK", "20"))
WEBHOOK_TIMEOUT = float(env("WEBHOOK_TIMEOUT", "10"))
WEBHOOK_RETRY_BASE_SECONDS = float(env("WEBHOOK_RETRY_BASE_SECONDS", "15"))
WEBHOOK_RETRY_MAX_SECONDS = float(env("WEBHOOK_RETRY_MAX_SECONDS", "3600"))
WEBHOOK_MAX_FAILURES = int(env("WEBHOOK_MAX_FAILURES", "12"))  # 15 s … 1 h: about five hours of failures
WEBHOOK_KEEP_DAYS = int(env("WEBHOOK_KEEP_DAYS", "30"))  # delivery records older than this are deleted
# The outbound feed (/feeds/jobs.jsonld): full downloads per client (conditional 304s and HEADs are free), and how
# many downloads one web process streams at once (the rest answer 503 with Retry-After).
FEED_RATE = env("FEED_RATE", "20/h")
FEED_MAX_STREAMS = int(env("FEED_MAX_STREAMS", "2"))
FEED_VALIDATORS_TTL = int(env("FEED_VALIDATORS_TTL", "30"))  # seconds between recounts of the feed's ETag (beat)
CELERY_BEAT_SCHEDULE["api-feed-validators"] = {
    "task": "api.refresh_feed_validators",
    "schedule": float(max(FEED_VALIDATORS_TTL, 1)),
}
SPECTACULAR_SETTINGS = {
    "TITLE": "长三角人才交流 · Partner API",
    "DESCRIPTION": "The shared vacancy catalogue of Shanghai, Jiangsu, Zhejiang and Anhui: read it, follow its "
    "change stream, and push your centre's own vacancies. See docs/api.md for examples.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "SCHEMA_PATH_PREFIX": "/api/v1",
    "TAGS": [
        {"name": "vacancies", "description": "Search, facets, detail; mirror with `updated_since`"},
        {"name": "employers"},
        {"name": "fairs"},
        {"name": "reference", "description": "Provinces, cities and industries"},
    ],
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "api.schema.add_error_responses",
        "api.schema.document_filter_constraints",
    ],
}

# Accounts (django-allauth): e-mail is the login, no username; sign-up needs a confirmed address before login.
# Its mail goes out through Celery after commit (accounts.adapter.AccountAdapter.send_mail).
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
ACCOUNT_ADAPTER = "accounts.adapter.AccountAdapter"
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = True
ACCOUNT_LOGOUT_REDIRECT_URL = "home"
ACCOUNT_EMAIL_SUBJECT_PREFIX = "[长三角人才交流] "
ACCOUNT_DEFAULT_HTTP_PROTOCOL = "http" if DEBUG else "https"
# Brute force: allauth counts attempts in the default (Redis) cache, so every process shares the counters.
ACCOUNT_RATE_LIMITS = {
    "login": "30/m/ip",
    "login_failed": "10/m/ip,5/300s/key",
    "signup": "10/m/ip,50/h/ip",
    "reset_password": "20/m/ip,5/m/key",
}
LOGIN_REDIRECT_URL = "accounts:dashboard"
# Second factor (allauth MFA): an authenticator app (TOTP) and one-time recovery codes, for anyone who turns it on
# at /accounts/2fa/; asked for at the site's sign-in and at /admin/login/ (talentfair.core.admin_login). Required
# before any admin page for superusers in production, and for all staff where MFA_REQUIRED_FOR_STAFF=1.
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = "长三角人才交流"
MFA_ALLOW_UNVERIFIED_EMAIL = True  # staff accounts are made by superusers, often without a confirmed address
MFA_REQUIRED_FOR_SUPERUSERS = env_bool("MFA_REQUIRED_FOR_SUPERUSERS", not DEBUG)
MFA_REQUIRED_FOR_STAFF = env_bool("MFA_REQUIRED_FOR_STAFF", False)

# Graduates' résumés: a private storage outside MEDIA_ROOT (never served as static media); downloads go through a
# view that checks who asks. In production point "resumes" at private object storage with the same alias.
PRIVATE_MEDIA_ROOT = Path(env("DJANGO_PRIVATE_MEDIA_ROOT", str(BASE_DIR / "private-media")))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    # Production serves hashed, pre-compressed copies (collectstatic writes them; whitenoise sends them with a year's
    # Cache-Control); development serves the files as they are.
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
    "resumes": {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": str(PRIVATE_MEDIA_ROOT), "base_url": None},
    },
}
RESUME_MAX_BYTES = 5 * 1024 * 1024
# The largest request body accepted (talentfair.core.middleware.LimitRequestSizeMiddleware): a résumé and its form.
MAX_REQUEST_BYTES = int(env("MAX_REQUEST_BYTES", str(RESUME_MAX_BYTES + 1024 * 1024)))

# Saved-search alerts: "daily" searches are mailed once a day; "instant" ones follow the vacancy events (below).
CELERY_BEAT_SCHEDULE["alerts.daily"] = {
    "task": "alerts.send_search_alerts",
    "schedule": crontab(hour=8, minute=0),
    "kwargs": {"frequency": "daily"},
}

# What follows the vacancy outbox (jobs.events.events_dispatch): each is called with the top sequence number after
# every dispatch. A service's change asks for a dispatch when it commits; beat dispatches every few seconds too, for
# changes written in bulk (feed syncs, expiry, an employer's suspension).
VACANCY_EVENT_CONSUMERS = [
    "jobs.services.saved_searches_alert_instant",
    "api.webhooks.webhooks_dispatch",
]
# What follows an employer's decision or an edit of what its vacancies show (employers.services): called in the same
# transaction with the employer and the names of the changed fields.
EMPLOYER_FOLLOWERS = ["jobs.services.jobs_follow_employer"]
EVENTS_DISPATCH_INTERVAL = float(env("EVENTS_DISPATCH_INTERVAL", "10"))
CELERY_BEAT_SCHEDULE["events-dispatch"] = {"task": "events.dispatch", "schedule": EVENTS_DISPATCH_INTERVAL}
