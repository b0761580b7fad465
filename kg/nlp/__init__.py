"""spaCy pipeline components of acckg, registered with ``@Language.factory``.

Importing :mod:`kg.nlp.pipeline` registers them; :func:`kg.nlp.pipeline.load_pipeline`
adds them to an installed spaCy pipeline. Each component reads and writes ``Doc``
annotations only, so it can be tested on a single sentence.
"""
