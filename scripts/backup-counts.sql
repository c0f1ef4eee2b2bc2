-- Row counts a restore must reproduce (scripts/backup.sh writes them, scripts/restore.sh compares).
SELECT 'accounts_user', count(*) FROM accounts_user
UNION ALL SELECT 'accounts_graduateprofile', count(*) FROM accounts_graduateprofile
UNION ALL SELECT 'employers_employer', count(*) FROM employers_employer
UNION ALL SELECT 'jobs_jobposting', count(*) FROM jobs_jobposting
UNION ALL SELECT 'jobs_application', count(*) FROM jobs_application
UNION ALL SELECT 'fairs_fair', count(*) FROM fairs_fair
UNION ALL SELECT 'feeds_feedrecord', count(*) FROM feeds_feedrecord
ORDER BY 1;
