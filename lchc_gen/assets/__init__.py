"""Static files the site needs (CSS, JS), shipped in the package: no CDN, works offline."""

from importlib.resources import files

ASSETS: dict[str, bytes] = {
    p.name: p.read_bytes() for p in files(__name__).iterdir() if p.name.endswith((".css", ".js"))
}

# The browser half of the access core, kept beside the Python half it must match.
_access_js = files("lchc_gen.access") / "assets" / "lchc-access.js"
ACCESS_JS: tuple[str, bytes] = (_access_js.name, _access_js.read_bytes())
