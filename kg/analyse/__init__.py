"""Layer 2, analysis of a read plan: its language (nlp), alignment links to positionings,
goals, indicators and SDGs (alignment), text targets against the table (consistency), the
national indicators (frameworks), and measuring the links against labels (evaluation).
``analysis.analyse`` runs them all for the graph. Imports the model and the reading layer.
"""
