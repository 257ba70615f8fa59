from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from weerbaar.core.backup import BackupError, create_backup


class Command(BaseCommand):
    help = "Schrijf een back-up (database en geüploade bestanden) naar één bestand."

    def add_arguments(self, parser):
        parser.add_argument(
            "--dir", default=str(Path(settings.VAR_DIR) / "backups"), help="Map voor het back-upbestand."
        )

    def handle(self, *args, **options):
        try:
            path = create_backup(options["dir"])
        except BackupError as e:
            raise CommandError(str(e)) from e
        self.stdout.write(str(path))
