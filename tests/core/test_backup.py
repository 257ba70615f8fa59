"""`make backup` / `make restore`: the full demo survives a backup, a wipe and a restore unchanged."""

import hashlib
from pathlib import Path

import pytest
from django.core.management import call_command
from django.db import connection

from weerbaar.core.backup import BackupError, read_manifest, restore_backup, table_counts

pytestmark = pytest.mark.django_db(transaction=True)


def all_rows() -> dict[str, list[tuple]]:
    """Every row of every table, in a stable order."""
    rows = {}
    with connection.cursor() as cursor:
        for table in sorted(connection.introspection.table_names(cursor)):
            cursor.execute(f"SELECT * FROM {connection.ops.quote_name(table)}")  # noqa: S608
            rows[table] = sorted(cursor.fetchall(), key=repr)
    return rows


def media_digest(root: Path) -> dict[str, str]:
    files = (p for p in root.rglob("*") if p.is_file())
    return {str(p.relative_to(root)): hashlib.sha256(p.read_bytes()).hexdigest() for p in files}


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    root = Path(settings.MEDIA_ROOT)
    (root / "uploads" / "demostad").mkdir(parents=True)
    (root / "uploads" / "demostad" / "besluit college.pdf").write_bytes(b"%PDF-1.4\n" + bytes(range(256)) * 40)
    (root / "logo.svg").write_text('<svg xmlns="http://www.w3.org/2000/svg"/>')
    return root


def test_full_demo_backup_wipe_restore_is_identical_row_for_row_and_byte_for_byte(media, tmp_path):
    call_command("load_demo", verbosity=0)
    before = all_rows()
    files_before = media_digest(media)
    assert sum(len(r) for r in before.values()) > 500, "the demo should fill the database"

    call_command("backup", dir=str(tmp_path / "backups"), stdout=open(tmp_path / "out.txt", "w"))
    backup_file = Path((tmp_path / "out.txt").read_text().strip())
    assert backup_file.is_file()
    manifest = read_manifest(backup_file)
    assert manifest["engine"] == connection.vendor
    assert sorted(manifest["media"]) == sorted(files_before)

    # Wipe: an empty installation (tables there, no data) and no uploaded files.
    call_command("flush", interactive=False, verbosity=0)
    for p in media.rglob("*"):
        if p.is_file():
            p.unlink()
    assert table_counts()["core_organisation"] == 0

    call_command("restore", str(backup_file), stdout=open(tmp_path / "restore.txt", "w"))

    after = all_rows()
    assert after.keys() == before.keys()
    for table in before:
        assert after[table] == before[table], f"table {table} differs after restore"
    assert media_digest(media) == files_before


def test_restore_refuses_an_installation_that_has_data(media, tmp_path):
    call_command("load_demo", verbosity=0)
    call_command("backup", dir=str(tmp_path), stdout=open(tmp_path / "out.txt", "w"))
    backup_file = (tmp_path / "out.txt").read_text().strip()
    organisations = table_counts()["core_organisation"]
    with pytest.raises(BackupError, match="niet leeg"):
        restore_backup(backup_file)
    assert table_counts()["core_organisation"] == organisations


def test_restore_refuses_a_file_that_is_not_a_backup(tmp_path):
    import tarfile

    bogus = tmp_path / "x.tar.gz"
    with tarfile.open(bogus, "w:gz") as tar:
        tar.add(__file__, arcname="something.py")
    with pytest.raises(BackupError, match="geen Weerbaar-back-up"):
        restore_backup(bogus)
