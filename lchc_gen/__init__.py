"""lchc_gen: training programs and Leadership Culture Health Check reports as a static site."""

__version__ = "0.1.0"
