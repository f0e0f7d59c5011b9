"""Default Jinja2 templates of lchc_gen; copy one into your templates_dir to override it."""
