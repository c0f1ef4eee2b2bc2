"""The Celery worker's mail in tests: Django's file backend, one new file per connection with a name no other
connection can have. Django's own names a file by the second and the backend object's id(), which a later
connection in the same second can reuse — its mail is then appended to a file an earlier test already saw."""

import os
import uuid

from django.core.mail.backends import filebased


class EmailBackend(filebased.EmailBackend):
    def _get_filename(self):
        if self._fname is None:
            self._fname = os.path.join(self.file_path, f"{uuid.uuid4().hex}.log")
        return self._fname
