"""The vacancy table's bulk SQL, for the writers that stand in for the services on many rows at once (the feed
importer, ``feeds.pipeline``; pushes go the same way). It keeps the services' rules: a reopened or closed vacancy
gets its audit row in the same statements, and the outbox triggers (migration ``jobs.0018``) write the events.

Writers compose these pieces with their own tables (a stage table of changed rows, provenance rows); table names
come from the models' ``_meta.db_table``.
"""

from django.db import connection

from .models import JobPosting, JobReview, JobStatus, ReviewDecision

JOBS = JobPosting._meta.db_table
REVIEWS = JobReview._meta.db_table

# Columns a bulk writer sets from a record, in the order of its COPY rows and of a stage table.
FIELDS = (
    "employer_id",
    "title",
    "description",
    "city_id",
    "address",
    "industry_id",
    "category",
    "tags",
    "employment_type",
    "education",
    "experience",
    "headcount",
    "salary_min",
    "salary_max",
    "salary_months",
    "salary_negotiable",
    "salary_text",
    "salary_unparsed",
    "fresh_graduate",
    "cohort",
    "experience_text",
    "original_url",
    "direct_apply",
    "remote",
    "valid_through",
)
# A stage table's vacancy columns: FIELDS, then the publication time and search document. The stage also has the
# writer's own columns, among them ``job_id bigint`` (the vacancy) and ``hash text`` (its new content hash).
STAGE_COLUMNS = (
    ("employer_id", "bigint"),
    ("title", "text"),
    ("description", "text"),
    ("city_id", "text"),
    ("address", "text"),
    ("industry_id", "text"),
    ("category", "text"),
    ("tags", "text"),
    ("employment_type", "text"),
    ("education", "integer"),
    ("experience", "integer"),
    ("headcount", "integer"),
    ("salary_min", "integer"),
    ("salary_max", "integer"),
    ("salary_months", "integer"),
    ("salary_negotiable", "boolean"),
    ("salary_text", "text"),
    ("salary_unparsed", "boolean"),
    ("fresh_graduate", "boolean"),
    ("cohort", "integer"),
    ("experience_text", "text"),
    ("original_url", "text"),
    ("direct_apply", "boolean"),
    ("remote", "boolean"),
    ("valid_through", "timestamptz"),
    ("published_at", "timestamptz"),
    ("search_vector", "text"),
)
# COPY … (FORMAT csv): Python's C csv writer does the quoting. QUOTE_NONNUMERIC writes None as "", which
# FORCE_NULL turns back into NULL for the nullable non-text columns.
NULLABLE = "FORCE_NULL (salary_min, salary_max, cohort, direct_apply)"
COPY_NEW = (
    f"COPY {JOBS} (id, {', '.join(FIELDS)}, published_at, search_vector, status, rejection_reason, "
    f"source_id, external_id, content_hash, created_at, updated_at) FROM STDIN WITH (FORMAT csv, {NULLABLE})"
)


def update_from_stage(stage: str) -> str:
    """Apply the rows of ``stage`` (its ``job_id``, ``hash`` and vacancy columns) to their vacancies: content and
    search document replaced; a closed or expired one is open again (the feed lists it), one staff rejected or that
    waits for review keeps its state. Parameters: now, rejected, pending, published."""
    return f"""
        UPDATE {JOBS} j SET {", ".join(f"{name} = s.{name}" for name in FIELDS)},
            search_vector = s.search_vector::tsvector, content_hash = s.hash,
            status = CASE WHEN j.status IN (%(rejected)s, %(pending)s) THEN j.status ELSE %(published)s END,
            closed_at = CASE WHEN j.status IN (%(rejected)s, %(pending)s) THEN j.closed_at END,
            published_at = COALESCE(j.published_at, s.published_at), updated_at = %(now)s
        FROM {stage} s WHERE j.id = s.job_id
    """  # noqa: S608 - table and column names are constants


def audit_reopened(stage: str) -> str:
    """The audit rows (as a renewal's) of the closed or expired vacancies ``update_from_stage`` is about to reopen:
    run it just before. Parameters: now, closed, expired, renewed, reopen_reason."""
    return f"""
        INSERT INTO {REVIEWS} (job_id, decision, reason, at)
        SELECT j.id, %(renewed)s, %(reopen_reason)s, %(now)s FROM {JOBS} j JOIN {stage} s ON j.id = s.job_id
        WHERE j.status IN (%(closed)s, %(expired)s)
    """  # noqa: S608 - table names are constants


def close_and_audit(*, candidates: str, condition: str = "TRUE") -> str:
    """The tail of a ``WITH …`` statement that closes the published vacancies whose ids ``candidates`` (a subquery)
    yields and ``condition`` (over ``j``) allows, each with its audit row, as ``job_close`` does one; the
    statement's row count is the number closed. Parameters: now, closed, published, decision, reason."""
    return f"""
        closed AS (
            UPDATE {JOBS} j SET status = %(closed)s, closed_at = %(now)s, updated_at = %(now)s
            WHERE j.id IN ({candidates}) AND j.status = %(published)s AND ({condition})
            RETURNING j.id
        )
        INSERT INTO {REVIEWS} (job_id, decision, reason, at)
        SELECT id, %(decision)s, %(reason)s, %(now)s FROM closed
    """  # noqa: S608 - table names are constants; the caller's SQL is its own constants


def parameters(*, now, reason: str, reopen_reason: str) -> dict:
    """The values the statements above refer to."""
    return {
        "now": now,
        "rejected": JobStatus.REJECTED,  # staff took it down: an edit in the feed does not put it back
        "pending": JobStatus.PENDING,  # held for review: an edit does not publish it
        "published": JobStatus.PUBLISHED,
        "closed": JobStatus.CLOSED,
        "expired": JobStatus.EXPIRED,
        "renewed": ReviewDecision.RENEWED,
        "decision": ReviewDecision.CLOSED,
        "reason": reason,
        "reopen_reason": reopen_reason,
    }


def next_ids(count: int) -> list[int]:
    """``count`` vacancy ids from the table's own sequence, as an INSERT would have taken them (so a COPY can name
    each new vacancy before its provenance rows refer to it)."""
    if not count:
        return []
    with connection.cursor() as cursor:
        cursor.execute("SELECT nextval(pg_get_serial_sequence(%s, 'id')) FROM generate_series(1, %s)", [JOBS, count])
        return [row[0] for row in cursor.fetchall()]
