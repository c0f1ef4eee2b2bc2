"""Copy the employer's public state and ownership onto its vacancies, kept current by triggers.

The public search filters and counts by both on every request; reading them through a join with 50,000 employers
cost a hash join per query (the employer table read whole for a 1% sample). Triggers, not Python, keep the
copies so that no write path can miss them: the lifecycle services, the admin, the feed importer's bulk SQL and
COPY all go through them.

"Public" is ``Employer.objects.public()``: verified, or pending but created from a partner centre's feed.
"""

from django.db import migrations, models

PUBLIC = "(e.verification_state = 'verified' OR (e.verification_state = 'pending' AND e.source_centre_id IS NOT NULL))"

FORWARD = f"""
UPDATE jobs_jobposting j
   SET employer_public = {PUBLIC}, employer_ownership = e.ownership
  FROM employers_employer e
 WHERE e.id = j.employer_id;

CREATE FUNCTION jobs_copy_employer_fields() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    SELECT {PUBLIC}, e.ownership INTO NEW.employer_public, NEW.employer_ownership
      FROM employers_employer e
     WHERE e.id = NEW.employer_id;
    RETURN NEW;
END $$;

-- Any write that sets the employer or the copies gets them recomputed (a stale model instance saved by Django
-- cannot overwrite them).
CREATE TRIGGER jobs_jobposting_employer_copies
BEFORE INSERT OR UPDATE OF employer_id, employer_public, employer_ownership ON jobs_jobposting
FOR EACH ROW EXECUTE FUNCTION jobs_copy_employer_fields();

CREATE FUNCTION employers_copy_to_jobs() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE jobs_jobposting SET employer_public = NULL WHERE employer_id = NEW.id;  -- recomputed by the trigger above
    RETURN NULL;
END $$;

CREATE TRIGGER employers_employer_job_copies
AFTER UPDATE OF verification_state, source_centre_id, ownership ON employers_employer
FOR EACH ROW
WHEN (OLD.verification_state IS DISTINCT FROM NEW.verification_state
      OR OLD.source_centre_id IS DISTINCT FROM NEW.source_centre_id
      OR OLD.ownership IS DISTINCT FROM NEW.ownership)
EXECUTE FUNCTION employers_copy_to_jobs();
"""  # noqa: S608 - constant SQL, nothing from outside is interpolated

BACKWARD = """
DROP TRIGGER employers_employer_job_copies ON employers_employer;
DROP FUNCTION employers_copy_to_jobs();
DROP TRIGGER jobs_jobposting_employer_copies ON jobs_jobposting;
DROP FUNCTION jobs_copy_employer_fields();
"""


class Migration(migrations.Migration):
    dependencies = [
        ("jobs", "0007_search_vector_storage"),
        ("employers", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="jobposting",
            name="employer_public",
            field=models.BooleanField(default=False, editable=False, verbose_name="单位公开"),
        ),
        migrations.AddField(
            model_name="jobposting",
            name="employer_ownership",
            field=models.CharField(blank=True, editable=False, max_length=10, verbose_name="单位性质"),
        ),
        migrations.RunSQL(FORWARD, BACKWARD),
    ]
