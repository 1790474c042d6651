"""Health checks of our own, beside django-health-check's database and cache checks."""

import dataclasses

from django.db import DatabaseError, connection
from django.db.migrations.executor import MigrationExecutor
from health_check.base import HealthCheck
from health_check.exceptions import ServiceUnavailable


@dataclasses.dataclass
class MigrationsApplied(HealthCheck):
    """Every migration in the code has been applied: a new release whose `migrate` has not run yet (or
    failed) must not take traffic."""

    def run(self) -> None:
        try:
            with connection.temporary_connection():
                executor = MigrationExecutor(connection)
                pending = executor.migration_plan(executor.loader.graph.leaf_nodes())
        except DatabaseError as error:
            raise ServiceUnavailable("Database unavailable") from error
        if pending:
            raise ServiceUnavailable(f"{len(pending)} migration(s) not applied")
