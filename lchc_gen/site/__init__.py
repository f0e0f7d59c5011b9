"""The core site: options in, every input loaded and checked, generated pages, assets, "My
reports" and the publication out, then the output step. Knows nothing of any site generator;
adapters (lchc_gen/mkdocs_plugin, `lchc-gen build`) hand things over. See core.py."""
