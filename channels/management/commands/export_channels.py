from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from channels.models import Channel
from channels.transfer import exporting
from core import spreadsheets


class Command(BaseCommand):
    help = "Export the channel registry as XLSX or CSV, in the columns that import_channels and the import page read."

    def add_arguments(self, parser):
        parser.add_argument("path", help="Where to write: a name ending in .xlsx or .csv.")

    def handle(self, path, **options):
        file = Path(path)
        file_format = file.suffix.lstrip(".").lower()
        if file_format not in spreadsheets.CONTENT_TYPES:
            raise CommandError("The file name must end in .xlsx or .csv.")
        channels = Channel.objects.all()
        content, _content_type = exporting.export_channels(channels, file_format)
        file.write_bytes(content)
        self.stdout.write(self.style.SUCCESS(f"Exported {channels.count()} channels to {file}."))
