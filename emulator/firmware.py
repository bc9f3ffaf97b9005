"""The emulator's fake firmware server: which image a phone finds when it provisions (`PROV`).

An image is (server path, model, version): a phone whose config server path (P237) equals the
image's path finds the image for its model there. The emulator does not download anything; a `PROV`
that finds an image newer or older than the running firmware installs it: the reboot lasts
`install_seconds` longer and the phone comes back on the image's version, unless the phone's
`upgrade` fault says otherwise (faults.py).
"""

from __future__ import annotations

import re
import threading

VERSION = re.compile(r"^[0-9]+(\.[0-9]+)+$")


class FirmwareError(ValueError):
    """A firmware body the control API refuses (answered 400)."""


def parse_image(text: str) -> dict:
    """`MODEL=VERSION@PATH` (the --firmware-image flag) as an image dict."""
    model, rest = text.split("=", 1) if "=" in text else (text, "")
    version, path = rest.split("@", 1) if "@" in rest else (rest, "")
    return validate_image({"model": model, "version": version, "path": path})


def validate_image(image) -> dict:
    if not isinstance(image, dict) or set(image) != {"model", "version", "path"}:
        raise FirmwareError("an image is an object with model, version and path")
    if not all(isinstance(image[key], str) and image[key] for key in image):
        raise FirmwareError("an image's model, version and path must be non-empty strings")
    if not VERSION.match(image["version"]):
        raise FirmwareError(f"image version {image['version']!r} is not dotted numbers")
    return {key: image[key].strip() for key in ("model", "version", "path")}


class FirmwareServer:
    def __init__(self, images=(), install_seconds: float = 0.0):
        self._lock = threading.Lock()
        self._initial = {"images": [dict(image) for image in images], "install_seconds": install_seconds}
        self.configure(self._initial)

    def configure(self, body: dict) -> dict:
        """Replace the images (and the extra install time); returns the settings in force."""
        if not isinstance(body, dict) or set(body) - {"images", "install_seconds"}:
            raise FirmwareError("firmware takes images and install_seconds")
        images = body.get("images", [])
        if not isinstance(images, list):
            raise FirmwareError("images must be a list")
        seconds = body.get("install_seconds", 0.0)
        if isinstance(seconds, bool) or not isinstance(seconds, (int, float)) or not 0 <= seconds <= 3600:
            raise FirmwareError("install_seconds must be a number between 0 and 3600")
        checked = [validate_image(image) for image in images]
        with self._lock:
            self._images = {(image["path"], image["model"]): image["version"] for image in checked}
            self.install_seconds = float(seconds)
        return self.describe()

    def reset(self) -> None:
        self.configure(self._initial)

    def image_for(self, path: str, model: str) -> str | None:
        with self._lock:
            return self._images.get((path, model))

    def describe(self) -> dict:
        with self._lock:
            return {"images": [{"path": path, "model": model, "version": version}
                               for (path, model), version in sorted(self._images.items())],
                    "install_seconds": self.install_seconds}
