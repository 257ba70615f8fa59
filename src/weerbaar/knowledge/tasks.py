"""Background jobs of the knowledge base (django-tasks, as in ``documents.tasks``).

With the immediate backend (development, tests) a job runs inside the request; in production
``manage.py db_worker`` runs it. ``manage.py check_links`` enqueues the link check for a
nightly schedule.
"""

import logging

from django_tasks import task

from . import links

logger = logging.getLogger(__name__)


@task()
def check_links() -> dict[str, int]:
    counts = links.check_all()
    logger.info("Link check: %(checked)s addresses, %(broken)s not answering", counts)
    return counts
