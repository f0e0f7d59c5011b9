"""Access control for protected reports: pure core, no MkDocs import.

Envelope encryption: each protected page is sealed under a fresh content key; each
reader gets one keyring (sealed under a key derived from their passphrase) holding the
content keys of every page they may read. The browser side is ``assets/lchc-access.js``.
"""
