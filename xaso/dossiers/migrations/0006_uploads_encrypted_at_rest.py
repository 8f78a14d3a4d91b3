"""Uploaded files (ID card photos, attachments) encrypted at rest: the field's storage becomes
core.storage's, and the files already stored are encrypted in place (same names)."""

import xaso.core.storage
import xaso.dossiers.models
from django.db import migrations, models


def files_encrypt(apps, schema_editor, *, decrypt=False):
    from xaso.dossiers.uploads import stored_files_encrypt

    Upload = apps.get_model("dossiers", "Upload")
    names = Upload.objects.values_list("file", flat=True).iterator()
    stored_files_encrypt(names, decrypt=decrypt)


def files_decrypt(apps, schema_editor):
    files_encrypt(apps, schema_editor, decrypt=True)


class Migration(migrations.Migration):

    dependencies = [
        ('dossiers', '0005_lookup_secret_keyed_hash'),
    ]

    operations = [
        migrations.AlterField(
            model_name='upload',
            name='file',
            field=models.FileField(max_length=200, storage=xaso.core.storage.encrypted_storage, upload_to=xaso.dossiers.models.upload_path, verbose_name='file'),
        ),
        migrations.RunPython(files_encrypt, files_decrypt),
    ]
