"""Disclosure control: what each reader may be shown so that nothing protected can be worked out.

Knows nothing of MkDocs, pages or files: it reads scores and readers' views and says which figures
may be published. ``small_groups`` guards the answers of groups too small to show a distribution;
``tables`` guards hidden teams against differencing of published sums (benchmarks) per reader;
``changes`` decides which changes between cycles (and their intervals) the LCHC loop may show.
"""
