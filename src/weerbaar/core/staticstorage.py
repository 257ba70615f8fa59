"""Static files storage for production: WhiteNoise's compressed, hashed (manifest) files.

The Utrecht design-token CSS from npm refers to an icon the package does not ship
(``pijltje.svg``); the manifest storage would stop collectstatic on it. Such a reference is
left as written: the browser gets a 404 for that one icon, as it does today under runserver.
"""

from whitenoise.storage import CompressedManifestStaticFilesStorage


class StaticFilesStorage(CompressedManifestStaticFilesStorage):
    def url_converter(self, name, hashed_files, template=None):
        convert = super().url_converter(name, hashed_files, template)

        def tolerant(matchobj):
            try:
                return convert(matchobj)
            except ValueError:  # whitenoise's MissingFileError is one
                return matchobj.group(0)

        return tolerant
