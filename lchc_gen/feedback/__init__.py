"""Closing the loop: learner feedback (NPS, response rate, objective confidence), measured
results, "you said, we did", and the link between a program and the LCHC survey.

Same inner shape as ``survey/``: model (the inputs), load (files -> checked submissions),
score (one frame of numbers that already honours every hiding rule), export, demo.
Pages and the export both read ``score.FeedbackScores``, so they cannot disagree.
"""
