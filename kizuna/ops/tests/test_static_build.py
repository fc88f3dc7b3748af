"""The static build that `make run` and every deployment do: collectstatic through the production storage."""

import json

from django.core.management import call_command
from django.test import override_settings


def test_collectstatic_builds_the_hashed_and_compressed_files_of_every_app_including_the_vendored_ones(tmp_path):
    # The manifest storage follows every url() and sourceMappingURL in CSS and JS: a reference to a file that is
    # not shipped fails the whole build (scorm-again's minified files name their source maps).
    storages = {
        "default": {"BACKEND": "django.core.files.storage.InMemoryStorage"},
        "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
    }
    with override_settings(STATIC_ROOT=tmp_path, STORAGES=storages):
        call_command("collectstatic", "--noinput", verbosity=0)

    manifest = json.loads((tmp_path / "staticfiles.json").read_text())["paths"]
    player = manifest["packages/vendor/scorm-again/scorm12.min.js"]
    assert player != "packages/vendor/scorm-again/scorm12.min.js"  # content-hashed name
    assert (tmp_path / player).exists()
    assert (tmp_path / (player + ".br")).exists() or (tmp_path / (player + ".gz")).exists()
    assert "packages/vendor/scorm-again/scorm2004.min.js.map" in manifest
    hls = manifest["media/vendor/hls.js/hls.light.min.js"]  # the HLS player, fetched by `make vendor` too
    assert hls != "media/vendor/hls.js/hls.light.min.js" and (tmp_path / hls).exists()
    assert "media/vendor/hls.js/hls.light.min.js.map" in manifest
