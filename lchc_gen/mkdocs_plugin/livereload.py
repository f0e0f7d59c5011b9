"""`mkdocs serve` with the script policy on: the editor's page reloads itself after an edit.

MkDocs adds its live-reload script to every HTML page as it answers the browser, inline and
different on every answer (it carries the site's version and a request id), so no hash in the
built page can allow it. While serving, each answer's policy also allows that one script by the
hash of its exact text, and nothing else; the files in site/ are not touched.
"""

from __future__ import annotations

from mkdocs.livereload import LiveReloadServer

from ..csp import allow_inline_script

_OPEN, _CLOSE = b"<script>", b"</script>"


def allow_live_reload(server: LiveReloadServer) -> None:
    """Wrap the server's own injection (MkDocs 1.x: ``_inject_js_into_html``) for this server only."""
    inject = server._inject_js_into_html  # noqa: SLF001 - MkDocs' own hook, pinned below 2.0
    if getattr(inject, "lchc_allowed", False):
        return

    def injected_and_allowed(content: bytes, epoch: int) -> bytes:
        out = inject(content, epoch)
        # What MkDocs adds: `<script>...</script>` before the last </body> (or at the end).
        at = content.rfind(b"</body>")
        at = len(content) if at < 0 else at
        added = len(out) - len(content)
        if not (out.startswith(_OPEN, at) and out[at + added - len(_CLOSE):at + added] == _CLOSE and out[at + added:] == content[at:]):
            return out  # not the shape MkDocs 1.x adds: leave the answer as it is
        script = out[at + len(_OPEN):at + added - len(_CLOSE)]
        return allow_inline_script(out.decode("utf-8"), script.decode("utf-8")).encode("utf-8")

    injected_and_allowed.lchc_allowed = True  # type: ignore[attr-defined]
    server._inject_js_into_html = injected_and_allowed  # noqa: SLF001
