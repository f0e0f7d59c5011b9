"""Static files the site needs (CSS, JS), shipped in the package: no CDN, works offline."""

from importlib.resources import files

ASSETS: dict[str, bytes] = {
    p.name: p.read_bytes() for p in files(__name__).iterdir() if p.name.endswith((".css", ".js"))
}
