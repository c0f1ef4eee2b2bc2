"""Create the database named in DATABASE_URL if it does not exist yet (make run's first step on a new machine)."""

import os
import sys

import dj_database_url
import psycopg2
from psycopg2 import sql

url = os.environ.get("DATABASE_URL") or "postgres://postgres@127.0.0.1:5432/talentfair"
config = dj_database_url.parse(url)
params = {
    "host": config.get("HOST") or None,
    "port": config.get("PORT") or None,
    "user": config.get("USER") or None,
    "password": config.get("PASSWORD") or None,
}
# Not ``with psycopg2.connect(...) as conn``: since psycopg2 2.9 that block opens a transaction even in autocommit
# mode, and CREATE DATABASE cannot run inside one.
conn = psycopg2.connect(dbname="postgres", **{k: v for k, v in params.items() if v})
conn.autocommit = True
try:
    with conn.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [config["NAME"]])
        if cursor.fetchone():
            sys.exit(0)
        cursor.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(config["NAME"])))
        print(f"Created database {config['NAME']}.")
finally:
    conn.close()
