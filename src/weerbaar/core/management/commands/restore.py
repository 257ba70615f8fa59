from django.core.management.base import BaseCommand, CommandError

from weerbaar.core.backup import BackupError, restore_backup


class Command(BaseCommand):
    help = "Zet een back-up terug in een lege installatie (zelfde soort database)."

    def add_arguments(self, parser):
        parser.add_argument("file", help="Het back-upbestand (weerbaar-backup-....tar.gz).")

    def handle(self, *args, **options):
        try:
            manifest = restore_backup(options["file"])
        except BackupError as e:
            raise CommandError(str(e)) from e
        rows = sum(manifest["tables"].values())
        self.stdout.write(
            f"Teruggezet: back-up van {manifest['created_at']}, {len(manifest['tables'])} tabellen, "
            f"{rows} rijen, {len(manifest['media'])} bestanden."
        )
