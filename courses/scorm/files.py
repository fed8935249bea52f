"""The files of an unpacked package as the site serves them: found inside the package's folder only,
never a folder (no listing), with a content type from a fixed table (``nosniff`` is sent too)."""

import posixpath
from pathlib import Path

# What packages made by iSpring, Articulate, Captivate and the like contain. Anything else is sent as
# application/octet-stream, which a browser with nosniff neither runs nor renders.
CONTENT_TYPES = {
    ".html": "text/html; charset=utf-8",
    ".htm": "text/html; charset=utf-8",
    ".xhtml": "application/xhtml+xml",
    ".js": "text/javascript; charset=utf-8",
    ".mjs": "text/javascript; charset=utf-8",
    ".css": "text/css; charset=utf-8",
    ".json": "application/json",
    ".xml": "application/xml",
    ".xsd": "application/xml",
    ".txt": "text/plain; charset=utf-8",
    ".vtt": "text/vtt; charset=utf-8",
    ".png": "image/png",
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
    ".gif": "image/gif",
    ".webp": "image/webp",
    ".svg": "image/svg+xml",
    ".ico": "image/x-icon",
    ".bmp": "image/bmp",
    ".mp3": "audio/mpeg",
    ".m4a": "audio/mp4",
    ".wav": "audio/wav",
    ".ogg": "audio/ogg",
    ".oga": "audio/ogg",
    ".mp4": "video/mp4",
    ".m4v": "video/mp4",
    ".webm": "video/webm",
    ".ogv": "video/ogg",
    ".woff": "font/woff",
    ".woff2": "font/woff2",
    ".ttf": "font/ttf",
    ".otf": "font/otf",
    ".eot": "application/vnd.ms-fontobject",
    ".pdf": "application/pdf",
    ".wasm": "application/wasm",
}
FALLBACK = "application/octet-stream"


def content_type(path):
    return CONTENT_TYPES.get(Path(path).suffix.lower(), FALLBACK)


def find_file(package, path):
    """The file at ``path`` (a URL path inside the package), or None: nothing outside the package's
    folder, no folder, no link, no hidden file."""
    if not path or "\x00" in path or "\\" in path or path.startswith("/"):
        return None
    parts = path.split("/")
    if any(part in ("", ".", "..") or part.startswith(".") for part in parts):
        return None
    if posixpath.normpath(path) != path:
        return None
    root = package.folder
    target = root.joinpath(*parts)
    try:
        resolved = target.resolve(strict=True)
        if not resolved.is_relative_to(root.resolve(strict=True)):
            return None
    except (OSError, RuntimeError):
        return None
    if target.is_symlink() or not resolved.is_file():
        return None
    return resolved


__all__ = ["CONTENT_TYPES", "content_type", "find_file"]
